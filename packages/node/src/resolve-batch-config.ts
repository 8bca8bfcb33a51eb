import { integerAtLeast, invalidSettingMessage, readEnv, resolveLayered } from './settings.js';
import type { Environment } from './settings.js';
import type { ResolvedBatchConfig } from './types.js';

// OTEL_BSP_* as the OTel SDK environment spec defines them; `@opentelemetry/sdk-trace` 3.x no
// longer reads them itself.
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

/** Validates `OTEL_BSP_*`; problems go to `warnings`. */
export function resolveBatchConfig(env: Environment, warnings: string[]): ResolvedBatchConfig {
  const defaults = DEFAULT_BATCH_CONFIG;
  const maxQueueSize = resolveOne(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 1, defaults.maxQueueSize, warnings);
  // A queue set smaller than the default batch, with no batch size set, gets batches of the queue's size.
  const batchSet = readEnv(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE') !== undefined;
  let maxExportBatchSize = resolveOne(
    env,
    'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
    1,
    Math.min(defaults.maxExportBatchSize, maxQueueSize),
    warnings,
  );
  if (maxExportBatchSize > maxQueueSize && batchSet) {
    warnings.push(
      invalidSettingMessage(
        'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
        readEnv(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE') ?? String(maxExportBatchSize),
        `is larger than the queue (OTEL_BSP_MAX_QUEUE_SIZE=${maxQueueSize})`,
        'use a batch size no larger than the queue size',
        String(maxQueueSize),
      ),
    );
    maxExportBatchSize = maxQueueSize;
  }
  return {
    scheduledDelayMillis: resolveOne(
      env,
      'OTEL_BSP_SCHEDULE_DELAY',
      0,
      defaults.scheduledDelayMillis,
      warnings,
    ),
    exportTimeoutMillis: resolveOne(
      env,
      'OTEL_BSP_EXPORT_TIMEOUT',
      1,
      defaults.exportTimeoutMillis,
      warnings,
    ),
    maxQueueSize,
    maxExportBatchSize,
  };
}
