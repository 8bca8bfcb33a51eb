// Every value a span carries is untrusted (prompts, model output, tool arguments, metadata, names).
// A run full of script and HTML payloads — in the service name, span and agent names, metadata keys
// and values, the conversation id, prompts, system instructions, tool definitions, tool calls,
// tool arguments and results, retrieval documents, exception messages — must show as visible text
// on every page, run nothing, and trip no Content-Security-Policy violation.
import {
  withAgentSpan,
  withCustomSpan,
  withGenerationSpan,
  withRetrievalSpan,
  withToolSpan,
  withTrace,
} from '@agent-otel/core';
import type { Page } from 'playwright-core';
import { cspViolations, launchBrowser, type Browser, type PageProblems } from './support/browser';
import { createSender, type Sender } from './support/spans';
import { captureOnSpans, closeAll, openWatchedPage } from './support/setup';
import { startViewer, type RunningViewer } from './support/viewer';

jest.setTimeout(60_000);

const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror=window.__pwned=1>';
const SVG = '"><svg onload=window.__pwned=1>';
const URI = 'javascript:window.__pwned=1';

let viewer: RunningViewer;
let sender: Sender;
let browser: Browser;
let page: Page;
let problems: PageProblems;
let traceId: string;
let metadataKey: string;

async function hostileRun(): Promise<void> {
  await withTrace(SCRIPT, { groupId: IMG, metadata: { [IMG]: SCRIPT, note: SVG } }, () =>
    withAgentSpan({ name: IMG }, async () => {
      await withRetrievalSpan({ dataSourceId: SVG, query: SCRIPT }, (span) =>
        span.update({ documents: [{ id: IMG, score: 1, content: SCRIPT, metadata: { [SVG]: IMG } }] }),
      );
      await withGenerationSpan(
        {
          model: SCRIPT,
          provider: 'openai',
          systemInstructions: IMG,
          toolDefinitions: [
            { type: 'function', name: SCRIPT, description: IMG, parameters: { [SVG]: SCRIPT } },
          ],
          input: [
            { role: 'user', content: SCRIPT },
            { role: IMG, content: IMG },
            { role: 'user', parts: [{ type: 'uri', modality: 'image', uri: URI }] },
          ],
        },
        (span) =>
          span.update({
            usage: { inputTokens: 1, outputTokens: 1 },
            output: [
              {
                role: 'assistant',
                content: SVG,
                tool_calls: [
                  {
                    id: SCRIPT,
                    type: 'function',
                    function: { name: IMG, arguments: JSON.stringify({ q: SCRIPT }) },
                  },
                ],
              },
            ],
          }),
      );
      await withToolSpan({ name: SCRIPT, callId: IMG, input: { q: IMG } }, (span) =>
        span.update({ output: SCRIPT }),
      );
      await withToolSpan({ name: IMG, input: SVG }, async () => {
        throw new Error(SCRIPT);
      }).catch(() => undefined);
      withCustomSpan(SVG, () => undefined);
    }),
  );
}

beforeAll(async () => {
  captureOnSpans();
  viewer = await startViewer();
  sender = createSender(viewer.url, IMG);
  await hostileRun();
  await sender.flush();
  const root = sender.spans().find((s) => s.name.startsWith('invoke_workflow'));
  if (!root) throw new Error('the hostile run recorded no workflow span');
  traceId = root.spanContext().traceId;
  metadataKey =
    Object.keys(root.attributes).find(
      (k) => k.startsWith('agent_otel.metadata.') && k !== 'agent_otel.metadata.note',
    ) ?? '';
  browser = await launchBrowser();
  ({ page, problems } = await openWatchedPage(browser));
});

afterAll(async () => {
  await closeAll({ browser, sender, viewer });
});

/** Nothing ran, no markup was created from data, no CSP violation, no error. */
async function expectInert(): Promise<void> {
  const state = await page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    images: document.querySelectorAll('img').length,
    scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
    handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
    links: [...document.querySelectorAll('a[href]')]
      .map((a) => a.getAttribute('href') ?? '')
      .filter((href) => !href.startsWith('/')),
  }));
  expect(state).toEqual({ pwned: undefined, images: 0, scripts: ['/assets/app.js'], handlers: 0, links: [] });
  expect(await cspViolations(page)).toEqual([]);
  expect(problems.pageErrors).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
}

async function bodyText(): Promise<string> {
  return page.locator('body').innerText();
}

