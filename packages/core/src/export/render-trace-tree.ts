import { SpanStatusCode, type HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { CompletedTrace } from './CompletedTrace.js';
import {
  ATTR_AGENT_OTEL_HANDOFF_FROM_AGENT,
  ATTR_AGENT_OTEL_HANDOFF_TO_AGENT,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_NAME,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW,
} from '../semconv.js';
import {
  compareHrTime,
  displayCost,
  displayUsage,
  hrTimeDiffMs,
  isLocalRoot,
  spanDurationMs,
  spanKindOf,
  spanModel,
  stringAttr,
} from './span-readers.js';
import { buildSpanTree, type TraceTreeNode } from './span-tree.js';

/** Options of {@link renderTraceTree}. */
export interface RenderTraceTreeOptions {
  /** Use ANSI colors; default false. */
  color?: boolean;
  /** Characters of the timeline bar; 0 hides it. Default {@link DEFAULT_TIMELINE_WIDTH}. */
  timelineWidth?: number;
  /** Show key attributes (model, tokens, cost, tool, error type) and a totals line; default true. */
  showAttributes?: boolean;
}

/** Default width of the timeline bar, in characters. */
export const DEFAULT_TIMELINE_WIDTH = 30;
/** Widest timeline bar accepted. */
const MAX_TIMELINE_WIDTH = 200;
/** Longest tree label (indent + span name) before it is cut with `...`. */
const MAX_LABEL_WIDTH = 60;
const COST_DECIMALS = 6;

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', green: '\x1b[32m' };

interface Row {
  label: string;
  duration: string;
  error: boolean;
  bar: string;
  attributes: string;
}

/**
 * Renders spans as one indented tree per trace, deterministically (only span data is used, so
 * fixed timestamps give a fixed string). Each line: tree label (span name), duration in ms with
 * one decimal, `ok`/`ERROR`, a timeline bar placing the span within the trace, and key attributes.
 * Spans whose parent is not in `spans` are shown at the top level. Lines are joined with `\n`,
 * without a trailing newline. Never throws (returns `''` on unexpected input).
 */
export function renderTraceTree(
  spans: readonly ReadableSpan[],
  options: RenderTraceTreeOptions = {},
): string {
  try {
    const byTrace = new Map<string, ReadableSpan[]>();
    for (const span of spans) {
      const id = span.spanContext().traceId;
      let list = byTrace.get(id);
      if (!list) byTrace.set(id, (list = []));
      list.push(span);
    }
    return [...byTrace.values()].map((list) => renderOne(list, options)).join('\n');
  } catch {
    return '';
  }
}

function renderOne(spans: readonly ReadableSpan[], options: RenderTraceTreeOptions): string {
  const color = options.color === true;
  const showAttributes = options.showAttributes !== false;
  const width = Math.min(
    MAX_TIMELINE_WIDTH,
    Math.max(0, Math.floor(options.timelineWidth ?? DEFAULT_TIMELINE_WIDTH)),
  );
  const paint = (code: string, text: string): string =>
    color && text !== '' ? code + text + ANSI.reset : text;

  const nodes = buildSpanTree(spans);
  const root = nodes.map((n) => n.span).find(isLocalRoot);
  const trace = new CompletedTrace(root ?? nodes[0]!.span, spans);
  let t0 = spans[0]!.startTime;
  let t1 = spans[0]!.endTime;
  for (const s of spans) {
    if (compareHrTime(s.startTime, t0) < 0) t0 = s.startTime;
    if (compareHrTime(s.endTime, t1) > 0) t1 = s.endTime;
  }
  const totalMs = Math.max(0, hrTimeDiffMs(t0, t1));

  const rows: Row[] = [];
  const visit = (node: TraceTreeNode, prefix: string, branch: string): void => {
    const span = node.span;
    rows.push({
      label: prefix + branch + span.name,
      duration: `${spanDurationMs(span).toFixed(1)} ms`,
      error: span.status.code === SpanStatusCode.ERROR,
      bar: width > 0 ? timeline(span, t0, totalMs, width) : '',
      attributes: showAttributes ? keyAttributes(span) : '',
    });
    const childPrefix = prefix + (branch === '' ? '' : branch === '`-- ' ? '    ' : '|   ');
    node.children.forEach((child, i) =>
      visit(child, childPrefix, i === node.children.length - 1 ? '`-- ' : '|-- '),
    );
  };
  for (const node of nodes) visit(node, '', '');

  const labelWidth = Math.min(MAX_LABEL_WIDTH, Math.max(...rows.map((r) => r.label.length)));
  const durationWidth = Math.max(...rows.map((r) => r.duration.length));
  const durationMs = root ? trace.durationMs : totalMs;
  const count = `${spans.length} span${spans.length === 1 ? '' : 's'}`;
  const header = `Trace ${trace.traceId}  ${trace.name}  ${durationMs.toFixed(1)} ms  ${count}${root ? '' : '  (partial: local root not received)'}`;
  const lines = [paint(ANSI.bold, header)];
  for (const r of rows) {
    const label =
      r.label.length > labelWidth ? r.label.slice(0, labelWidth - 3) + '...' : r.label.padEnd(labelWidth);
    const status = r.error ? paint(ANSI.red, 'ERROR') : paint(ANSI.green, 'ok') + '   ';
    let line = `${label}  ${r.duration.padStart(durationWidth)}  ${status}`;
    if (r.bar !== '') line += `  ${paint(ANSI.dim, `|${r.bar}|`)}`;
    if (r.attributes !== '') line += `  ${paint(ANSI.dim, r.attributes)}`;
    lines.push(line.trimEnd());
  }
  if (showAttributes) {
    const totals = totalsLine(trace);
    if (totals !== '') lines.push(paint(ANSI.dim, totals));
  }
  return lines.join('\n');
}

function timeline(span: ReadableSpan, t0: HrTime, totalMs: number, width: number): string {
  if (totalMs <= 0) return '='.repeat(width);
  const startMs = Math.max(0, hrTimeDiffMs(t0, span.startTime));
  const endMs = startMs + spanDurationMs(span);
  let from = Math.min(width - 1, Math.floor((startMs / totalMs) * width));
  let to = Math.min(width, Math.ceil((endMs / totalMs) * width));
  if (to <= from) to = from + 1;
  from = Math.max(0, from);
  return ' '.repeat(from) + '='.repeat(to - from) + ' '.repeat(width - to);
}

function formatCost(usd: number): string {
  return `$${usd.toFixed(COST_DECIMALS)}`;
}

function keyAttributes(span: ReadableSpan): string {
  const a = span.attributes;
  const parts: string[] = [];
  const isHandoff = spanKindOf(span) === 'handoff';
  // A workflow's name (its gen_ai.agent.name since semconv v0.1.0) is already the span's name.
  const agent = stringAttr(a, ATTR_GEN_AI_AGENT_NAME);
  const isWorkflow = a[ATTR_GEN_AI_OPERATION_NAME] === GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW;
  if (agent !== undefined && !isHandoff && !isWorkflow) parts.push(`agent=${agent}`);
  const model = spanModel(span);
  if (model !== undefined) parts.push(`model=${model}`);
  const usage = displayUsage(span);
  if (usage?.inputTokens !== undefined) parts.push(`in=${usage.inputTokens}`);
  if (usage?.outputTokens !== undefined) parts.push(`out=${usage.outputTokens}`);
  if (usage?.cacheReadInputTokens) parts.push(`cache_read=${usage.cacheReadInputTokens}`);
  const cost = displayCost(span);
  if (cost !== undefined) parts.push(`cost=${formatCost(cost)}`);
  const tool = stringAttr(a, ATTR_GEN_AI_TOOL_NAME);
  if (tool !== undefined && !isHandoff) parts.push(`tool=${tool}`);
  if (isHandoff) {
    const from = stringAttr(a, ATTR_AGENT_OTEL_HANDOFF_FROM_AGENT) ?? '?';
    const to = stringAttr(a, ATTR_AGENT_OTEL_HANDOFF_TO_AGENT) ?? '?';
    parts.push(`handoff=${from}->${to}`);
  }
  const errorType = stringAttr(a, ATTR_ERROR_TYPE);
  if (errorType !== undefined) parts.push(`error=${errorType}`);
  return parts.join(' ');
}

function totalsLine(trace: CompletedTrace): string {
  const t = trace.tokenTotals();
  const parts: string[] = [];
  if (t.modelCalls > 0) {
    parts.push(`model_calls=${t.modelCalls}`, `in=${t.inputTokens}`, `out=${t.outputTokens}`);
    if (t.cacheReadInputTokens > 0) parts.push(`cache_read=${t.cacheReadInputTokens}`);
  }
  const cost = trace.cost();
  if (cost !== undefined) parts.push(`cost=${formatCost(cost)}`);
  const tools = Object.values(trace.toolCallCounts()).reduce((sum, n) => sum + n, 0);
  if (tools > 0) parts.push(`tool_calls=${tools}`);
  const errors = trace.errors().length;
  if (errors > 0) parts.push(`errors=${errors}`);
  return parts.length > 0 ? `Totals  ${parts.join(' ')}` : '';
}
