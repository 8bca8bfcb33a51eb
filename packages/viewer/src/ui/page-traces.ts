// The traces list (`/`): agent runs with filters on static fields and on any attribute, sort,
// pagination and live updates. The filters live in the URL (the API's parameter names).
import type { TracePage, TraceSummary } from '../model.js';
import { api, ApiError, onNewTraces, type Facets } from './api.js';
import { clear, datalist, h, link, replace, type Child } from './dom.js';
import {
  formatAgo,
  formatCost,
  formatDuration,
  formatInt,
  formatTime,
  fromLocalInput,
  toLocalInput,
} from './format.js';
import {
  apiParams,
  ATTR_OPS,
  countFilters,
  FILTER_PARAMS,
  formatAttr,
  PAGE_SIZES,
  pageOf,
  parseAttr,
  RANGE_FILTERS,
  sortOf,
  TEXT_FILTERS,
  type AttrOp,
  type AttrRow,
  type SortKey,
} from './list-query.js';
import { navigate, setQuery, type Page, type RouteContext } from './router.js';
import { SPAN_KINDS } from './spans.js';

interface Column {
  readonly label: string;
  readonly sort?: SortKey;
  readonly numeric?: boolean;
  readonly cell: (trace: TraceSummary) => Child;
}

const COLUMNS: readonly Column[] = [
  {
    label: 'Run',
    sort: 'name',
    cell: (t) => [
      link(
        `/traces/${encodeURIComponent(t.traceId)}`,
        { class: 'run-name', attrs: { 'data-trace-id': t.traceId } },
        t.name || '(unnamed)',
      ),
      t.rootSpanName && t.rootSpanName !== t.name ? h('div', 'sub', t.rootSpanName) : null,
      t.models.length || t.agents.length
        ? h(
            'div',
            'chips',
            t.agents.slice(0, 4).map((a) => h('span', 'chip chip-agent', a)),
            t.models.slice(0, 3).map((m) => h('span', 'chip chip-model', m)),
          )
        : null,
    ],
  },
  { label: 'Service', cell: (t) => t.serviceName },
  {
    label: 'Start',
    sort: 'start',
    cell: (t) => h('span', { attrs: { title: formatAgo(t.startMs) } }, formatTime(t.startMs)),
  },
  { label: 'Duration', sort: 'duration', numeric: true, cell: (t) => formatDuration(t.durationMs) },
  { label: 'Spans', sort: 'spans', numeric: true, cell: (t) => formatInt(t.spanCount) },
  { label: 'Model calls', numeric: true, cell: (t) => formatInt(t.modelCalls) },
  {
    label: 'Tokens',
    sort: 'tokens',
    numeric: true,
    cell: (t) => [
      formatInt(t.inputTokens + t.outputTokens),
      h('div', 'sub', `${formatInt(t.inputTokens)} in · ${formatInt(t.outputTokens)} out`),
    ],
  },
  { label: 'Cost', sort: 'cost', numeric: true, cell: (t) => formatCost(t.costUsd) },
  {
    label: 'Errors',
    sort: 'errors',
    numeric: true,
    cell: (t) => (t.errorCount > 0 ? h('span', 'badge badge-error', formatInt(t.errorCount)) : '0'),
  },
];

const TIME_PRESETS: readonly { label: string; ms: number }[] = [
  { label: '15 min', ms: 15 * 60_000 },
  { label: '1 h', ms: 3_600_000 },
  { label: '24 h', ms: 86_400_000 },
  { label: '7 d', ms: 7 * 86_400_000 },
];

