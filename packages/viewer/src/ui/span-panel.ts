// The panel of one span: facts, usage and cost, errors and exception events, rendered content
// (system instructions, input and output messages, tool definitions, tool arguments and results,
// retrieval query and documents), other events, and every attribute as a table.
import type { AttributeValue, Attributes, Span, SpanEvent } from '../model.js';
import {
  malformed,
  parseContent,
  renderDocuments,
  renderMessages,
  renderSystemInstructions,
  renderToolDefinitions,
  renderToolValue,
  jsonBlock,
} from './content.js';
import { h, type Child } from './dom.js';
import { formatCost, formatDuration, formatInt, formatTime, nsToMs, relativeMs } from './format.js';
import { CONTENT_ATTRIBUTES, num, str, valueText } from './spans.js';
import type { SpanTree, TreeNode } from './waterfall.js';

export interface SpanPanelContext {
  readonly tree: SpanTree;
  readonly onSelect: (spanId: string) => void;
}

/** The panel for `node`. */
export function renderSpanPanel(node: TreeNode, context: SpanPanelContext): HTMLElement {
  const span = node.span;
  const a = span.attributes;
  const status = span.status.code;
  return h(
    'article',
    { class: 'span-panel', attrs: { 'aria-label': `Span ${span.name}`, 'data-span-id': span.spanId } },
    h(
      'header',
      'panel-head',
      h('h2', 'panel-title', span.name || '(no name)'),
      h(
        'div',
        'chips',
        h('span', `chip cat-${node.category}`, node.category),
        str(a, 'agent_otel.span.kind') ? h('span', 'chip', str(a, 'agent_otel.span.kind')) : null,
        h('span', 'chip', span.kind),
        h('span', `chip status-${status.toLowerCase()}`, status),
      ),
    ),
    facts(node, context),
    usage(a),
    errors(span, context.tree),
    content(a),
    otherEvents(span.events, context.tree.baseNs),
    section('Attributes', attributeTable(a, true), { count: Object.keys(a).length }),
    section('Resource', attributeTable(span.resource, false), {
      count: Object.keys(span.resource).length,
      collapsed: true,
    }),
    span.dropped && (span.dropped.attributes || span.dropped.events)
      ? h(
          'p',
          'note',
          `Dropped by limits or by the sender: ${formatInt(span.dropped.attributes ?? 0)} attributes, ${formatInt(span.dropped.events ?? 0)} events.`,
        )
      : null,
  );
}

function section(
  title: string,
  body: Child,
  options: { count?: number; collapsed?: boolean; className?: string } = {},
): HTMLElement {
  return h(
    'details',
    { class: `panel-section ${options.className ?? ''}`, attrs: { open: !options.collapsed } },
    h('summary', null, title, options.count !== undefined ? h('span', 'count', String(options.count)) : null),
    body,
  );
}

function facts(node: TreeNode, context: SpanPanelContext): HTMLElement {
  const span = node.span;
  const a = span.attributes;
  const rows: [string, Child][] = [
    ['Duration', formatDuration(node.durationMs)],
    ['Start', `${formatTime(nsToMs(span.startTimeUnixNano), true)} (+${formatDuration(node.startMs)})`],
    ['Service', span.serviceName],
    ['Scope', span.scope.version ? `${span.scope.name} ${span.scope.version}` : span.scope.name],
    ['Span id', h('code', null, span.spanId)],
  ];
  if (span.parentSpanId) {
    const parent = context.tree.byId.get(span.parentSpanId);
    rows.push([
      'Parent',
      parent
        ? h(
            'button',
            {
              class: 'link-button',
              attrs: { type: 'button' },
              on: { click: () => context.onSelect(parent.span.spanId) },
            },
            parent.span.name,
          )
        : h('span', null, h('code', null, span.parentSpanId), ' (not in this trace)'),
    ]);
  }
  const add = (label: string, key: string) => {
    const value = a[key];
    if (value !== undefined) rows.push([label, valueText(value)]);
  };
  add('Operation', 'gen_ai.operation.name');
  add('Provider', 'gen_ai.provider.name');
  add('Request model', 'gen_ai.request.model');
  const responseModel = str(a, 'gen_ai.response.model');
  if (responseModel && responseModel !== str(a, 'gen_ai.request.model'))
    rows.push(['Response model', responseModel]);
  add('Agent', 'gen_ai.agent.name');
  add('Tool', 'gen_ai.tool.name');
  add('Tool call id', 'gen_ai.tool.call.id');
  add('Conversation', 'gen_ai.conversation.id');
  add('Finish reasons', 'gen_ai.response.finish_reasons');
  add('Data source', 'gen_ai.data_source.id');
  add('MCP method', 'mcp.method.name');
  if (span.status.message) rows.push(['Status message', span.status.message]);
  return h(
    'dl',
    'facts',
    rows.map(([label, value]) => [h('dt', null, label), h('dd', null, value)]),
  );
}

