import { integerAtLeast, invalidSettingMessage, readEnv, resolveLayered } from './settings.js';
import type { Environment } from './settings.js';
import type { ResolvedBatchConfig } from './types.js';

// OTEL_BSP_* as the OTel SDK environment spec defines them; `@opentelemetry/sdk-trace` 3.x no
// longer reads them itself.
//
// Queue and batch defaults are larger than the spec's 2048 / 512: measured against a local Jaeger
// (bench/throughput.mjs), 2048 / 512 keeps up with ~10,000 spans/s and drops spans at 20,000 in
// half the runs (one export in flight, a queue that holds 0.1 s), while 8192 / 2048 exports 30,000
// spans/s without a drop in every run, 40,000 in most. The price is the memory bound while the collector is down: up to 8192
// queued spans (~12 MB) instead of 2048. OTEL_BSP_* still set any of them.

export const DEFAULT_BATCH_CONFIG: ResolvedBatchConfig = {
  scheduledDelayMillis: 5000,
  exportTimeoutMillis: 30000,
  maxQueueSize: 8192,
  maxExportBatchSize: 2048,
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
