// The viewer's pages in a real headless Chromium, against the real server and store, with spans
// sent by the real OTLP/HTTP exporter from core's manual API: the traces list (numbers, filters in
// the URL, sort, live updates), the trace detail (summary, tree, waterfall, messages, tool calls,
// errors), conversations and stats.
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Page } from 'playwright-core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { formatCost, formatInt, formatPercent } from '../../src/ui/format';
import {
  cspViolations,
  launchBrowser,
  screenshot,
  until,
  type Browser,
  type PageProblems,
} from './support/browser';
import { supportRun } from './support/scenarios';
import { createSender, sumAttribute, type Sender } from './support/spans';
import { captureOnSpans, closeAll, openWatchedPage } from './support/setup';
import { startViewer, type RunningViewer } from './support/viewer';

jest.setTimeout(60_000);

let viewer: RunningViewer;
let sender: Sender;
let browser: Browser;
let page: Page;
let problems: PageProblems;

/** The spans of the trace whose root is the workflow run named `workflow` for `customer`. */
function traceOf(customer: string): { traceId: string; spans: ReadableSpan[] } {
  const root = sender
    .spans()
    .find(
      (s) =>
        s.name.startsWith('invoke_workflow') && s.attributes['agent_otel.metadata.customer'] === customer,
    );
  if (!root) throw new Error(`no run for ${customer}`);
  const traceId = root.spanContext().traceId;
  return { traceId, spans: sender.spans().filter((s) => s.spanContext().traceId === traceId) };
}

async function rows(): Promise<string[]> {
  return page
    .locator('table.traces tbody tr[data-trace-id]')
    .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-trace-id') ?? ''));
}

async function cellTexts(traceId: string): Promise<string[]> {
  return page.locator(`table.traces tbody tr[data-trace-id="${traceId}"] td`).allInnerTexts();
}

beforeAll(async () => {
  captureOnSpans();
  viewer = await startViewer();
  sender = createSender(viewer.url, 'support-service');
  await supportRun({
    conversationId: 'conv-1',
    customer: 'acme',
    question: 'Where is my order A-1001?',
    answer: 'Your order A-1001 has shipped with UPS.',
  });
  await supportRun({
    conversationId: 'conv-1',
    customer: 'globex',
    question: 'And can I get a refund?',
    answer: 'Refunds take 5 days.',
    toolFails: true,
    model: 'gpt-4.1-mini',
  });
  await sender.flush();
  browser = await launchBrowser();
  ({ page, problems } = await openWatchedPage(browser));
});

afterAll(async () => {
  await closeAll({ browser, sender, viewer });
});

afterEach(async () => {
  expect(viewer.logs).toEqual([]);
  expect(problems.pageErrors).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
  expect(await cspViolations(page)).toEqual([]);
});

