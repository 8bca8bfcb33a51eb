import { HEADERS_LIST, parseKeyValueList } from './key-value-list.js';
import { integerAtLeast, invalid, ok, oneOf, readEnv, resolveLayered } from './settings.js';
import type { Environment, Layer, Parsed } from './settings.js';
import type { OtlpProtocol, ResolvedOtlpConfig } from './types.js';

// OTEL_EXPORTER_OTLP_* for traces, per the OTel exporter spec: the signal-specific variable wins
// over the generic one; only the generic endpoint gets the `/v1/traces` path appended.

const TRACES_PATH = 'v1/traces';
export const DEFAULT_OTLP_URL = `http://localhost:4318/${TRACES_PATH}`;
export const DEFAULT_OTLP_TIMEOUT_MILLIS = 10000;

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

function parseTracesEndpoint(raw: string): Parsed<string> {
  return checkUrl(raw, DEFAULT_OTLP_URL);
}

function parseGenericEndpoint(raw: string): Parsed<string> {
  const checked = checkUrl(raw, 'http://localhost:4318');
  if (!checked.ok) return checked;
  return ok(raw.endsWith('/') ? raw + TRACES_PATH : `${raw}/${TRACES_PATH}`);
}

/** The traces-specific variable first, then the generic one (`OTEL_EXPORTER_OTLP_TRACES_<name>`, `OTEL_EXPORTER_OTLP_<name>`). */
function tracesThenGeneric<T>(name: string, parse: Layer<T>['parse']): Layer<T>[] {
  return [
    { variable: `OTEL_EXPORTER_OTLP_TRACES_${name}`, parse },
    { variable: `OTEL_EXPORTER_OTLP_${name}`, parse },
  ];
}

/** Validates the OTLP trace exporter variables of `env`; problems go to `warnings`. */
export function resolveOtlpConfig(env: Environment, warnings: string[]): ResolvedOtlpConfig {
  const protocol = resolveLayered<OtlpProtocol>(
    env,
    tracesThenGeneric('PROTOCOL', parseProtocol),
    'http/protobuf',
    String,
    warnings,
  );
  const url = resolveLayered(
    env,
    [
      { variable: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', parse: parseTracesEndpoint },
      { variable: 'OTEL_EXPORTER_OTLP_ENDPOINT', parse: parseGenericEndpoint },
    ],
    DEFAULT_OTLP_URL,
    String,
    warnings,
  );
  const headers: Record<string, string> = {};
  for (const variable of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS']) {
    const raw = readEnv(env, variable);
    if (raw !== undefined) Object.assign(headers, parseKeyValueList(variable, raw, HEADERS_LIST, warnings));
  }
  const timeoutMillis = resolveLayered(
    env,
    tracesThenGeneric('TIMEOUT', integerAtLeast(1, DEFAULT_OTLP_TIMEOUT_MILLIS)),
    DEFAULT_OTLP_TIMEOUT_MILLIS,
    (value) => `${value} ms`,
    warnings,
  );
  const compression = resolveLayered(
    env,
    tracesThenGeneric('COMPRESSION', oneOf(['gzip', 'none'] as const)),
    'none',
    String,
    warnings,
  );
  return { protocol, url, headers, timeoutMillis, compression };
}
