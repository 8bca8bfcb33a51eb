// Finding spans and checking their parentage in a list of finished spans.
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

const SPAN_KIND_NAMES = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];

/** The span id of the parent of `span`; `undefined` for a root. */
export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/** The only span of `spans` named `name`; throws, listing the names, when there is none or several. */
export function spanNamed(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  if (found.length !== 1) {
    throw new Error(
      `expected one span named ${name}, got ${found.length}: ${spans.map((span) => span.name).join(', ')}`,
    );
  }
  return found[0]!;
}

/** The spans of `spans` whose parent is `parent`, in their order in `spans`. */
export function childrenOf(spans: readonly ReadableSpan[], parent: ReadableSpan): ReadableSpan[] {
  const parentId = parent.spanContext().spanId;
  return spans.filter((span) => parentOf(span) === parentId);
}

/**
 * Throws unless `child` is a child of `parent` in the same trace, or a root when `parent` is
 * `undefined`; the message names both spans.
 */
export function assertChildOf(child: ReadableSpan, parent: ReadableSpan | undefined): void {
  const actual = parentOf(child);
  if (parent === undefined) {
    if (actual !== undefined) throw new Error(`expected ${child.name} to be a root, its parent is ${actual}`);
    return;
  }
  const { traceId, spanId } = parent.spanContext();
  if (actual !== spanId || child.spanContext().traceId !== traceId) {
    throw new Error(
      `expected ${child.name} to be a child of ${parent.name} (${spanId}), its parent is ${actual ?? 'none'}`,
    );
  }
}

/**
 * The span tree as indented `name [KIND]` lines; siblings by name, then start time (siblings that
 * start in the same millisecond keep a stable order); spans whose parent is not among `spans` are
 * roots.
 */
export function treeOf(spans: readonly ReadableSpan[]): string[] {
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  const children = new Map<string | undefined, ReadableSpan[]>();
  for (const span of spans) {
    const parent = parentOf(span);
    const key = parent !== undefined && ids.has(parent) ? parent : undefined;
    children.set(key, [...(children.get(key) ?? []), span]);
  }
  const startNanos = (span: ReadableSpan) => span.startTime[0] * 1e9 + span.startTime[1];
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort(
      (a, b) => a.name.localeCompare(b.name) || startNanos(a) - startNanos(b),
    );
    for (const span of list) {
      lines.push(`${'  '.repeat(depth)}${span.name} [${SPAN_KIND_NAMES[span.kind]}]`);
      walk(span.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}
