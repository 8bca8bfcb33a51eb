import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { sortByStart } from './span-readers.js';

/** One span of a trace with its children, start-ordered. */
export interface TraceTreeNode {
  readonly span: ReadableSpan;
  /** 0 for a top-level node. */
  readonly depth: number;
  readonly children: readonly TraceTreeNode[];
}

/** Children of every span id, start-ordered; built once per span set. */
export function indexChildren(spans: readonly ReadableSpan[]): Map<string, ReadableSpan[]> {
  const byParent = new Map<string, ReadableSpan[]>();
  for (const span of sortByStart(spans)) {
    const parentId = span.parentSpanContext?.spanId;
    if (!parentId) continue;
    let list = byParent.get(parentId);
    if (!list) byParent.set(parentId, (list = []));
    list.push(span);
  }
  return byParent;
}

/**
 * Nests `spans` by parent span id. Top-level nodes are the spans whose parent is not in the set
 * (the local root, and orphans whose parent never arrived), start-ordered. A span is placed once
 * even if the ids form a cycle.
 */
export function buildSpanTree(spans: readonly ReadableSpan[]): TraceTreeNode[] {
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  const byParent = indexChildren(spans);
  const placed = new Set<string>();
  // Iterative, so a very deep trace cannot overflow the stack.
  const build = (top: ReadableSpan): TraceTreeNode => {
    const rootNode: MutableNode = { span: top, depth: 0, children: [] };
    placed.add(top.spanContext().spanId);
    const stack: MutableNode[] = [rootNode];
    for (let node = stack.pop(); node; node = stack.pop()) {
      for (const child of byParent.get(node.span.spanContext().spanId) ?? []) {
        const childId = child.spanContext().spanId;
        if (placed.has(childId)) continue;
        placed.add(childId);
        const childNode: MutableNode = { span: child, depth: node.depth + 1, children: [] };
        node.children.push(childNode);
        stack.push(childNode);
      }
    }
    return rootNode;
  };
  const sorted = sortByStart(spans);
  const roots: TraceTreeNode[] = [];
  for (const span of sorted) {
    const parentId = span.parentSpanContext?.spanId;
    if ((!parentId || !ids.has(parentId)) && !placed.has(span.spanContext().spanId)) roots.push(build(span));
  }
  // Spans only reachable through a cycle (never in a well-formed trace): list them at the top level.
  for (const span of sorted) {
    if (!placed.has(span.spanContext().spanId)) roots.push(build(span));
  }
  return roots;
}

interface MutableNode {
  span: ReadableSpan;
  depth: number;
  children: MutableNode[];
}