describe('hostile span content', () => {
  it('was recorded as sent (so the pages below really get the payloads)', () => {
    const names = sender.spans().map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining([`invoke_workflow ${SCRIPT}`, `invoke_agent ${IMG}`, SVG]));
    expect(metadataKey).toContain('<img');
  });

  it('shows as text in the traces list and its filters', async () => {
    await page.goto(viewer.url);
    await page.waitForSelector(`tr[data-trace-id="${traceId}"]`);
    const text = await bodyText();
    expect(text).toContain(SCRIPT);
    expect(text).toContain(IMG);
    await expectInert();

    const attr = `agent_otel.metadata.note=${SVG}`;
    await page.goto(`${viewer.url}/?attr=${encodeURIComponent(attr)}&name=${encodeURIComponent(SCRIPT)}`);
    await page.waitForSelector(`tr[data-trace-id="${traceId}"]`);
    expect(await page.inputValue('input[name="name"]')).toBe(SCRIPT);
    expect(await page.inputValue('.attr-row input[name="attr-key"]')).toBe('agent_otel.metadata.note');
    expect(await page.inputValue('.attr-row input[name="attr-value"]')).toBe(SVG);
    await expectInert();

    // A key with operator characters cannot be written as a filter: the API's 400 shows as text.
    await page.goto(`${viewer.url}/?attr=${encodeURIComponent(`${metadataKey}>1`)}`);
    await page.waitForSelector('.error-banner:not([hidden])');
    expect(await page.locator('.error-banner').innerText()).toContain('attr');
    problems.consoleErrors.splice(
      0,
      problems.consoleErrors.length,
      ...problems.consoleErrors.filter((m) => !m.includes('400')),
    );
    await expectInert();
  });

  it('shows as text in the trace detail, span by span', async () => {
    await page.goto(`${viewer.url}/traces/${traceId}`);
    await page.waitForSelector('.page-trace[data-rendered]');
    const rowCount = await page.locator('.wf-row').count();
    expect(rowCount).toBe(sender.spans().length);
    const seen = new Set<string>();
    for (let i = 0; i < rowCount; i++) {
      await page.locator('.wf-row').nth(i).click();
      // Open every folded section (tool definitions, resource, long values) so their text renders too.
      await page
        .locator('.span-panel details:not([open]) > summary')
        .evaluateAll((els) => els.forEach((el) => (el as HTMLElement).click()));
      seen.add(await page.locator('.span-panel').innerText());
      await expectInert();
    }
    const all = [...seen].join('\n');
    for (const payload of [SCRIPT, IMG, SVG, URI]) expect(all).toContain(payload);
    // Where each kind of content went.
    expect(all).toContain(`${metadataKey}\t${SCRIPT}`);
    expect(await bodyText()).toContain(`invoke_workflow ${SCRIPT}`);
    await page.locator('.wf-row', { hasText: `chat ${SCRIPT}` }).click();
    expect(await page.locator('.content-input .message').nth(1).getAttribute('data-role')).toBe(IMG);
    expect(await page.locator('.content-output .part-tool-call .tool-name').innerText()).toBe(IMG);
    expect(await page.locator('.content-output .part-tool-call pre').innerText()).toContain(
      SCRIPT.replace(/"/g, '\\"'),
    );
    await expectInert();
  });

  it('shows malformed JSON content as the text it is, and other part types by type', async () => {
    const raw = sender.provider.getTracer('raw-exporter');
    const span = raw.startSpan('chat broken-content', {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.input.messages': `[{"role":"user","parts":[{"type":"text","content":"${SCRIPT}"`,
        'gen_ai.output.messages': JSON.stringify([
          {
            role: 'assistant',
            parts: [
              { type: 'reasoning', content: `thinking about ${IMG}` },
              { type: 'blob', modality: 'image', mime_type: 'image/png', content: 'iVBORw0KGgo=' },
              { type: 'server_tool_call', name: SVG, server_tool_call: { q: SCRIPT } },
              { type: 'text', content: 'final' },
            ],
            finish_reason: 'stop',
          },
        ]),
        'gen_ai.tool.definitions': `not json ${IMG}`,
        'gen_ai.system_instructions': `plain instructions ${SVG}`,
      },
    });
    span.end();
    await sender.flush();
    const id = span.spanContext().traceId;
    await page.goto(`${viewer.url}/traces/${id}`);
    await page.waitForSelector('.page-trace[data-rendered]');
    const panel = page.locator('.span-panel');
    expect(await panel.locator('.content-input .malformed .note').innerText()).toContain('Not valid JSON');
    expect(await panel.locator('.content-input .malformed pre').innerText()).toContain(SCRIPT);
    await panel.locator('summary', { hasText: 'Tool definitions' }).click();
    expect(
      await panel
        .locator('details.content', { hasText: 'Tool definitions' })
        .locator('.malformed pre')
        .innerText(),
    ).toBe(`not json ${IMG}`);
    expect(await panel.locator('.message.role-system').innerText()).toContain(`plain instructions ${SVG}`);
    const output = panel.locator('.content-output');
    await output.locator('.part-reasoning summary').click();
    expect(await output.locator('.part-reasoning').innerText()).toContain(`thinking about ${IMG}`);
    expect(await output.locator('.part-media').innerText()).toBe('[image image/png, 12 base64 characters]');
    expect(await output.locator('.part-other').innerText()).toContain('server_tool_call');
    expect(await output.locator('.part-other').innerText()).toContain(SVG.replace(/"/g, '\\"'));
    expect(await output.locator('.finish').innerText()).toBe('finish: stop');
    await expectInert();
  });

  it('shows as text in conversations and stats', async () => {
    await page.goto(`${viewer.url}/conversations`);
    await page.waitForSelector('table.conversations a.run-name');
    expect(await page.locator('table.conversations a.run-name').innerText()).toBe(IMG);
    await expectInert();
    await page.click('table.conversations a.run-name');
    await page.waitForSelector('.run .message.role-user');
    expect(decodeURIComponent(new URL(page.url()).pathname)).toBe(`/conversations/${IMG}`);
    const text = await bodyText();
    expect(text).toContain(SCRIPT);
    expect(text).toContain(IMG);
    await expectInert();

    await page.goto(`${viewer.url}/stats?window=all`);
    await page.waitForSelector('.stats-group');
    const stats = await bodyText();
    expect(stats).toContain(SCRIPT);
    expect(stats).toContain(IMG);
    const labels = await page.locator('svg.chart title').allTextContents();
    expect(labels.join('\n')).toContain(IMG);
    await expectInert();
  });
});
