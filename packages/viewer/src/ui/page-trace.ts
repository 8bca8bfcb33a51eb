// The trace detail (`/traces/:id`): the run's summary (from core's completed-trace analysis), the
// span tree with its waterfall, and the selected span's panel. `?span=<id>` selects a span.
import type { TraceDetail } from '../model.js';
import { api, ApiError, onNewTraces } from './api.js';
import { h, link, replace } from './dom.js';
import { formatCost, formatDuration, formatInt, formatTime } from './format.js';
import { setQuery, type Page, type RouteContext } from './router.js';
import { renderSpanPanel, stat } from './span-panel.js';
import { buildTree, createWaterfall, type SpanTree, type Waterfall } from './waterfall.js';

/** Performance marks (read by the browser tests and the benchmark). */
export const MARKS = {
  start: 'agent-otel:detail:start',
  data: 'agent-otel:detail:data',
  rendered: 'agent-otel:detail:rendered',
} as const;

export function mountTrace({ root, params, url }: RouteContext): Page {
  const traceId = params.id ?? '';
  performance.clearMarks(MARKS.start);
  performance.clearMarks(MARKS.data);
  performance.clearMarks(MARKS.rendered);
  performance.clearMeasures('agent-otel:detail');
  performance.mark(MARKS.start);
  const controller = new AbortController();
  const page = h('section', { class: 'page page-trace', attrs: { 'aria-busy': 'true' } });
  page.append(h('p', 'loading', `Loading trace ${traceId}…`));
  root.append(page);
  let waterfall: Waterfall | undefined;
  let tree: SpanTree | undefined;
  const panel = h('div', { class: 'panel-box', attrs: { 'aria-live': 'polite' } });
  const notice = h('div', { class: 'notice', attrs: { role: 'status', hidden: true } });
  let shownSpans = 0;
  let checking = false;
  // Spans of this trace that arrive while it is open (a run still going): offered, not forced on
  // the reader. Only with server events, which name the traces (polling would refetch it all).
  const unsubscribe = onNewTraces((ids) => {
    if (!ids || !ids.includes(traceId) || checking || shownSpans === 0) return;
    checking = true;
    api
      .trace(traceId, controller.signal)
      .then((detail) => {
        const added = detail.spans.length - shownSpans;
        if (added <= 0) return;
        notice.hidden = false;
        replace(
          notice,
          `${added} new span${added === 1 ? '' : 's'} arrived. `,
          h(
            'button',
            {
              class: 'link-button',
              attrs: { type: 'button' },
              on: {
                click: () => {
                  notice.hidden = true;
                  render(detail, new URL(location.href).searchParams.get('span') ?? undefined);
                },
              },
            },
            'Show them',
          ),
        );
      })
      .catch(() => undefined)
      .finally(() => {
        checking = false;
      });
  });

  void (async () => {
    let detail: TraceDetail;
    try {
      detail = await api.trace(traceId, controller.signal);
    } catch (err) {
      if (controller.signal.aborted) return;
      page.removeAttribute('aria-busy');
      replace(
        page,
        h(
          'h1',
          null,
          err instanceof ApiError && err.status === 404 ? 'Trace not found' : 'Could not load the trace',
        ),
        h(
          'p',
          'error-banner',
          err instanceof ApiError && err.status === 404
            ? `No trace ${traceId} in this source (retention may have removed it).`
            : String(err instanceof Error ? err.message : err),
        ),
        link('/', null, '← All traces'),
      );
      return;
    }
    performance.mark(MARKS.data);
    render(
      detail,
      new URL(location.href).searchParams.get('span') ?? url.searchParams.get('span') ?? undefined,
    );
    // Rendered = the frame with the waterfall has been laid out and painted.
    requestAnimationFrame(() =>
      setTimeout(() => {
        performance.mark(MARKS.rendered);
        performance.measure('agent-otel:detail', MARKS.start, MARKS.rendered);
        page.setAttribute('data-rendered', 'true');
      }, 0),
    );
  })();

  function render(detail: TraceDetail, selectedId: string | undefined): void {
    const { summary, analysis } = detail;
    shownSpans = detail.spans.length;
    waterfall?.destroy();
    tree = buildTree(detail.spans);
    const builtTree = tree;
    const initial =
      selectedId && builtTree.byId.has(selectedId) ? selectedId : builtTree.roots[0]?.span.spanId;
    waterfall = createWaterfall({ tree: builtTree, selected: initial, onSelect: select });
    const tokens = analysis.tokens;
    const tools = Object.entries(analysis.toolCalls).sort((a, b) => b[1] - a[1]);
    page.removeAttribute('aria-busy');
    replace(
      page,
      h(
        'div',
        'trace-head',
        h(
          'div',
          'crumbs',
          link('/', null, 'Traces'),
          ' / ',
          summary.conversationId
            ? [
                link(
                  `/conversations/${encodeURIComponent(summary.conversationId)}`,
                  null,
                  `Conversation ${summary.conversationId}`,
                ),
                ' / ',
              ]
            : null,
        ),
        h('h1', 'trace-title', summary.name || '(unnamed run)'),
        h(
          'div',
          'trace-meta',
          h('span', null, summary.serviceName),
          h('span', null, formatTime(summary.startMs, true)),
          h('code', 'trace-id', summary.traceId),
          summary.rootSpanName !== summary.name ? h('span', null, summary.rootSpanName) : null,
        ),
      ),
      h(
        'div',
        'stat-cards summary',
        stat('Duration', formatDuration(analysis.durationMs)),
        stat('Spans', formatInt(detail.spans.length)),
        stat('Model calls', formatInt(tokens.modelCalls)),
        stat('Input tokens', formatInt(tokens.inputTokens)),
        stat('Output tokens', formatInt(tokens.outputTokens)),
        tokens.cacheReadInputTokens ? stat('Cache read', formatInt(tokens.cacheReadInputTokens)) : null,
        tokens.cacheWriteInputTokens ? stat('Cache write', formatInt(tokens.cacheWriteInputTokens)) : null,
        tokens.reasoningOutputTokens ? stat('Reasoning', formatInt(tokens.reasoningOutputTokens)) : null,
        stat('Cost', formatCost(analysis.costUsd)),
        stat('Errors', formatInt(analysis.errors.length), analysis.errors.length ? 'stat-error' : ''),
      ),
      h(
        'div',
        'analysis',
        tools.length
          ? h(
              'div',
              'analysis-block tools',
              h('h3', null, 'Tool calls'),
              h(
                'div',
                'chips',
                tools.map(([name, n]) => h('span', 'chip cat-tool', `${name} × ${n}`)),
              ),
            )
          : null,
        analysis.handoffPath.length
          ? h(
              'div',
              'analysis-block handoffs',
              h('h3', null, 'Handoff path'),
              h(
                'ol',
                'handoff-path',
                analysis.handoffPath.map((agent) => h('li', null, h('span', 'chip cat-agent', agent))),
              ),
            )
          : null,
        analysis.slowSpans.length
          ? h(
              'div',
              'analysis-block slow',
              h('h3', null, 'Slowest spans'),
              h(
                'ol',
                'span-links',
                analysis.slowSpans.map((s) =>
                  h(
                    'li',
                    null,
                    spanButton(s.spanId, s.name),
                    h('span', 'sub', ` ${formatDuration(s.durationMs)}`),
                  ),
                ),
              ),
            )
          : null,
        analysis.errors.length
          ? h(
              'div',
              'analysis-block errors',
              h('h3', null, 'Errors'),
              h(
                'ol',
                'span-links',
                analysis.errors.map((e) =>
                  h(
                    'li',
                    null,
                    h('span', 'badge badge-error', e.errorType),
                    ' ',
                    spanButton(e.spanId, builtTree.byId.get(e.spanId)?.span.name ?? e.spanId),
                    e.message ? h('div', 'sub', e.message) : null,
                  ),
                ),
              ),
            )
          : null,
      ),
      notice,
      h('div', 'detail-grid', h('div', 'tree-box', waterfall.element), panel),
    );
    waterfall.refresh();
    if (initial) showPanel(initial);
  }

  function spanButton(spanId: string, name: string): HTMLElement {
    return h(
      'button',
      {
        class: 'link-button',
        attrs: { type: 'button', 'data-span-link': spanId },
        on: { click: () => select(spanId) },
      },
      name,
    );
  }

  function select(spanId: string): void {
    waterfall?.select(spanId);
    showPanel(spanId);
    const next = new URLSearchParams(location.search);
    next.set('span', spanId);
    setQuery(next);
  }

  function showPanel(spanId: string): void {
    const node = tree?.byId.get(spanId);
    if (!node || !tree) return;
    replace(panel, renderSpanPanel(node, { tree, onSelect: select }));
  }

  return {
    update(next: URL) {
      const spanId = next.searchParams.get('span');
      if (spanId) {
        waterfall?.select(spanId);
        showPanel(spanId);
      }
    },
    unmount() {
      controller.abort();
      unsubscribe();
      waterfall?.destroy();
    },
  };
}