function usage(a: Attributes): HTMLElement | null {
  const isRollup =
    num(a, 'gen_ai.usage.input_tokens') === undefined &&
    num(a, 'agent_otel.usage.input_tokens') !== undefined;
  const prefix = isRollup ? 'agent_otel.usage.' : 'gen_ai.usage.';
  const items: [string, number | undefined][] = [
    ['Input tokens', num(a, `${prefix}input_tokens`)],
    ['Output tokens', num(a, `${prefix}output_tokens`)],
    ['Cache read', num(a, `${prefix}cache_read.input_tokens`)],
    ['Cache write', num(a, `${prefix}cache_write.input_tokens`)],
    ['Reasoning', num(a, `${prefix}reasoning.output_tokens`)],
    ['Model calls', num(a, 'agent_otel.usage.model_calls')],
  ];
  const cost = num(a, 'agent_otel.cost.usd');
  const present = items.filter(([, v]) => v !== undefined);
  if (present.length === 0 && cost === undefined) return null;
  return section(
    isRollup ? 'Usage (rolled up from the model calls below)' : 'Usage and cost',
    h(
      'div',
      'stat-cards small',
      present.map(([label, value]) => stat(label, formatInt(value as number))),
      cost !== undefined ? stat('Cost', formatCost(cost)) : null,
    ),
  );
}

/** One labelled figure. */
export function stat(label: string, value: Child, className = ''): HTMLElement {
  return h('div', `stat ${className}`, h('div', 'stat-value', value), h('div', 'stat-label', label));
}

function errors(span: Span, tree: SpanTree): HTMLElement | null {
  const exceptions = span.events.filter((e) => e.name === 'exception');
  const errorType = str(span.attributes, 'error.type');
  if (span.status.code !== 'ERROR' && exceptions.length === 0 && errorType === undefined) return null;
  return section(
    'Error',
    h(
      'div',
      'errors',
      span.status.code === 'ERROR'
        ? h(
            'div',
            'error-line',
            h('span', 'badge badge-error', errorType ?? 'ERROR'),
            ' ',
            span.status.message ?? '',
          )
        : errorType
          ? h('div', 'error-line', h('span', 'badge', errorType))
          : null,
      span.attributes['agent_otel.error.data'] !== undefined
        ? h('div', null, h('div', 'sub', 'error data'), jsonOrText(span.attributes['agent_otel.error.data']))
        : null,
      exceptions.map((event) => {
        const at = event.attributes;
        return h(
          'div',
          'exception',
          h(
            'div',
            'exception-head',
            h('span', 'exception-type', valueText(at['exception.type']) || 'exception'),
            ': ',
            h('span', 'exception-message', valueText(at['exception.message'])),
            h('span', 'sub', ` at +${formatDuration(relativeMs(event.timeUnixNano, tree.baseNs))}`),
          ),
          at['exception.stacktrace'] !== undefined
            ? h('pre', 'code stack', valueText(at['exception.stacktrace']))
            : null,
        );
      }),
    ),
    { className: 'section-error' },
  );
}

