import { HEADERS_LIST, parseKeyValueList } from './key-value-list.js';
import {
  integerAtLeast,
  invalid,
  mergeProblems,
  ok,
  oneOf,
  readEnv,
  resolveLayeredProblems,
} from './settings.js';
import type { Environment, Layer, Parsed, SettingProblem } from './settings.js';
import type { OtlpProtocol, ResolvedOtlpConfig } from './types.js';

// OTEL_EXPORTER_OTLP_* per the OTel exporter spec, for each signal: the signal-specific variable
// (OTEL_EXPORTER_OTLP_TRACES_*, _METRICS_*, _LOGS_*) wins over the generic one; only the generic
// endpoint gets the signal's path (`/v1/traces`, `/v1/metrics`, `/v1/logs`) appended.

/** A signal with its own OTLP exporter. */
export type OtlpSignal = 'traces' | 'metrics' | 'logs';

/** Every signal, in the order their settings are reported. */
export const OTLP_SIGNALS: readonly OtlpSignal[] = ['traces', 'metrics', 'logs'];

const DEFAULT_OTLP_BASE_URL = 'http://localhost:4318';
export const DEFAULT_OTLP_URL = `${DEFAULT_OTLP_BASE_URL}/v1/traces`;
export const DEFAULT_OTLP_TIMEOUT_MILLIS = 10000;

/** The URL path of `signal`, e.g. `v1/traces`. */
function signalPath(signal: OtlpSignal): string {
  return `v1/${signal}`;
}

/** The URL `signal` is exported to when no endpoint variable is set. */
export function defaultOtlpUrl(signal: OtlpSignal): string {
  return `${DEFAULT_OTLP_BASE_URL}/${signalPath(signal)}`;
}

function parseProtocol(raw: string): Parsed<OtlpProtocol> {
  const value = raw.toLowerCase();
  if (value === 'http/protobuf' || value === 'http/json') return ok(value);
  if (value === 'grpc') {
    return invalid(
      'is not bundled with @agent-otel/node, which sends OTLP over HTTP',
      "use http/protobuf (or http/json) and the collector's HTTP port, usually 4318",
    );
  }
  return invalid('is not a supported protocol', 'use http/protobuf or http/json');
}

function checkUrl(raw: string, example: string): Parsed<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return invalid('is not a URL', `use e.g. ${example}`);
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return ok(raw);
  // `localhost:4318` parses as a URL with the scheme `localhost:`.
  if (!raw.includes('//')) return invalid('is not a URL', `use e.g. ${example}`);
  return invalid(`uses the scheme "${url.protocol}", not http: or https:`, `use e.g. ${example}`);
}

function parseGenericEndpoint(signal: OtlpSignal): (raw: string) => Parsed<string> {
  return (raw) => {
    const checked = checkUrl(raw, DEFAULT_OTLP_BASE_URL);
    if (!checked.ok) return checked;
    const path = signalPath(signal);
    return ok(raw.endsWith('/') ? raw + path : `${raw}/${path}`);
  };
}

/** The `OTEL_EXPORTER_OTLP_<SIGNAL>_` prefix of `signal`'s own variables. */
function signalPrefix(signal: OtlpSignal): string {
  return `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_`;
}

/** The signal-specific variable first, then the generic one (`OTEL_EXPORTER_OTLP_<SIGNAL>_<name>`, `OTEL_EXPORTER_OTLP_<name>`). */
function signalThenGeneric<T>(signal: OtlpSignal, name: string, parse: Layer<T>['parse']): Layer<T>[] {
  return [
    { variable: `${signalPrefix(signal)}${name}`, parse },
    { variable: `OTEL_EXPORTER_OTLP_${name}`, parse },
  ];
}

interface SignalResolution {
  readonly config: ResolvedOtlpConfig;
  /** Invalid values with the value this signal uses instead. */
  readonly problems: SettingProblem[];
  /** Other warnings (bad header entries), the same text for every signal. */
  readonly warnings: string[];
}

function resolveSignal(env: Environment, signal: OtlpSignal): SignalResolution {
  const problems: SettingProblem[] = [];
  const warnings: string[] = [];
  const layered = <T>(layers: Layer<T>[], fallback: T, describe: (value: T) => string): T => {
    const resolved = resolveLayeredProblems(env, layers, fallback, describe);
    problems.push(...resolved.problems);
    return resolved.value;
  };
  const protocol = layered<OtlpProtocol>(
    signalThenGeneric(signal, 'PROTOCOL', parseProtocol),
    'http/protobuf',
    String,
  );
  const url = layered(
    [
      {
        variable: `${signalPrefix(signal)}ENDPOINT`,
        parse: (raw) => checkUrl(raw, defaultOtlpUrl(signal)),
      },
      { variable: 'OTEL_EXPORTER_OTLP_ENDPOINT', parse: parseGenericEndpoint(signal) },
    ],
    defaultOtlpUrl(signal),
    String,
  );
  const headers: Record<string, string> = {};
  for (const variable of ['OTEL_EXPORTER_OTLP_HEADERS', `${signalPrefix(signal)}HEADERS`]) {
    const raw = readEnv(env, variable);
    if (raw !== undefined) Object.assign(headers, parseKeyValueList(variable, raw, HEADERS_LIST, warnings));
  }
  const timeoutMillis = layered(
    signalThenGeneric(signal, 'TIMEOUT', integerAtLeast(1, DEFAULT_OTLP_TIMEOUT_MILLIS)),
    DEFAULT_OTLP_TIMEOUT_MILLIS,
    (value) => `${value} ms`,
  );
  const compression = layered(
    signalThenGeneric(signal, 'COMPRESSION', oneOf(['gzip', 'none'] as const)),
    'none',
    String,
  );
  return { config: { protocol, url, headers, timeoutMillis, compression }, problems, warnings };
}

/**
 * Validates the OTLP exporter variables of every signal. Only the signals in `reported` (those
 * exported over OTLP) add warnings, so an unused bad value does not warn; a bad generic variable
 * (read by every signal) is one warning that names what each signal uses instead when they differ
 * (`… Falling back to http://localhost:4318/v1/traces for traces, http://localhost:4318/v1/metrics for metrics.`).
 */
export function resolveOtlpConfigs(
  env: Environment,
  reported: readonly OtlpSignal[],
  warnings: string[],
): Record<OtlpSignal, ResolvedOtlpConfig> {
  const resolutions = OTLP_SIGNALS.map((signal) => [signal, resolveSignal(env, signal)] as const);
  warnings.push(
    ...mergeProblems(
      resolutions
        .filter(([signal]) => reported.includes(signal))
        .map(([signal, { problems, warnings: other }]) => ({ label: signal, problems, warnings: other })),
    ),
  );
  const [traces, metrics, logs] = resolutions.map(([, resolution]) => resolution.config);
  return { traces: traces!, metrics: metrics!, logs: logs! };
}