describe('traces list', () => {
  it('shows each run with its numbers', async () => {
    const response = await page.goto(viewer.url);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('table.traces tbody tr[data-trace-id]');
    const acme = traceOf('acme');
    const globex = traceOf('globex');
    expect((await rows()).sort()).toEqual([acme.traceId, globex.traceId].sort());
    const chat = acme.spans.filter((s) => s.name.startsWith('chat '));
    const tokens =
      sumAttribute(chat, 'gen_ai.usage.input_tokens') + sumAttribute(chat, 'gen_ai.usage.output_tokens');
    const cells = await cellTexts(acme.traceId);
    expect(cells[0]).toContain('customer-support');
    expect(cells[1]).toBe('support-service');
    expect(cells[4]).toBe(formatInt(acme.spans.length));
    expect(cells[5]).toBe('2');
    expect(cells[6]).toContain(formatInt(tokens));
    expect(cells[6]).toContain('270 in · 45 out');
    expect(cells[7]).toBe(formatCost(sumAttribute(chat, 'agent_otel.cost.usd')));
    expect(sumAttribute(chat, 'agent_otel.cost.usd')).toBeGreaterThan(0);
    expect(cells[8]).toBe('0');
    expect((await cellTexts(globex.traceId))[8]).toBe('1');
    await expect(page.locator('.list-status').innerText()).resolves.toContain('of 2 traces');
    // The facets fill the filters' suggestions.
    await until(() =>
      page
        .locator('datalist#facet-models option')
        .evaluateAll((os) => os.map((o) => o.getAttribute('value'))),
    ).toEqual(expect.arrayContaining(['gpt-4o-mini', 'gpt-4.1-mini']));
    expect(await page.getAttribute('input[name="model"]', 'list')).toBe('facet-models');
    expect(
      await page
        .locator('datalist#facet-services option')
        .evaluateAll((os) => os.map((o) => o.getAttribute('value'))),
    ).toEqual(['support-service']);
    await screenshot(page, 'traces-list');
  });

  it('narrows the list with static and attribute filters kept in the URL (reload and back included)', async () => {
    await page.goto(viewer.url);
    await page.waitForSelector('table.traces tbody tr[data-trace-id]');
    const acme = traceOf('acme');
    const globex = traceOf('globex');

    // A static filter: the model.
    await page.fill('input[name="model"]', 'gpt-4.1-mini');
    await page.press('input[name="model"]', 'Enter');
    await until(rows).toEqual([globex.traceId]);
    expect(new URL(page.url()).searchParams.get('model')).toBe('gpt-4.1-mini');

    // Status select applies at once.
    await page.fill('input[name="model"]', '');
    await page.selectOption('select[name="status"]', 'ok');
    await until(rows).toEqual([acme.traceId]);
    expect(new URL(page.url()).searchParams.get('status')).toBe('ok');
    await page.selectOption('select[name="status"]', '');

    // A dynamic filter on a metadata attribute.
    await page.click('button.add-attr');
    await page.fill('.attr-row input[name="attr-key"]', 'agent_otel.metadata.customer');
    await page.fill('.attr-row input[name="attr-value"]', 'globex');
    await page.click('.form-actions button[type="submit"]');
    await until(rows).toEqual([globex.traceId]);
    expect(new URL(page.url()).searchParams.getAll('attr')).toEqual(['agent_otel.metadata.customer=globex']);

    // A reload restores the filter, the form and the result.
    await page.reload();
    await until(rows).toEqual([globex.traceId]);
    expect(await page.inputValue('.attr-row input[name="attr-key"]')).toBe('agent_otel.metadata.customer');
    expect(await page.inputValue('.attr-row input[name="attr-value"]')).toBe('globex');

    // `exists` and a numeric comparison.
    await page.selectOption('.attr-row select[name="attr-op"]', 'exists');
    await page.click('.form-actions button[type="submit"]');
    await until(rows).toHaveLength(2);
    expect(new URL(page.url()).searchParams.getAll('attr')).toEqual(['agent_otel.metadata.customer exists']);
    await page.goto(
      `${viewer.url}/?attr=${encodeURIComponent('gen_ai.usage.output_tokens>20')}&model=gpt-4o-mini`,
    );
    await until(rows).toEqual([acme.traceId]);
    expect(await page.inputValue('input[name="model"]')).toBe('gpt-4o-mini');
    expect(await page.inputValue('.attr-row select[name="attr-op"]')).toBe('>');

    // A time preset: runs of the last hour (`from` in ms since the epoch).
    await page.goto(viewer.url);
    await page.click('.presets button:has-text("1 h")');
    await until(async () => new URL(page.url()).searchParams.get('from')).toMatch(/^\d{13}$/);
    const from = Number(new URL(page.url()).searchParams.get('from'));
    expect(Math.abs(from - (Date.now() - 3_600_000))).toBeLessThan(120_000);
    await until(rows).toHaveLength(2);
    await page.goto(`${viewer.url}/?to=${Date.now() - 3_600_000}`);
    await expect(page.locator('table.traces tbody tr.empty').innerText()).resolves.toContain(
      'No trace matches',
    );
    await page.goto(
      `${viewer.url}/?attr=${encodeURIComponent('gen_ai.usage.output_tokens>20')}&model=gpt-4o-mini`,
    );
    await until(rows).toEqual([acme.traceId]);

    // Back goes to the previous filter state (the `to` window), forward again.
    await page.goBack();
    await until(async () => new URL(page.url()).searchParams.has('to')).toBe(true);
    await until(rows).toEqual([]);
    expect(await page.inputValue('input[name="to"]')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    await page.goForward();
    await until(rows).toEqual([acme.traceId]);

    // Removing the row and clearing.
    await page.goto(`${viewer.url}/?service=nobody`);
    await expect(page.locator('table.traces tbody tr.empty').innerText()).resolves.toContain(
      'No trace matches',
    );
    await page.click('.form-actions button:not([type="submit"])');
    await until(rows).toHaveLength(2);
    expect(new URL(page.url()).search).toBe('');
  });

  it('sorts by a column header and pages through the runs', async () => {
    await page.goto(`${viewer.url}/?limit=25`);
    await page.waitForSelector('table.traces tbody tr[data-trace-id]');
    await page.click('button.sort[data-sort="errors"]');
    await until(async () => new URL(page.url()).searchParams.get('sort')).toBe('errors');
    expect(new URL(page.url()).searchParams.get('order')).toBe('desc');
    await until(rows).toEqual([traceOf('globex').traceId, traceOf('acme').traceId]);
    await page.click('button.sort[data-sort="errors"]');
    await until(rows).toEqual([traceOf('acme').traceId, traceOf('globex').traceId]);
    expect(await page.getAttribute('th[aria-sort="ascending"] button', 'data-sort')).toBe('errors');

    await page.goto(`${viewer.url}/?limit=1&sort=errors&order=desc`);
    await until(rows).toEqual([traceOf('globex').traceId]);
    await page.click('button[data-page="next"]');
    await until(rows).toEqual([traceOf('acme').traceId]);
    expect(new URL(page.url()).searchParams.get('offset')).toBe('1');
    expect(await page.isDisabled('button[data-page="next"]')).toBe(true);
  });

  it('shows a new run without a reload, keeping the filters', async () => {
    await page.goto(`${viewer.url}/?service=support-service`);
    await until(rows).toHaveLength(2);
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    // The keyboard focus stays on the row it was on when the rows are replaced.
    const focused = (await rows())[1];
    await page.focus(`a.run-name[data-trace-id="${focused}"]`);
    await expect(page.locator('.live').getAttribute('data-mode')).resolves.toBe('events');
    await supportRun({
      conversationId: 'conv-1',
      customer: 'initech',
      question: 'Thanks! One more thing: change my address?',
      answer: 'Done: your address is updated.',
    });
    await sender.flush();
    const late = traceOf('initech');
    await page.waitForSelector(`table.traces tbody tr[data-trace-id="${late.traceId}"]`, { timeout: 10_000 });
    expect(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
    expect(new URL(page.url()).searchParams.get('service')).toBe('support-service');
    expect(await rows()).toHaveLength(3);
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.traceId)).toBe(
      focused,
    );
    expect(await page.locator(`tr[data-trace-id="${late.traceId}"]`).getAttribute('class')).toContain(
      'fresh',
    );
  });
});

