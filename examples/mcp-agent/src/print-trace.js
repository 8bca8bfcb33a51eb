'use strict';
// Prints the spans of every process (read back from the shared JSONL file) as one tree per trace,
// with the span kind and the service that recorded each span.
const { readJsonlSpans } = require('@agent-otel/core');

const NAME_WIDTH = 44;

function byStart(a, b) {
  const diff = BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

function line(span, prefix) {
  const label = `${prefix}${span.name}`.padEnd(NAME_WIDTH);
  const service = String(span.resource.attributes['service.name'] ?? '?').padEnd(19);
  const status = span.status.code === 'ERROR' ? `ERROR ${span.attributes['error.type'] ?? ''}`.trim() : 'ok';
  return `${label} ${span.kind.padEnd(8)} ${service} ${span.durationMs.toFixed(1).padStart(7)} ms  ${status}`;
}

/** The tree lines of the spans of one JSONL file. */
async function renderTrees(path) {
  const spans = await readJsonlSpans(path);
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : 'root';
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(span);
  }
  const lines = [];
  const walk = (span, indent, last, top) => {
    lines.push(line(span, top ? '' : `${indent}${last ? '└─ ' : '├─ '}`));
    const kids = (children.get(span.spanId) ?? []).sort(byStart);
    const next = top ? '' : `${indent}${last ? '   ' : '│  '}`;
    kids.forEach((kid, i) => walk(kid, next, i === kids.length - 1, false));
  };
  for (const root of (children.get('root') ?? []).sort(byStart)) {
    walk(root, '', true, true);
    lines.push('');
  }
  return lines;
}

module.exports = { renderTrees };
