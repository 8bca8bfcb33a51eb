import { isRecord } from '@agent-otel/core/instrumentation';
import { diag } from '@opentelemetry/api';
import type { AnthropicSdkSpans } from './types.js';

/** Environment variable giving the default of the `sdkSpans` option. */
export const SDK_SPANS_ENV = 'AGENT_OTEL_ANTHROPIC_SDK_SPANS';
/** The `sdkSpans` value when neither the option nor the environment gives one. */
export const DEFAULT_SDK_SPANS: AnthropicSdkSpans = 'suppress';
const SDK_SPANS_VALUES: readonly AnthropicSdkSpans[] = ['suppress', 'defer', 'keep'];

function isSdkSpans(value: unknown): value is AnthropicSdkSpans {
  return SDK_SPANS_VALUES.includes(value as AnthropicSdkSpans);
}

/**
 * The `sdkSpans` rule in force: the option if valid, else `AGENT_OTEL_ANTHROPIC_SDK_SPANS` if valid,
 * else `suppress`. An invalid value is reported once with `diag.warn`. Never throws.
 */
export function resolveSdkSpans(
  option: unknown,
  env: Readonly<Record<string, string | undefined>> = process.env,
): AnthropicSdkSpans {
  if (isSdkSpans(option)) return option;
  if (option !== undefined) {
    diag.warn(
      `@agent-otel/instrumentation-anthropic: sdkSpans ${String(option)} is not one of ${SDK_SPANS_VALUES.join(', ')}; ignored`,
    );
  }
  const raw = env[SDK_SPANS_ENV]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return DEFAULT_SDK_SPANS;
  if (isSdkSpans(raw)) return raw;
  diag.warn(
    `@agent-otel/instrumentation-anthropic: ${SDK_SPANS_ENV}=${JSON.stringify(raw)} is not one of ${SDK_SPANS_VALUES.join(', ')}; using ${DEFAULT_SDK_SPANS}`,
  );
  return DEFAULT_SDK_SPANS;
}

/**
 * `error.type` of a failed Anthropic call: the HTTP status of an API error (`429`, `529`, …); for an
 * error event inside a stream (an `APIError` without status), the API's error type
 * (`overloaded_error`, …); otherwise `undefined`, so the error's class name is used.
 */
export function anthropicErrorType(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { status, error: body } = error as { status?: unknown; error?: unknown };
  if (typeof status === 'number') return String(status);
  if ('headers' in error && isRecord(body)) {
    const type = isRecord(body.error) ? body.error.type : body.type;
    if (typeof type === 'string' && type !== '' && type !== 'error') return type;
  }
  return undefined;
}