describe('trace detail', () => {
  it('shows the summary, the tree with its waterfall, and each span’s panel', async () => {
    const acme = traceOf('acme');
    await page.goto(viewer.url);
    await page.click(`a.run-name[data-trace-id="${acme.traceId}"]`);
    await page.waitForSelector('.page-trace[data-rendered]');
    expect(new URL(page.url()).pathname).toBe(`/traces/${acme.traceId}`);

    const summary = await page.locator('.stat-cards.summary').innerText();
    expect(summary).toMatch(/Input tokens\s*$|270/m);
    expect(summary).toContain('270');
    expect(summary).toContain('45');
    expect(await page.locator('.analysis .tools').innerText()).toContain('lookup_order × 1');
    expect(await page.locator('.analysis .handoffs').innerText()).toContain('billing');

    // The tree: one row per span, indented under its parent, coloured by category.
    const treeRows = page.locator('.wf-row');
    await expect(treeRows.count()).resolves.toBe(acme.spans.length);
    const categories = await treeRows.evaluateAll((els) => els.map((el) => el.getAttribute('data-category')));
    expect(new Set(categories)).toEqual(new Set(['workflow', 'agent', 'retrieval', 'model', 'tool']));
    const levels = await treeRows.evaluateAll((els) =>
      els.map((el) => [el.querySelector('.wf-label')?.textContent, el.getAttribute('aria-level')]),
    );
    expect(levels[0]).toEqual(['invoke_workflow customer-support', '1']);
    expect(levels).toContainEqual(['invoke_agent triage', '2']);
    expect(levels).toContainEqual(['execute_tool lookup_order', '3']);
    // Bars are placed by start and duration: the root starts at 0 and spans (nearly) the whole track
    // (sub-pixel rounding and the track's padding keep it a little under 100 %).
    const rootBar = await page
      .locator('.wf-row')
      .first()
      .locator('.wf-bar')
      .evaluate((el) => {
        const track = (el.parentElement as HTMLElement).getBoundingClientRect();
        const bar = el.getBoundingClientRect();
        return { left: bar.left - track.left, width: bar.width / track.width };
      });
    expect(rootBar.left).toBeLessThan(1);
    expect(rootBar.width).toBeGreaterThan(0.95);

    // The first model call: system instructions, tool definitions, the user message, the tool call.
    await page.locator('.wf-row[data-category="model"]').first().click();
    const panel = page.locator('.span-panel');
    await expect(panel.locator('.panel-title').innerText()).resolves.toBe('chat gpt-4o-mini');
    expect(await panel.locator('.content-input .message').first().getAttribute('data-role')).toBe('user');
    expect(await panel.locator('.content-input').innerText()).toContain('Where is my order A-1001?');
    const call = panel.locator('.content-output .part-tool-call');
    expect(await call.locator('.tool-name').innerText()).toBe('lookup_order');
    expect(await call.locator('pre').innerText()).toContain('"orderId": "A-1001"');
    await panel.locator('summary', { hasText: 'Tool definitions' }).click();
    expect(await panel.locator('.tool-def').innerText()).toContain('Finds an order by its id.');
    expect(await panel.innerText()).toContain('You are a helpful support agent for ACME.');
    expect(await panel.locator('.facts').innerText()).toContain('gpt-4o-mini-2024-07-18');
    expect(new URL(page.url()).searchParams.get('span')).toBeTruthy();

    // The second model call: the conversation so far, with roles, the tool result and the answer.
    await page.locator('.wf-row[data-category="model"]').nth(1).click();
    const roles = await panel
      .locator('.content-input .message')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-role')));
    expect(roles).toEqual(['user', 'assistant', 'tool']);
    expect(await panel.locator('.content-input .part-tool-result').innerText()).toContain('"carrier": "UPS"');
    expect(await panel.locator('.content-output').innerText()).toContain(
      'Your order A-1001 has shipped with UPS.',
    );
    expect(await panel.locator('.stat-cards').innerText()).toMatch(/150[\s\S]*30/);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'trace-detail');

    // The tool span: arguments and result. The retrieval: its query and documents.
    await page.locator('.wf-row[data-category="tool"]', { hasText: 'lookup_order' }).click();
    expect(await panel.locator('.content-tool-args').innerText()).toContain('A-1001');
    expect(await panel.locator('.content-tool-result').innerText()).toContain('shipped');
    await page.locator('.wf-row[data-category="retrieval"]').click();
    expect(await panel.locator('.documents').innerText()).toContain('Orders ship within 2 days.');
    expect(await panel.innerText()).toContain('score 0.9100');

    // Reload keeps the selected span.
    await page.reload();
    await page.waitForSelector('.page-trace[data-rendered]');
    await expect(page.locator('.span-panel .panel-title').innerText()).resolves.toBe('retrieval kb');
    expect(await page.locator('.wf-row.selected .wf-label').innerText()).toBe('retrieval kb');

    // Keyboard: down moves to the next row.
    await page.focus('.wf-viewport');
    await page.keyboard.press('ArrowDown');
    await expect(page.locator('.span-panel .panel-title').innerText()).resolves.toBe('chat gpt-4o-mini');
  });

  it('marks errors: the row, the summary and the span’s exception', async () => {
    const globex = traceOf('globex');
    await page.goto(`${viewer.url}/traces/${globex.traceId}`);
    await page.waitForSelector('.page-trace[data-rendered]');
    expect(await page.locator('.stat-error .stat-value').innerText()).toBe('1');
    expect(await page.locator('.analysis .errors').innerText()).toContain('TypeError');
    const errorRow = page.locator('.wf-row.is-error');
    await expect(errorRow.count()).resolves.toBe(1);
    expect(await errorRow.locator('.wf-label').innerText()).toBe('execute_tool lookup_order');
    await page.locator('.analysis .errors button').click();
    const panel = page.locator('.span-panel');
    expect(await panel.locator('.status-error').innerText()).toBe('ERROR');
    expect(await panel.locator('.exception-type').innerText()).toBe('TypeError');
    expect(await panel.locator('.exception-message').innerText()).toBe('warehouse service unavailable');
    expect(await panel.locator('.stack').innerText()).toContain('warehouse service unavailable');
  });

  it('offers spans that arrive while the trace is open', async () => {
    const acme = traceOf('acme');
    await page.goto(`${viewer.url}/traces/${acme.traceId}`);
    await page.waitForSelector('.page-trace[data-rendered]');
    const before = await page.locator('.wf-row').count();
    const root = acme.spans.find((s) => s.name.startsWith('invoke_workflow'));
    if (!root) throw new Error('no root');
    sender.provider
      .getTracer('late')
      .startSpan('late follow-up', {}, trace.setSpanContext(ROOT_CONTEXT, root.spanContext()))
      .end();
    await sender.flush();
    await page.waitForSelector('.notice:not([hidden])', { timeout: 10_000 });
    expect(await page.locator('.notice').innerText()).toContain('1 new span arrived');
    expect(await page.locator('.wf-row').count()).toBe(before);
    await page.click('.notice button');
    await until(() => page.locator('.wf-row').count()).toBe(before + 1);
    expect(await page.locator('.wf-row', { hasText: 'late follow-up' }).getAttribute('data-category')).toBe(
      'other',
    );
  });

  it('says so when a trace is not there', async () => {
    const missing = '0123456789abcdef0123456789abcdef';
    await page.goto(`${viewer.url}/traces/${missing}`);
    await expect(page.locator('.page-trace h1').innerText()).resolves.toBe('Trace not found');
    // The browser logs the 404 of the API request; that one is expected.
    problems.consoleErrors.splice(
      0,
      problems.consoleErrors.length,
      ...problems.consoleErrors.filter((m) => !m.includes('404')),
    );
  });
});