function jsonOrText(value: AttributeValue): HTMLElement {
  const parsed = parseContent(value);
  return parsed.ok ? jsonBlock(parsed.value) : h('pre', 'code', parsed.text);
}

function content(a: Attributes): Child {
  const out: HTMLElement[] = [];
  const get = (key: string) => a[key];
  const system = get('gen_ai.system_instructions');
  if (system !== undefined)
    out.push(section('System instructions', renderSystemInstructions(system), { className: 'content' }));
  const input = get('gen_ai.input.messages');
  if (input !== undefined)
    out.push(section('Input messages', renderMessages(input), { className: 'content content-input' }));
  const output = get('gen_ai.output.messages');
  if (output !== undefined)
    out.push(section('Output messages', renderMessages(output), { className: 'content content-output' }));
  const args = get('gen_ai.tool.call.arguments');
  if (args !== undefined)
    out.push(section('Tool arguments', renderToolValue(args), { className: 'content content-tool-args' }));
  const result = get('gen_ai.tool.call.result');
  if (result !== undefined)
    out.push(section('Tool result', renderToolValue(result), { className: 'content content-tool-result' }));
  const query = get('gen_ai.retrieval.query.text');
  if (query !== undefined)
    out.push(
      section('Retrieval query', h('div', 'part-text boxed', valueText(query)), { className: 'content' }),
    );
  const documents = get('gen_ai.retrieval.documents');
  if (documents !== undefined)
    out.push(section('Retrieved documents', renderDocuments(documents), { className: 'content' }));
  for (const [key, title] of [
    ['agent_otel.rerank.input', 'Rerank input'],
    ['agent_otel.rerank.output', 'Rerank output'],
  ] as const) {
    const value = get(key);
    if (value !== undefined) out.push(section(title, jsonOrText(value), { className: 'content' }));
  }
  const tools = get('gen_ai.tool.definitions');
  if (tools !== undefined)
    out.push(
      section('Tool definitions', renderToolDefinitions(tools), { className: 'content', collapsed: true }),
    );
  return out;
}

function otherEvents(events: readonly SpanEvent[], baseNs: bigint): HTMLElement | null {
  const others = events.filter((e) => e.name !== 'exception');
  if (others.length === 0) return null;
  return section(
    'Events',
    h(
      'ol',
      'events',
      others.map((event) =>
        h(
          'li',
          'event',
          h(
            'div',
            'event-head',
            h('span', 'event-name', event.name),
            h('span', 'sub', ` +${formatDuration(relativeMs(event.timeUnixNano, baseNs))}`),
          ),
          Object.keys(event.attributes).length ? attributeTable(event.attributes, true) : null,
        ),
      ),
    ),
    { count: others.length },
  );
}

/** Attributes as a key/value table; long and content values fold into a <details>. */
export function attributeTable(attributes: Attributes, foldContent: boolean): HTMLElement {
  const keys = Object.keys(attributes).sort();
  if (keys.length === 0) return h('p', 'note', 'None.');
  return h(
    'table',
    'attrs',
    h(
      'tbody',
      null,
      keys.map((key) => {
        const value = attributes[key];
        const text = valueText(value);
        let cell: Child;
        if (foldContent && CONTENT_ATTRIBUTES.has(key)) {
          const parsed = parseContent(value);
          cell = h(
            'details',
            null,
            h('summary', null, `${formatInt(text.length)} characters (rendered above)`),
            parsed.ok ? jsonBlock(parsed.value) : malformed(parsed.text),
          );
        } else if (text.length > 300 || text.includes('\n')) {
          cell = h('details', null, h('summary', null, `${text.slice(0, 120)}…`), h('pre', 'code', text));
        } else {
          cell = h(
            'span',
            `value value-${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`,
            text,
          );
        }
        return h('tr', null, h('th', { attrs: { scope: 'row' } }, key), h('td', null, cell));
      }),
    ),
  );
}
