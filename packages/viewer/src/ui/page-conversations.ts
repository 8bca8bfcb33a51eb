// Conversations: traces grouped by `gen_ai.conversation.id` (`/conversations`), and one
// conversation's runs in order with a summary of their messages (`/conversations/:id`).
import type { ConversationSummary, Span, TraceSummary } from '../model.js';
import { api, ApiError, onNewTraces } from './api.js';
import { messagesSummary } from './content.js';
import { clear, h, link, replace } from './dom.js';
import { formatAgo, formatCost, formatDuration, formatInt, formatTime, truncate } from './format.js';
import { pageOf } from './list-query.js';
import { setQuery, type Page, type RouteContext } from './router.js';
import { stat } from './span-panel.js';
import { str } from './spans.js';

export function mountConversations({ root, url }: RouteContext): Page {
  let params = new URLSearchParams(url.search);
  let controller: AbortController | undefined;
  let lastJson = '';
  const status = h('div', { class: 'list-status', attrs: { role: 'status' } });
  const error = h('div', { class: 'error-banner', attrs: { role: 'alert', hidden: true } });
  const tbody = h('tbody');
  const pager = h('nav', { class: 'pager', attrs: { 'aria-label': 'Pages' } });
  root.append(
    h(
      'section',
      'page page-conversations',
      h('div', 'page-head', h('h1', null, 'Conversations'), status),
      h('p', 'note', 'Runs grouped by gen_ai.conversation.id (withTrace’s groupId).'),
      error,
      h(
        'div',
        'table-wrap',
        h(
          'table',
          { class: 'conversations', attrs: { 'aria-label': 'Conversations' } },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['Conversation', 'Services', 'Runs', 'First run', 'Last run', 'Tokens', 'Cost', 'Errors'].map(
                (label, i) =>
                  h('th', { class: i >= 5 || i === 2 ? 'num' : '', attrs: { scope: 'col' } }, label),
              ),
            ),
          ),
          tbody,
        ),
      ),
      pager,
    ),
  );
  void load();
  const unsubscribe = onNewTraces(() => void load(true));

  async function load(quiet = false): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    const { limit, offset } = pageOf(params);
    const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
    for (const key of ['from', 'to']) {
      const value = params.get(key);
      if (value) query.set(key, value);
    }
    try {
      const page = await api.conversations(query, current.signal);
      if (current.signal.aborted) return;
      error.hidden = true;
      const json = JSON.stringify([page, limit, offset]);
      if (quiet && json === lastJson) return;
      lastJson = json;
      render(page.conversations, page.total, limit, offset);
    } catch (err) {
      if (current.signal.aborted || quiet) return;
      error.hidden = false;
      error.textContent = err instanceof ApiError ? err.message : String(err);
    }
  }

  function render(
    conversations: readonly ConversationSummary[],
    total: number,
    limit: number,
    offset: number,
  ): void {
    clear(tbody);
    if (conversations.length === 0) {
      tbody.append(
        h(
          'tr',
          'empty',
          h(
            'td',
            { attrs: { colspan: 8 } },
            'No conversations yet: give withTrace a groupId (gen_ai.conversation.id).',
          ),
        ),
      );
    }
    for (const c of conversations) {
      tbody.append(
        h(
          'tr',
          c.errorCount ? 'has-error' : null,
          h(
            'td',
            null,
            link(`/conversations/${encodeURIComponent(c.conversationId)}`, 'run-name', c.conversationId),
          ),
          h('td', null, c.services.join(', ')),
          h('td', 'num', formatInt(c.traceCount)),
          h(
            'td',
            null,
            h('span', { attrs: { title: formatAgo(c.firstStartMs) } }, formatTime(c.firstStartMs)),
          ),
          h('td', null, h('span', { attrs: { title: formatAgo(c.lastStartMs) } }, formatTime(c.lastStartMs))),
          h('td', 'num', formatInt(c.inputTokens + c.outputTokens)),
          h('td', 'num', formatCost(c.costUsd)),
          h('td', 'num', c.errorCount ? h('span', 'badge badge-error', formatInt(c.errorCount)) : '0'),
        ),
      );
    }
    const last = offset + conversations.length;
    status.textContent = `${formatInt(conversations.length ? offset + 1 : 0)}–${formatInt(last)} of ${formatInt(total)} conversations`;
    replace(
      pager,
      h(
        'button',
        {
          attrs: { type: 'button', disabled: offset === 0 },
          on: { click: () => go(Math.max(0, offset - limit)) },
        },
        '← Newer',
      ),
      h(
        'button',
        { attrs: { type: 'button', disabled: last >= total }, on: { click: () => go(offset + limit) } },
        'Older →',
      ),
    );
  }

  function go(offset: number): void {
    if (offset > 0) params.set('offset', String(offset));
    else params.delete('offset');
    setQuery(params, { push: true });
    void load();
  }

  return {
    update(next) {
      params = new URLSearchParams(next.search);
      void load();
    },
    unmount() {
      controller?.abort();
      unsubscribe();
    },
  };
}

/** How many runs' details are fetched at once for the message summaries. */
const DETAIL_CONCURRENCY = 4;

