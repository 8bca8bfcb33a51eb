// A viewer started with a token: the page takes it from `#token=…` (into sessionStorage, out of the
// address bar), sends it as `Authorization: Bearer` on every API request, and — since EventSource
// cannot send that header — learns about new traces by polling every 2 s.
import { cspViolations, launchBrowser, until, watchPage, type Browser } from './support/browser';
import { supportRun } from './support/scenarios';
import { createSender, type Sender } from './support/spans';
import { captureOnSpans, closeAll } from './support/setup';
import { startViewer, type RunningViewer } from './support/viewer';

jest.setTimeout(60_000);

const TOKEN = 'test-token-7f3a9c';

let viewer: RunningViewer;
let sender: Sender;
let browser: Browser;

beforeAll(async () => {
  captureOnSpans();
  viewer = await startViewer({ token: TOKEN });
  sender = createSender(viewer.url, 'token-service', { Authorization: `Bearer ${TOKEN}` });
  await supportRun({ conversationId: 'c', customer: 'first', question: 'q1', answer: 'a1' });
  await sender.flush();
  browser = await launchBrowser();
});

afterAll(async () => {
  await closeAll({ browser, sender, viewer });
});

function traceIdOf(customer: string): string {
  const root = sender.spans().find((s) => s.attributes['agent_otel.metadata.customer'] === customer);
  if (!root) throw new Error(`no run for ${customer}`);
  return root.spanContext().traceId;
}

describe('a viewer with an access token', () => {
  it('takes the token from #token=, keeps it out of the URL, and polls for new traces', async () => {
    const page = await browser.context.newPage();
    const problems = await watchPage(page);
    const requests: { url: string; authorization: string | undefined }[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/'))
        requests.push({ url: request.url(), authorization: request.headers().authorization });
    });
    await page.goto(`${viewer.url}/#token=${TOKEN}`);
    await page.waitForSelector(`tr[data-trace-id="${traceIdOf('first')}"]`);
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(1);
    expect(await page.locator('.live').getAttribute('data-mode')).toBe('polling');
    expect(await page.locator('.source').innerText()).toBe('local store');
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((r) => r.authorization !== `Bearer ${TOKEN}`)).toEqual([]);
    expect(requests.some((r) => r.url.includes('/api/events'))).toBe(false);

    await supportRun({ conversationId: 'c', customer: 'second', question: 'q2', answer: 'a2' });
    await sender.flush();
    await page.waitForSelector(`tr[data-trace-id="${traceIdOf('second')}"]`, { timeout: 10_000 });

    // A reload keeps the token (sessionStorage), and in-app navigation sends it too.
    await page.reload();
    await page.click(`a.run-name[data-trace-id="${traceIdOf('second')}"]`);
    await page.waitForSelector('.page-trace[data-rendered]');
    expect(requests.filter((r) => r.authorization !== `Bearer ${TOKEN}`)).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  it('says how to give the token when the page has none, or a wrong one', async () => {
    const page = await browser.context.newPage();
    await page.goto(viewer.url);
    await page.waitForSelector('.error-banner:not([hidden])');
    expect(await page.locator('.error-banner').innerText()).toContain('#token=');
    expect(await page.locator('.source').innerText()).toBe('token needed');

    await page.goto(`${viewer.url}/#token=wrong`);
    await until(() => page.locator('.error-banner').innerText()).toContain('refused');
    await page.close();
  });
});
