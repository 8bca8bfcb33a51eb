// Hand-made spans for the store tests: times in whole milliseconds from a base, so durations are exact.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attributes, Span } from '../../src/model.js';

/** 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);

export function nanos(ms: number): string {
  return `${BigInt(Math.round(ms * 1000)) * 1000n}`;
}

/** A trace id from a small number (32 hex). */
export function tid(n: number): string {
  return n.toString(16).padStart(32, '0');
}

/** A span id from a small number (16 hex). */
export function sid(n: number): string {
  return n.toString(16).padStart(16, 'a');
}

const RESOURCES = new Map<string, Attributes>();

export interface SpanSpec {
  trace: number;
  id: number;
  parent?: number;
  name?: string;
  /** Start, ms after T0. */
  start?: number;
  /** Duration, ms. */
  duration?: number;
  attrs?: Record<string, unknown>;
  error?: string;
  service?: string;
  kind?: Span['kind'];
  events?: Span['events'];
}

export function span(spec: SpanSpec): Span {
  const service = spec.service ?? 'svc';
  let resource = RESOURCES.get(service);
  if (!resource) RESOURCES.set(service, (resource = { 'service.name': service, 'host.name': 'h1' }));
  const start = T0 + (spec.start ?? 0);
  return {
    traceId: tid(spec.trace),
    spanId: sid(spec.id),
    ...(spec.parent === undefined ? {} : { parentSpanId: sid(spec.parent) }),
    name: spec.name ?? `span ${spec.id}`,
    kind: spec.kind ?? 'INTERNAL',
    startTimeUnixNano: nanos(start),
    endTimeUnixNano: nanos(start + (spec.duration ?? 10)),
    status: spec.error ? { code: 'ERROR', message: spec.error } : { code: 'UNSET' },
    attributes: (spec.attrs ?? {}) as Attributes,
    events: spec.events ?? [],
    serviceName: service,
    resource,
    scope: { name: 'test', version: '1.0.0' },
  };
}

/** A chat span (a model call) with usage and a recorded cost. */
export function chat(
  spec: SpanSpec & { model?: string; provider?: string; input?: number; output?: number; cost?: number },
): Span {
  return span({
    name: `chat ${spec.model ?? 'test-model'}`,
    kind: 'CLIENT',
    ...spec,
    attrs: {
      'gen_ai.operation.name': 'chat',
      'agent_otel.span.kind': 'generation',
      'gen_ai.provider.name': spec.provider ?? 'test-provider',
      'gen_ai.request.model': spec.model ?? 'test-model',
      ...(spec.input === undefined ? {} : { 'gen_ai.usage.input_tokens': spec.input }),
      ...(spec.output === undefined ? {} : { 'gen_ai.usage.output_tokens': spec.output }),
      ...(spec.cost === undefined ? {} : { 'agent_otel.cost.usd': spec.cost }),
      ...spec.attrs,
    },
  });
}

/** A temporary directory, removed by the returned function. */
export function tempDir(prefix = 'viewer-store-'): {
  dir: string;
  file: (name: string) => string;
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Trace ids of a page, in order. */
export function ids(page: { traces: readonly { traceId: string }[] }): string[] {
  return page.traces.map((t) => t.traceId);
}
