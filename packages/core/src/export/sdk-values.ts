import type { HrTime } from '@opentelemetry/api';

// The few values of `@opentelemetry/core` that core's exporters and processors use, written here so
// that core depends on no SDK package at run time and works beside either OpenTelemetry JS SDK line
// (2.x with API 1.9, 3.x with API 1.10): a copy of `@opentelemetry/core` of the other line would
// need the other API. Each one is equal to its `@opentelemetry/core` counterpart
// (test/export/sdk-values.test.ts compares them).

/** `ExportResultCode` of `@opentelemetry/core`. */
export const ExportResultCode = { SUCCESS: 0, FAILED: 1 } as const;

/** `ExportResult` of `@opentelemetry/core`: what a `SpanExporter` reports to its callback. */
export interface ExportResult {
  code: (typeof ExportResultCode)[keyof typeof ExportResultCode];
  error?: Error;
}

/** `hrTimeToMilliseconds` of `@opentelemetry/core`. */
export function hrTimeToMilliseconds(time: HrTime): number {
  return time[0] * 1e3 + time[1] / 1e6;
}

/** `hrTimeToTimeStamp` of `@opentelemetry/core`: an ISO 8601 timestamp with nanoseconds. */
export function hrTimeToTimeStamp(time: HrTime): string {
  const nanos = `${'0'.repeat(9)}${time[1]}Z`.slice(-10);
  return new Date(time[0] * 1e3).toISOString().replace('000Z', nanos);
}

/** `getStringListFromEnv` of `@opentelemetry/core`: a comma-separated variable, trimmed, empty entries dropped. */
export function stringListFromEnv(name: string): string[] | undefined {
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}