export function mountTraces({ root, url }: RouteContext): Page {
  let params = new URLSearchParams(url.search);
  let controller: AbortController | undefined;
  let lastJson = '';
  let shown = new Set<string>();
  let refreshTimer: number | undefined;
  let facetsAt = 0;
  let loading = false;
  let pending = false;

  const facetLists = h('div', 'facets');
  const form = h('form', { class: 'filters', attrs: { role: 'search', 'aria-label': 'Filter traces' } });
  const attrRows = h('div', 'attr-rows');
  const status = h('div', { class: 'list-status', attrs: { role: 'status' } });
  const error = h('div', { class: 'error-banner', attrs: { role: 'alert', hidden: true } });
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'traces', attrs: { 'aria-label': 'Traces' } }, thead, tbody);
  const pager = h('nav', { class: 'pager', attrs: { 'aria-label': 'Pages' } });
  const filterCount = h('span', 'badge');

  root.append(
    h(
      'section',
      'page page-traces',
      h('div', 'page-head', h('h1', null, 'Traces'), status),
      h(
        'details',
        { class: 'filter-panel', attrs: { open: true } },
        h('summary', null, 'Filters ', filterCount),
        form,
      ),
      facetLists,
      error,
      h('div', 'table-wrap', table),
      pager,
    ),
  );

  buildForm();
  renderHead();
  void load();
  void loadFacets();
  const unsubscribe = onNewTraces(() => scheduleRefresh());

  function field(label: string, input: HTMLElement): HTMLElement {
    return h('label', 'field', h('span', 'field-label', label), input);
  }

  function input(name: string, value: string, extra: Record<string, string> = {}): HTMLInputElement {
    return h('input', { attrs: { name, value, type: 'text', autocomplete: 'off', ...extra } });
  }

  function buildForm(): void {
    clear(form);
    clear(attrRows);
    const fields: HTMLElement[] = TEXT_FILTERS.map((f) =>
      field(
        f.label,
        input(f.param, params.get(f.param) ?? '', {
          ...(f.list ? { list: `facet-${f.list}` } : {}),
          ...(f.placeholder ? { placeholder: f.placeholder } : {}),
        }),
      ),
    );
    const statusSelect = h(
      'select',
      { attrs: { name: 'status' } },
      [
        ['', 'any'],
        ['error', 'with errors'],
        ['ok', 'without errors'],
      ].map(([value, label]) =>
        h('option', { attrs: { value, selected: (params.get('status') ?? '') === value } }, label),
      ),
    );
    statusSelect.addEventListener('change', () => apply());
    fields.push(field('Status', statusSelect));
    for (const range of RANGE_FILTERS) {
      fields.push(
        field(
          range.label,
          h(
            'span',
            'range',
            input(range.min, params.get(range.min) ?? '', {
              type: 'number',
              min: '0',
              step: range.step,
              placeholder: 'min',
            }),
            h('span', 'range-sep', '–'),
            input(range.max, params.get(range.max) ?? '', {
              type: 'number',
              min: '0',
              step: range.step,
              placeholder: 'max',
            }),
          ),
        ),
      );
    }
    const timeValue = (name: string) => {
      const raw = params.get(name);
      if (!raw) return '';
      const ms = /^\d+$/.test(raw) ? Number(raw) : new Date(raw).getTime();
      return Number.isFinite(ms) ? toLocalInput(ms) : '';
    };
    fields.push(
      field('From', input('from', timeValue('from'), { type: 'datetime-local' })),
      field('To', input('to', timeValue('to'), { type: 'datetime-local' })),
    );
    const presets = h(
      'div',
      'presets',
      h('span', 'field-label', 'Last'),
      TIME_PRESETS.map((preset) =>
        h(
          'button',
          {
            class: 'link-button',
            attrs: { type: 'button' },
            on: {
              click: () => {
                (form.elements.namedItem('from') as HTMLInputElement).value = toLocalInput(
                  Date.now() - preset.ms,
                );
                (form.elements.namedItem('to') as HTMLInputElement).value = '';
                apply();
              },
            },
          },
          preset.label,
        ),
      ),
    );
    for (const raw of params.getAll('attr')) {
      const row = parseAttr(raw);
      if (row) attrRows.append(attrRow(row));
    }
    form.append(
      h('div', 'field-grid', fields),
      presets,
      h(
        'fieldset',
        'attr-filters',
        h('legend', null, 'Attribute filters (any span attribute, e.g. agent_otel.metadata.customer)'),
        attrRows,
        h(
          'button',
          {
            class: 'link-button add-attr',
            attrs: { type: 'button' },
            on: {
              click: () => {
                const row = attrRow({ key: '', op: '=', value: '' });
                attrRows.append(row);
                row.querySelector('input')?.focus();
              },
            },
          },
          '+ add attribute filter',
        ),
      ),
      h(
        'div',
        'form-actions',
        h('button', { class: 'primary', attrs: { type: 'submit' } }, 'Apply'),
        h(
          'button',
          {
            attrs: { type: 'button' },
            on: {
              click: () => {
                const next = new URLSearchParams();
                for (const key of ['sort', 'order', 'limit']) {
                  const value = params.get(key);
                  if (value) next.set(key, value);
                }
                params = next;
                setQuery(params, { push: true });
                buildForm();
                void load();
              },
            },
          },
          'Clear',
        ),
      ),
    );
    form.onsubmit = (event) => {
      event.preventDefault();
      apply();
    };
    filterCount.textContent = String(countFilters(params));
  }

  function attrRow(row: AttrRow): HTMLElement {
    const key = input('attr-key', row.key, {
      placeholder: 'attribute key',
      'aria-label': 'Attribute key',
      list: 'facet-attr-keys',
    });
    const op = h(
      'select',
      { attrs: { name: 'attr-op', 'aria-label': 'Operator' } },
      ATTR_OPS.map((o) => h('option', { attrs: { value: o, selected: o === row.op } }, o)),
    );
    const value = input('attr-value', row.value, { placeholder: 'value', 'aria-label': 'Attribute value' });
    const sync = () => value.classList.toggle('hidden', op.value === 'exists');
    op.addEventListener('change', sync);
    sync();
    const element = h(
      'div',
      'attr-row',
      key,
      op,
      value,
      h(
        'button',
        {
          class: 'icon-button',
          attrs: { type: 'button', title: 'Remove this filter', 'aria-label': 'Remove this filter' },
          on: {
            click: () => {
              element.remove();
              apply();
            },
          },
        },
        '×',
      ),
    );
    return element;
  }

  /** Reads the form into the URL (pushState) and reloads the first page. */
  function apply(): void {
    const next = new URLSearchParams();
    const data = new FormData(form);
    for (const param of FILTER_PARAMS) {
      if (param === 'attr' || param === 'from' || param === 'to') continue;
      const value = String(data.get(param) ?? '').trim();
      if (value) next.set(param, value);
    }
    for (const name of ['from', 'to']) {
      const ms = fromLocalInput(String(data.get(name) ?? ''));
      if (ms !== undefined) next.set(name, String(ms));
    }
    for (const row of attrRows.querySelectorAll('.attr-row')) {
      const [key, value] = row.querySelectorAll('input');
      const op = row.querySelector('select');
      const text = formatAttr({ key: key.value, op: (op?.value ?? '=') as AttrOp, value: value.value });
      if (text) next.append('attr', text);
    }
    for (const key of ['sort', 'order', 'limit']) {
      const value = params.get(key);
      if (value) next.set(key, value);
    }
    params = next;
    filterCount.textContent = String(countFilters(params));
    setQuery(params, { push: true });
    void load();
  }

  function renderHead(): void {
    const { sort, order } = sortOf(params);
    replace(
      thead,
      h(
        'tr',
        null,
        COLUMNS.map((column) => {
          const active = column.sort === sort;
          const th = h('th', {
            class: column.numeric ? 'num' : '',
            attrs: {
              scope: 'col',
              'aria-sort': active
                ? order === 'asc'
                  ? 'ascending'
                  : 'descending'
                : column.sort
                  ? 'none'
                  : undefined,
            },
          });
          if (!column.sort) th.textContent = column.label;
          else {
            const key = column.sort;
            th.append(
              h(
                'button',
                {
                  class: `sort${active ? ' active' : ''}`,
                  attrs: { type: 'button', 'data-sort': key },
                  on: { click: () => sortBy(key) },
                },
                column.label,
                active ? (order === 'asc' ? ' ▲' : ' ▼') : '',
              ),
            );
          }
          return th;
        }),
      ),
    );
  }

  function sortBy(key: SortKey): void {
    const current = sortOf(params);
    const order =
      current.sort === key ? (current.order === 'asc' ? 'desc' : 'asc') : key === 'name' ? 'asc' : 'desc';
    params.set('sort', key);
    params.set('order', order);
    params.delete('offset');
    setQuery(params, { push: true });
    renderHead();
    void load();
  }

  function goToOffset(offset: number): void {
    if (offset > 0) params.set('offset', String(offset));
    else params.delete('offset');
    setQuery(params, { push: true });
    void load();
    table.scrollIntoView({ block: 'nearest' });
  }

  async function load(options: { quiet?: boolean } = {}): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    loading = true;
    if (!options.quiet) table.setAttribute('aria-busy', 'true');
    try {
      const page = await api.traces(
        apiParams(new URL(`?${params.toString()}`, location.origin)),
        current.signal,
      );
      if (current.signal.aborted) return;
      error.hidden = true;
      render(page, options.quiet === true);
    } catch (err) {
      if (current.signal.aborted) return;
      error.hidden = false;
      error.textContent = err instanceof ApiError ? err.message : `Could not load traces: ${String(err)}`;
      if (!options.quiet) {
        clear(tbody);
        clear(pager);
        status.textContent = '';
      }
    } finally {
      if (controller === current) {
        loading = false;
        table.removeAttribute('aria-busy');
        if (pending) {
          pending = false;
          scheduleRefresh();
        }
      }
    }
  }

  function render(page: TracePage, live: boolean): void {
    const json = JSON.stringify(page);
    if (live && json === lastJson) return;
    lastJson = json;
    // Keep the focused row (a live refresh replaces the rows under the user).
    const focused =
      document.activeElement instanceof HTMLElement ? document.activeElement.dataset.traceId : undefined;
    const previous = shown;
    shown = new Set(page.traces.map((t) => t.traceId));
    clear(tbody);
    if (page.traces.length === 0) {
      tbody.append(
        h(
          'tr',
          'empty',
          h(
            'td',
            { attrs: { colspan: COLUMNS.length } },
            countFilters(params) > 0
              ? 'No trace matches these filters.'
              : 'No traces yet. Point an OTLP exporter at this viewer (OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318) and run your agent.',
          ),
        ),
      );
    }
    for (const trace of page.traces) {
      const row = h(
        'tr',
        {
          class: `${trace.errorCount > 0 ? 'has-error' : ''}${live && !previous.has(trace.traceId) ? ' fresh' : ''}`,
          attrs: { 'data-trace-id': trace.traceId },
          on: {
            click: (event) => {
              if (event.target instanceof Element && event.target.closest('a, button')) return;
              if (window.getSelection()?.toString()) return;
              navigate(`/traces/${encodeURIComponent(trace.traceId)}`);
            },
          },
        },
        COLUMNS.map((column) => h('td', column.numeric ? 'num' : null, column.cell(trace))),
      );
      tbody.append(row);
    }
    if (focused) {
      const again = [...tbody.querySelectorAll<HTMLElement>('a[data-trace-id]')].find(
        (a) => a.dataset.traceId === focused,
      );
      again?.focus({ preventScroll: true });
    }
    renderPager(page);
  }

  function renderPager(page: TracePage): void {
    const { limit, offset } = pageOf(params);
    const first = page.traces.length ? offset + 1 : 0;
    const last = offset + page.traces.length;
    const total = `${formatInt(page.total)}${page.totalIsLowerBound ? '+' : ''}`;
    status.textContent = `${formatInt(first)}–${formatInt(last)} of ${total} traces`;
    const size = h(
      'select',
      { attrs: { 'aria-label': 'Traces per page' } },
      PAGE_SIZES.map((n) => h('option', { attrs: { value: n, selected: n === limit } }, `${n} per page`)),
    );
    size.addEventListener('change', () => {
      params.set('limit', size.value);
      params.delete('offset');
      setQuery(params, { push: true });
      void load();
    });
    replace(
      pager,
      h(
        'button',
        {
          attrs: { type: 'button', disabled: offset === 0, 'data-page': 'prev' },
          on: { click: () => goToOffset(Math.max(0, offset - limit)) },
        },
        '← Newer',
      ),
      h('span', 'pager-range', `${formatInt(first)}–${formatInt(last)} of ${total}`),
      h(
        'button',
        {
          attrs: {
            type: 'button',
            disabled: last >= page.total && !page.totalIsLowerBound,
            'data-page': 'next',
          },
          on: { click: () => goToOffset(offset + limit) },
        },
        'Older →',
      ),
      size,
    );
  }

  function scheduleRefresh(): void {
    if (refreshTimer !== undefined) return;
    refreshTimer = window.setTimeout(() => {
      refreshTimer = undefined;
      if (loading) {
        pending = true;
        return;
      }
      void load({ quiet: true });
      if (Date.now() - facetsAt > 5000) void loadFacets();
    }, 200);
  }

  async function loadFacets(): Promise<void> {
    facetsAt = Date.now();
    let facets: Facets;
    try {
      facets = await api.facets();
    } catch {
      return;
    }
    replace(
      facetLists,
      datalist('facet-services', facets.services ?? []),
      datalist('facet-models', facets.models ?? []),
      datalist('facet-providers', facets.providers ?? []),
      datalist('facet-agents', facets.agents ?? []),
      datalist('facet-tools', facets.tools ?? []),
      datalist('facet-operations', facets.operations ?? []),
      datalist('facet-span-kinds', SPAN_KINDS),
      datalist('facet-attr-keys', [
        'agent_otel.metadata.',
        'gen_ai.request.model',
        'gen_ai.response.finish_reasons',
        'gen_ai.usage.input_tokens',
        'gen_ai.usage.output_tokens',
        'agent_otel.cost.usd',
        'error.type',
        'http.response.status_code',
      ]),
    );
  }

  return {
    update(next: URL) {
      // Back/forward between filter states of this page.
      params = new URLSearchParams(next.search);
      buildForm();
      renderHead();
      void load();
    },
    unmount() {
      controller?.abort();
      unsubscribe();
      if (refreshTimer !== undefined) clearTimeout(refreshTimer);
    },
  };
}
