import { integerAtLeast, invalidSettingMessage, readEnv, resolveLayered } from './settings.js';
import type { Environment } from './settings.js';
import type { ResolvedBatchConfig } from './types.js';

// OTEL_BSP_* (spans) and OTEL_BLRP_* (log records) as the OTel SDK environment spec defines them;
// `@opentelemetry/sdk-trace` and `@opentelemetry/sdk-logs` 3.x no longer read them themselves.
//
// Queue and batch follow the spec's defaults (2048 / 512), the OTel SDK's own BatchSpanProcessor's
// too. The queue is what a collector outage costs the app: every queued span stays in the heap
// (~1 KB each) until an export succeeds. 8192 / 2048 drops fewer spans in bursts, but during an
// outage it kept 10.7 MB of heap instead of 1.7 and grew RSS 1.25–3.1× as much as the SDK's default
// pipeline, missing the target of 1.1× (bench/RESULTS.md, "Memory during a collector outage").
// Apps ending more than ~10,000 spans/s in bursts raise OTEL_BSP_MAX_QUEUE_SIZE and
// OTEL_BSP_MAX_EXPORT_BATCH_SIZE (packages/node README, "Exporters").

export const DEFAULT_BATCH_CONFIG: ResolvedBatchConfig = {
  scheduledDelayMillis: 5000,
  exportTimeoutMillis: 30000,
  maxQueueSize: 2048,
  maxExportBatchSize: 512,
};

/** The spec's `OTEL_BLRP_*` defaults: the same as for spans but a 1 s delay. */
export const DEFAULT_LOG_BATCH_CONFIG: ResolvedBatchConfig = {
  ...DEFAULT_BATCH_CONFIG,
  scheduledDelayMillis: 1000,
};

/** Which variables a batch processor reads, and its defaults. */
interface BatchVariables {
  /** `OTEL_BSP` or `OTEL_BLRP`. */
  readonly prefix: string;
  readonly defaults: ResolvedBatchConfig;
}

const SPAN_BATCH: BatchVariables = { prefix: 'OTEL_BSP', defaults: DEFAULT_BATCH_CONFIG };
const LOG_BATCH: BatchVariables = { prefix: 'OTEL_BLRP', defaults: DEFAULT_LOG_BATCH_CONFIG };

function resolveOne(
  env: Environment,
  variable: string,
  min: number,
  fallback: number,
  warnings: string[],
): number {
  return resolveLayered(
    env,
    [{ variable, parse: integerAtLeast(min, fallback) }],
    fallback,
    String,
    warnings,
  );
}

function resolveBatch(
  env: Environment,
  { prefix, defaults }: BatchVariables,
  warnings: string[],
): ResolvedBatchConfig {
  const queueVariable = `${prefix}_MAX_QUEUE_SIZE`;
  const batchVariable = `${prefix}_MAX_EXPORT_BATCH_SIZE`;
  const maxQueueSize = resolveOne(env, queueVariable, 1, defaults.maxQueueSize, warnings);
  // A queue set smaller than the default batch, with no batch size set, gets batches of the queue's size.
  const batchSet = readEnv(env, batchVariable) !== undefined;
  let maxExportBatchSize = resolveOne(
    env,
    batchVariable,
    1,
    Math.min(defaults.maxExportBatchSize, maxQueueSize),
    warnings,
  );
  if (maxExportBatchSize > maxQueueSize && batchSet) {
    warnings.push(
      invalidSettingMessage(
        batchVariable,
        readEnv(env, batchVariable) ?? String(maxExportBatchSize),
        `is larger than the queue (${queueVariable}=${maxQueueSize})`,
        'use a batch size no larger than the queue size',
        String(maxQueueSize),
      ),
    );
    maxExportBatchSize = maxQueueSize;
  }
  return {
    scheduledDelayMillis: resolveOne(
      env,
      `${prefix}_SCHEDULE_DELAY`,
      0,
      defaults.scheduledDelayMillis,
      warnings,
    ),
    exportTimeoutMillis: resolveOne(
      env,
      `${prefix}_EXPORT_TIMEOUT`,
      1,
      defaults.exportTimeoutMillis,
      warnings,
    ),
    maxQueueSize,
    maxExportBatchSize,
  };
}

/** Validates `OTEL_BSP_*` (the span batch processor); problems go to `warnings`. */
export function resolveBatchConfig(env: Environment, warnings: string[]): ResolvedBatchConfig {
  return resolveBatch(env, SPAN_BATCH, warnings);
}

/** Validates `OTEL_BLRP_*` (the log record batch processor); problems go to `warnings`. */
export function resolveLogBatchConfig(env: Environment, warnings: string[]): ResolvedBatchConfig {
  return resolveBatch(env, LOG_BATCH, warnings);
}
