// Reads traces back from Jaeger's query API (/api/v3, OTLP JSON; raw traces, so nothing is
// adjusted) and flattens them into spans that tests can assert on.

/** An attribute value as Jaeger returns it, decoded to plain JavaScript. */
export type StoredValue = string | number | boolean | null | StoredValue[] | { [key: string]: StoredValue };

/** A span as stored in Jaeger. */
export interface StoredSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER' | 'UNSPECIFIED';
  readonly attributes: Readonly<Record<string, StoredValue>>;
  readonly resource: Readonly<Record<string, StoredValue>>;
  readonly statusCode: 'UNSET' | 'OK' | 'ERROR';
  readonly events: readonly { name: string; attributes: Readonly<Record<string, StoredValue>> }[];
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
}

interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  bytesValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}
interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number | string;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: OtlpKeyValue[];
  events?: { name: string; attributes?: OtlpKeyValue[] }[];
  status?: { code?: number | string };
}
interface OtlpTraces {
  resourceSpans?: { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

const KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
const STATUS = ['UNSET', 'OK', 'ERROR'] as const;

function decodeValue(value: OtlpAnyValue | undefined): StoredValue {
  if (value == null) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(decodeValue);
  if (value.kvlistValue !== undefined) return decodeAttributes(value.kvlistValue.values);
  return null;
}

function decodeAttributes(list: OtlpKeyValue[] | undefined): Record<string, StoredValue> {
  const out: Record<string, StoredValue> = {};
  for (const { key, value } of list ?? [])
    Object.defineProperty(out, key, { value: decodeValue(value), enumerable: true });
  return out;
}

/** Jaeger returns ids as hex (OTLP JSON) or base64 (protobuf JSON); tests compare hex. */
function toHex(id: string | undefined): string {
  if (!id) return '';
  if (/^[0-9a-f]+$/i.test(id) && (id.length === 16 || id.length === 32)) return id.toLowerCase();
  return Buffer.from(id, 'base64').toString('hex');
}

function enumName<T extends readonly string[]>(
  names: T,
  prefix: string,
  value: number | string | undefined,
): T[number] {
  if (typeof value === 'number') return names[value] ?? names[0];
  if (typeof value === 'string') {
    const name = value.replace(prefix, '');
    if ((names as readonly string[]).includes(name)) return name as T[number];
  }
  return names[0];
}

/** Flattens an OTLP JSON document into spans. */
export function flattenSpans(traces: OtlpTraces): StoredSpan[] {
  const spans: StoredSpan[] = [];
  for (const resourceSpans of traces.resourceSpans ?? []) {
    const resource = decodeAttributes(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        spans.push({
          traceId: toHex(span.traceId),
          spanId: toHex(span.spanId),
          parentSpanId: toHex(span.parentSpanId),
          name: span.name,
          kind: enumName(KINDS, 'SPAN_KIND_', span.kind),
          attributes: decodeAttributes(span.attributes),
          resource,
          statusCode: enumName(STATUS, 'STATUS_CODE_', span.status?.code),
          events: (span.events ?? []).map((event) => ({
            name: event.name,
            attributes: decodeAttributes(event.attributes),
          })),
          startTimeUnixNano: span.startTimeUnixNano ?? '0',
          endTimeUnixNano: span.endTimeUnixNano ?? '0',
        });
      }
    }
  }
  return spans;
}

async function getJson(url: string): Promise<{ status: number; body: unknown; text: string }> {
  const response = await fetch(url);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}

function searchUrl(queryUrl: string, service: string): string {
  const params = new URLSearchParams({
    'query.service_name': service,
    'query.start_time_min': new Date(Date.now() - 60 * 60_000).toISOString(),
    'query.start_time_max': new Date(Date.now() + 60_000).toISOString(),
    'query.num_traces': '100000',
    'query.raw_traces': 'true',
  });
  return `${queryUrl}/api/v3/traces?${params.toString()}`;
}

/** Every span Jaeger holds for `service`, and the raw response text (for secret searches). */
export async function spansOfService(
  queryUrl: string,
  service: string,
): Promise<{ spans: StoredSpan[]; raw: string }> {
  const { status, body, text } = await getJson(searchUrl(queryUrl, service));
  // Jaeger answers 404 while it has no trace for the service.
  if (status === 404) return { spans: [], raw: text };
  if (status !== 200) throw new Error(`Jaeger query failed with ${status}: ${text.slice(0, 500)}`);
  return { spans: flattenSpans((body as { result?: OtlpTraces }).result ?? {}), raw: text };
}

/** The raw v1 API (/api/traces) response for `service`: what Jaeger's UI would show. */
export async function rawV1Traces(queryUrl: string, service: string): Promise<string> {
  const { text } = await getJson(
    `${queryUrl}/api/traces?service=${encodeURIComponent(service)}&limit=100000&lookback=1h`,
  );
  return text;
}

/** The services Jaeger knows. */
export async function services(queryUrl: string): Promise<string[]> {
  const { body } = await getJson(`${queryUrl}/api/v3/services`);
  return ((body as { services?: string[] }).services ?? []).slice().sort();
}

/** How long to wait for spans: at least `minSpans`, then no new one for `settleMillis`. */
export interface WaitForSpansOptions {
  minSpans: number;
  /** Give up after this long and return what is there (default 20 s). */
  timeoutMillis?: number;
  /** How long the count must stay the same (default 600 ms). */
  settleMillis?: number;
}

/**
 * Calls `read` every `intervalMillis` until it gives at least `minSpans` spans and the count has
 * stopped growing for `settleMillis`, or `timeoutMillis` passes. Returns the last read.
 */
async function pollUntilSettled(
  read: () => Promise<StoredSpan[]>,
  options: WaitForSpansOptions,
  intervalMillis: number,
): Promise<StoredSpan[]> {
  const deadline = Date.now() + (options.timeoutMillis ?? 20_000);
  const settle = options.settleMillis ?? 600;
  let last = -1;
  let stableSince = Date.now();
  for (;;) {
    const spans = await read();
    if (spans.length !== last) {
      last = spans.length;
      stableSince = Date.now();
    }
    if (spans.length >= options.minSpans && Date.now() - stableSince >= settle) return spans;
    if (Date.now() > deadline) return spans;
    await new Promise((resolve) => setTimeout(resolve, intervalMillis));
  }
}

/**
 * Polls Jaeger until it holds at least `minSpans` spans for `service` and the count has stopped
 * growing for `settleMillis`, or `timeoutMillis` passes. Returns what it holds then.
 */
export function waitForSpans(
  queryUrl: string,
  service: string,
  options: WaitForSpansOptions,
): Promise<StoredSpan[]> {
  return pollUntilSettled(async () => (await spansOfService(queryUrl, service)).spans, options, 200);
}

/** The resource attribute the harness tags each child run with (OTEL_RESOURCE_ATTRIBUTES). */
export const RUN_ATTRIBUTE = 'agent_otel.e2e.run';

/**
 * Like {@link waitForSpans}, for one tagged run whose service name the app may choose itself (an
 * example may pass `serviceName` to register(), which wins over OTEL_SERVICE_NAME, or start other
 * processes with their own): searches `service` and every service not made by these tests (not
 * `e2e-…`), keeping the spans whose resource carries `RUN_ATTRIBUTE=runId`.
 */
export function waitForRunSpans(
  queryUrl: string,
  service: string,
  runId: string,
  options: WaitForSpansOptions,
): Promise<StoredSpan[]> {
  return pollUntilSettled(
    async () => {
      const names = [service, ...(await services(queryUrl)).filter((name) => !name.startsWith('e2e-'))];
      // A search by service returns whole traces, so a trace spanning services comes back once per
      // service: keep each span once.
      const byId = new Map<string, StoredSpan>();
      for (const name of new Set(names)) {
        const found = await spansOfService(queryUrl, name);
        for (const span of found.spans) {
          if (span.resource[RUN_ATTRIBUTE] === runId) byId.set(`${span.traceId}/${span.spanId}`, span);
        }
      }
      return [...byId.values()];
    },
    options,
    250,
  );
}

/** Groups spans by trace id. */
export function byTrace(spans: readonly StoredSpan[]): Map<string, StoredSpan[]> {
  const traces = new Map<string, StoredSpan[]>();
  for (const span of spans) {
    const list = traces.get(span.traceId) ?? [];
    list.push(span);
    traces.set(span.traceId, list);
  }
  return traces;
}

/** Spans whose parent is not in the same trace (a root has no parent and is not an orphan). */
export function orphans(spans: readonly StoredSpan[]): StoredSpan[] {
  const ids = new Set(spans.map((span) => `${span.traceId}/${span.spanId}`));
  return spans.filter((span) => span.parentSpanId !== '' && !ids.has(`${span.traceId}/${span.parentSpanId}`));
}

/** A span tree node: name, kind and children (sorted by name, then kind: start times are only
 * millisecond-precise, so siblings may tie). */
export interface TreeNode {
  name: string;
  kind: StoredSpan['kind'];
  children: TreeNode[];
}

/** Sorts tree nodes canonically (name, then kind), so two trees compare regardless of start ties. */
export function canonical<T extends { name: string; kind: string; children?: readonly T[] }>(
  node: T,
): TreeNode {
  return {
    name: node.name,
    kind: node.kind as StoredSpan['kind'],
    children: (node.children ?? [])
      .map((child) => canonical(child))
      .sort((a, b) => a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind)),
  };
}

/** The trees of one trace's spans (roots first), in canonical order. */
export function toTrees(spans: readonly StoredSpan[]): TreeNode[] {
  const byParent = new Map<string, StoredSpan[]>();
  for (const span of spans) {
    const list = byParent.get(span.parentSpanId) ?? [];
    list.push(span);
    byParent.set(span.parentSpanId, list);
  }
  const build = (span: StoredSpan): TreeNode => ({
    name: span.name,
    kind: span.kind,
    children: (byParent.get(span.spanId) ?? []).map(build),
  });
  return spans
    .filter((span) => span.parentSpanId === '')
    .map((span) => canonical(build(span)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Orders spans by start, then end time. */
export function compareTimes(a: StoredSpan, b: StoredSpan): number {
  const start = BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano);
  if (start !== 0n) return start < 0n ? -1 : 1;
  const end = BigInt(a.endTimeUnixNano) - BigInt(b.endTimeUnixNano);
  return end === 0n ? 0 : end < 0n ? -1 : 1;
}
