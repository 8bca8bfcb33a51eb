import { integerAtLeast, invalidSettingMessage, readEnv, resolveLayered } from './settings.js';
import type { Environment } from './settings.js';
import type { ResolvedBatchConfig } from './types.js';

// OTEL_BSP_* as the OTel SDK environment spec defines them; `@opentelemetry/sdk-trace` 3.x no
// longer reads them itself.

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
  let maxExportBatchSize = resolveOne(
    env,
    'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
    1,
    defaults.maxExportBatchSize,
    warnings,
  );
  if (maxExportBatchSize > maxQueueSize) {
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