describe('conversations', () => {
  it('groups runs by conversation and shows a conversation’s runs in order with their messages', async () => {
    await page.goto(viewer.url);
    await page.click('nav.nav a[data-section="conversations"]');
    await page.waitForSelector('table.conversations tbody tr td a');
    const row = await page.locator('table.conversations tbody tr').first().locator('td').allInnerTexts();
    expect(row[0]).toBe('conv-1');
    expect(row[2]).toBe('3');
    expect(row[7]).toBe('1');
    await page.click('table.conversations a.run-name');
    expect(new URL(page.url()).pathname).toBe('/conversations/conv-1');
    await page.waitForSelector('.run .message.role-assistant');
    await until(() => page.locator('.run .message.role-assistant').count()).toBe(3);
    const runs = await page
      .locator('.run')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-trace-id')));
    expect(runs).toEqual([traceOf('acme').traceId, traceOf('globex').traceId, traceOf('initech').traceId]);
    const users = await page.locator('.run .message.role-user .part-text').allInnerTexts();
    expect(users).toEqual([
      'Where is my order A-1001?',
      'And can I get a refund?',
      'Thanks! One more thing: change my address?',
    ]);
    expect(await page.locator('.run').first().innerText()).toContain(
      'Your order A-1001 has shipped with UPS.',
    );
    expect(await page.locator('.run').nth(1).locator('.badge-error').innerText()).toContain('1');
    await screenshot(page, 'conversation');
    await page.locator('.run a.run-name').first().click();
    await page.waitForSelector('.page-trace[data-rendered]');
    expect(new URL(page.url()).pathname).toBe(`/traces/${traceOf('acme').traceId}`);
  });
});