export function mountConversation({ root, params }: RouteContext): Page {
  const id = params.id ?? '';
  const controller = new AbortController();
  const summaryBox = h('div', 'stat-cards summary');
  const runs = h('ol', { class: 'runs', attrs: { 'aria-label': 'Runs in this conversation' } });
  const error = h('div', { class: 'error-banner', attrs: { role: 'alert', hidden: true } });
  root.append(
    h(
      'section',
      'page page-conversation',
      h('div', 'crumbs', link('/conversations', null, 'Conversations'), ' / '),
      h('h1', null, 'Conversation ', h('code', null, id)),
      summaryBox,
      error,
      runs,
    ),
  );
  let known = '';
  void load();
  const unsubscribe = onNewTraces(() => void load());

  async function load(): Promise<void> {
    let traces: readonly TraceSummary[];
    try {
      const page = await api.conversation(
        id,
        new URLSearchParams({ sort: 'start', order: 'asc', limit: '200' }),
        controller.signal,
      );
      traces = [...page.traces].sort((a, b) => a.startMs - b.startMs);
    } catch (err) {
      if (controller.signal.aborted) return;
      error.hidden = false;
      error.textContent = err instanceof ApiError ? err.message : String(err);
      return;
    }
    const key = JSON.stringify(traces);
    if (key === known) return;
    known = key;
    error.hidden = true;
    const totals = traces.reduce(
      (acc, t) => ({
        input: acc.input + t.inputTokens,
        output: acc.output + t.outputTokens,
        cost: t.costUsd === undefined ? acc.cost : (acc.cost ?? 0) + t.costUsd,
        errors: acc.errors + t.errorCount,
        duration: acc.duration + t.durationMs,
      }),
      { input: 0, output: 0, cost: undefined as number | undefined, errors: 0, duration: 0 },
    );
    replace(
      summaryBox,
      stat('Runs', formatInt(traces.length)),
      stat('Time in runs', formatDuration(totals.duration)),
      stat('Input tokens', formatInt(totals.input)),
      stat('Output tokens', formatInt(totals.output)),
      stat('Cost', formatCost(totals.cost)),
      stat('Errors', formatInt(totals.errors), totals.errors ? 'stat-error' : ''),
    );
    clear(runs);
    if (traces.length === 0) runs.append(h('li', 'note', 'No runs in this conversation.'));
    const items = traces.map((trace, index) => {
      const messages = h('div', 'run-messages', h('span', 'sub', 'loading messages…'));
      runs.append(
        h(
          'li',
          { class: `run${trace.errorCount ? ' has-error' : ''}`, attrs: { 'data-trace-id': trace.traceId } },
          h(
            'div',
            'run-head',
            h('span', 'run-index', `#${index + 1}`),
            link(`/traces/${encodeURIComponent(trace.traceId)}`, 'run-name', trace.name || '(unnamed run)'),
            h('span', 'sub', formatTime(trace.startMs)),
            h('span', 'sub', formatDuration(trace.durationMs)),
            h('span', 'sub', `${formatInt(trace.inputTokens + trace.outputTokens)} tokens`),
            h('span', 'sub', formatCost(trace.costUsd)),
            trace.errorCount ? h('span', 'badge badge-error', `${trace.errorCount} errors`) : null,
          ),
          messages,
        ),
      );
      return { trace, messages };
    });
    // The messages: each run's root (workflow/agent) carries its input and output; fetched a few at a time.
    let next = 0;
    const worker = async () => {
      while (next < items.length && !controller.signal.aborted) {
        const item = items[next++];
        try {
          const detail = await api.trace(item.trace.traceId, controller.signal);
          replace(item.messages, summarize(detail.spans));
        } catch {
          if (controller.signal.aborted) return;
          replace(item.messages, h('span', 'sub', 'messages unavailable'));
        }
      }
    };
    await Promise.all(Array.from({ length: DETAIL_CONCURRENCY }, worker));
  }

  return {
    unmount() {
      controller.abort();
      unsubscribe();
    },
  };
}

/** The run's user input and final answer: from its root, else its first and last model calls. */
function summarize(spans: readonly Span[]): HTMLElement {
  const withInput = spans.filter((s) => s.attributes['gen_ai.input.messages'] !== undefined);
  const withOutput = spans.filter((s) => s.attributes['gen_ai.output.messages'] !== undefined);
  const root = spans.find((s) => !s.parentSpanId);
  const inputSpan = root && root.attributes['gen_ai.input.messages'] !== undefined ? root : withInput[0];
  const outputSpan =
    root && root.attributes['gen_ai.output.messages'] !== undefined
      ? root
      : withOutput[withOutput.length - 1];
  const user = inputSpan ? messagesSummary(inputSpan.attributes['gen_ai.input.messages'], 'user') : undefined;
  const answer = outputSpan ? messagesSummary(outputSpan.attributes['gen_ai.output.messages']) : undefined;
  const tools = spans
    .map((s) => str(s.attributes, 'gen_ai.tool.name'))
    .filter((t): t is string => t !== undefined && t !== '');
  if (!user && !answer && tools.length === 0)
    return h('span', 'sub', 'No captured messages (content capture off?).');
  return h(
    'div',
    'messages compact',
    user
      ? h(
          'div',
          'message role-user',
          h('div', 'message-head', h('span', 'role', 'user')),
          h('div', 'part-text', truncate(user, 600)),
        )
      : null,
    tools.length
      ? h(
          'div',
          'run-tools',
          'tools: ',
          tools.slice(0, 12).map((t) => h('span', 'chip cat-tool', t)),
        )
      : null,
    answer
      ? h(
          'div',
          'message role-assistant',
          h('div', 'message-head', h('span', 'role', 'assistant')),
          h('div', 'part-text', truncate(answer, 600)),
        )
      : null,
  );
}
