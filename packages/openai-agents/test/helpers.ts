import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { parentOf, tick } from '../../core/test/helpers';

// One in-memory tracing setup for every package's tests: core's.
export { captureDiag, parentOf, setupTracing, tick } from '../../core/test/helpers';
export type { TestTracing } from '../../core/test/helpers';

/**
 * The span tree as indented `name [KIND]` lines; siblings by name, then start time (siblings that
 * start in the same millisecond, such as a guardrail and the first turn, keep a stable order); spans
 * whose parent is not among `spans` are roots.
 */
export function treeOf(spans: readonly ReadableSpan[]): string[] {
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  const children = new Map<string | undefined, ReadableSpan[]>();
  for (const span of spans) {
    const parent = parentOf(span);
    const key = parent && ids.has(parent) ? parent : undefined;
    children.set(key, [...(children.get(key) ?? []), span]);
  }
  const startNs = (s: ReadableSpan) => s.startTime[0] * 1e9 + s.startTime[1];
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort(
      (a, b) => a.name.localeCompare(b.name) || startNs(a) - startNs(b),
    );
    for (const span of list) {
      lines.push(
        `${'  '.repeat(depth)}${span.name} [${['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'][span.kind]}]`,
      );
      walk(span.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

/** Waits until `predicate` holds (polling), failing after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await tick(5);
  }
}

/** The OTel spans of one SDK trace, found by its `agent_otel.source.trace_id` on the root. */
export function spansOfTrace(spans: readonly ReadableSpan[], traceId: string): ReadableSpan[] {
  return spans.filter((span) => span.spanContext().traceId === traceId);
}
