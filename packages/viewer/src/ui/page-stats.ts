// Stats (`/stats`): per model, agent and tool over a time window — calls, p50/p95 duration,
// tokens, cost and error rate — as SVG bar charts and a table. `?window=24h` keeps the window.
import type { StatsRow } from '../model.js';
import { api, ApiError, onNewTraces } from './api.js';
import { barChart } from './charts.js';
import { clear, h } from './dom.js';
import { formatCost, formatDuration, formatInt, formatPercent } from './format.js';
import { setQuery, type Page, type RouteContext } from './router.js';

const WINDOWS: readonly { readonly key: string; readonly label: string; readonly ms?: number }[] = [
  { key: '15m', label: 'last 15 minutes', ms: 15 * 60_000 },
  { key: '1h', label: 'last hour', ms: 3_600_000 },
  { key: '6h', label: 'last 6 hours', ms: 6 * 3_600_000 },
  { key: '24h', label: 'last 24 hours', ms: 86_400_000 },
  { key: '7d', label: 'last 7 days', ms: 7 * 86_400_000 },
  { key: '30d', label: 'last 30 days', ms: 30 * 86_400_000 },
  { key: 'all', label: 'all stored' },
];
const DEFAULT_WINDOW = '24h';

const GROUPS: readonly { readonly group: StatsRow['group']; readonly title: string }[] = [
  { group: 'model', title: 'Models' },
  { group: 'agent', title: 'Agents' },
  { group: 'tool', title: 'Tools' },
];

/** Rows per chart (the table lists them all). */
const CHART_ROWS = 12;

export function mountStats({ root, url }: RouteContext): Page {
  let windowKey = url.searchParams.get('window') ?? DEFAULT_WINDOW;
  let controller: AbortController | undefined;
  let refreshTimer: number | undefined;
  let last = '';
  const select = h(
    'select',
    { attrs: { name: 'window', 'aria-label': 'Time window' } },
    WINDOWS.map((w) => h('option', { attrs: { value: w.key, selected: w.key === windowKey } }, w.label)),
  );
  select.addEventListener('change', () => {
    windowKey = select.value;
    const params = new URLSearchParams(location.search);
    params.set('window', windowKey);
    setQuery(params, { push: true });
    void load();
  });
  const body = h('div', 'stats-body');
  const error = h('div', { class: 'error-banner', attrs: { role: 'alert', hidden: true } });
  root.append(
    h(
      'section',
      'page page-stats',
      h(
        'div',
        'page-head',
        h('h1', null, 'Stats'),
        h('label', 'field inline', h('span', 'field-label', 'Window'), select),
      ),
      error,
      body,
    ),
  );
  void load();
  const unsubscribe = onNewTraces(() => {
    if (refreshTimer !== undefined) return;
    refreshTimer = window.setTimeout(() => {
      refreshTimer = undefined;
      void load();
    }, 1000);
  });

  async function load(): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    const span = WINDOWS.find((w) => w.key === windowKey)?.ms;
    const params = new URLSearchParams();
    if (span !== undefined) params.set('from', String(Date.now() - span));
    try {
      const { rows } = await api.stats(params, current.signal);
      if (current.signal.aborted) return;
      error.hidden = true;
      const key = JSON.stringify(rows);
      if (key === last) return;
      last = key;
      render(rows);
    } catch (err) {
      if (current.signal.aborted) return;
      error.hidden = false;
      error.textContent = err instanceof ApiError ? err.message : String(err);
    }
  }

  function render(rows: readonly StatsRow[]): void {
    clear(body);
    if (rows.length === 0) {
      body.append(h('p', 'note', 'No model, agent or tool spans in this window.'));
      return;
    }
    for (const { group, title } of GROUPS) {
      const groupRows = rows.filter((r) => r.group === group).sort((a, b) => b.count - a.count);
      if (groupRows.length === 0) continue;
      const top = groupRows.slice(0, CHART_ROWS);
      const label = (r: StatsRow) => r.key || '(none)';
      const hasCost = groupRows.some((r) => r.costUsd !== undefined);
      const hasTokens = groupRows.some((r) => r.inputTokens + r.outputTokens > 0);
      body.append(
        h(
          'section',
          { class: `stats-group stats-${group}`, attrs: { 'data-group': group } },
          h('h2', null, title),
          h(
            'div',
            'charts',
            barChart({
              title: 'Calls',
              series: [{ name: 'calls', className: 'count' }],
              rows: top.map((r) => ({ label: label(r), values: [r.count] })),
              format: formatInt,
            }),
            barChart({
              title: 'Duration p50 / p95',
              series: [
                { name: 'p50', className: 'p50' },
                { name: 'p95', className: 'p95' },
              ],
              rows: top.map((r) => ({ label: label(r), values: [r.p50Ms, r.p95Ms] })),
              format: formatDuration,
            }),
            hasTokens
              ? barChart({
                  title: 'Tokens',
                  series: [
                    { name: 'input', className: 'input' },
                    { name: 'output', className: 'output' },
                  ],
                  rows: top.map((r) => ({ label: label(r), values: [r.inputTokens, r.outputTokens] })),
                  format: formatInt,
                  stacked: true,
                })
              : null,
            hasCost
              ? barChart({
                  title: 'Cost',
                  series: [{ name: 'cost', className: 'cost' }],
                  rows: top.map((r) => ({ label: label(r), values: [r.costUsd ?? 0] })),
                  format: (v) => formatCost(v),
                })
              : null,
            barChart({
              title: 'Error rate',
              series: [{ name: 'error rate', className: 'errors' }],
              rows: top.map((r) => ({ label: label(r), values: [r.errorRate] })),
              format: formatPercent,
            }),
          ),
          table(groupRows, group),
        ),
      );
    }
  }

  return {
    update(next) {
      windowKey = next.searchParams.get('window') ?? DEFAULT_WINDOW;
      select.value = windowKey;
      void load();
    },
    unmount() {
      controller?.abort();
      unsubscribe();
      if (refreshTimer !== undefined) clearTimeout(refreshTimer);
    },
  };
}

function table(rows: readonly StatsRow[], group: StatsRow['group']): HTMLElement {
  const headers = [group, 'Calls', 'p50', 'p95', 'Input tokens', 'Output tokens', 'Cost', 'Error rate'];
  return h(
    'div',
    'table-wrap',
    h(
      'table',
      { class: 'stats', attrs: { 'aria-label': `${group} stats` } },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          headers.map((label, i) => h('th', { class: i ? 'num' : '', attrs: { scope: 'col' } }, label)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((r) =>
          h(
            'tr',
            r.errorRate > 0 ? 'has-error' : null,
            h('td', null, r.key || '(none)'),
            h('td', 'num', formatInt(r.count)),
            h('td', 'num', formatDuration(r.p50Ms)),
            h('td', 'num', formatDuration(r.p95Ms)),
            h('td', 'num', formatInt(r.inputTokens)),
            h('td', 'num', formatInt(r.outputTokens)),
            h('td', 'num', formatCost(r.costUsd)),
            h('td', 'num', formatPercent(r.errorRate)),
          ),
        ),
      ),
    ),
  );
}