describe('stats', () => {
  it('charts and tabulates models, agents and tools over a window', async () => {
    await page.goto(`${viewer.url}/stats`);
    await page.waitForSelector('.stats-group');
    const groups = await page
      .locator('.stats-group')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-group')));
    expect(groups).toEqual(['model', 'agent', 'tool']);
    const table = (group: string) =>
      page
        .locator(`.stats-${group} table.stats tbody tr`)
        .evaluateAll((trs) =>
          trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
        );
    // What the spans say: model calls by model (the response model first, as core reads it), tool
    // calls by tool with their error rate.
    const count = (keys: string[]) => {
      const out: Record<string, number> = {};
      for (const key of keys) out[key] = (out[key] ?? 0) + 1;
      return out;
    };
    const spans = sender.spans();
    const chat = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    const models = count(
      chat.map((s) => String(s.attributes['gen_ai.response.model'] ?? s.attributes['gen_ai.request.model'])),
    );
    expect(Object.keys(models)).toHaveLength(4);
    expect(Object.fromEntries((await table('model')).map((r) => [r[0], Number(r[1])]))).toEqual(models);
    const tools = spans.filter((s) => s.attributes['agent_otel.span.kind'] === 'function');
    const lookup = (await table('tool')).find((r) => r[0] === 'lookup_order');
    expect(lookup?.[1]).toBe(String(tools.length));
    const failed = tools.filter((s) => s.status.code === 2).length;
    expect(failed).toBe(1);
    expect(lookup?.[7]).toBe(formatPercent(failed / tools.length));
    const agents = Object.fromEntries((await table('agent')).map((r) => [r[0], Number(r[1])]));
    expect(agents).toEqual({ triage: tools.length, billing: tools.length });
    // Charts: SVG bars, one per key and series.
    const bars = await page.locator('.stats-model svg.chart rect.bar').count();
    expect(bars).toBeGreaterThanOrEqual(2 * 4);
    expect(await page.locator('.stats-model figcaption').allInnerTexts()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Calls'),
        expect.stringContaining('Duration p50 / p95'),
      ]),
    );
    await screenshot(page, 'stats');
    await page.selectOption('select[name="window"]', '15m');
    expect(new URL(page.url()).searchParams.get('window')).toBe('15m');
    await page.reload();
    expect(await page.inputValue('select[name="window"]')).toBe('15m');
    await page.waitForSelector('.stats-group');
  });
});
