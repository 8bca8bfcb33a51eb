// A 5,000-span trace's detail view. The target (issue #26) is ≤ 1 s in Chromium on the project's
// 2-core machine; bench/ measures it. This test guards against gross regressions only (3 s) and
// prints the measured figures: from the route's start (request included) to the first painted
// frame of the waterfall, and from the navigation's start (page load included).
import type { Page } from 'playwright-core';
import { cspViolations, launchBrowser, type Browser, type PageProblems } from './support/browser';
import { largeRun } from './support/scenarios';
import { createSender, type Sender } from './support/spans';
import { captureOnSpans, closeAll, openWatchedPage } from './support/setup';
import { startViewer, type RunningViewer } from './support/viewer';

jest.setTimeout(120_000);

const SPANS = 5000;
const BOUND_MS = 3000;

let viewer: RunningViewer;
let sender: Sender;
let browser: Browser;
let page: Page;
let problems: PageProblems;
let traceId: string;

beforeAll(async () => {
  captureOnSpans();
  viewer = await startViewer();
  sender = createSender(viewer.url, 'large-service');
  await largeRun(SPANS);
  await sender.flush();
  expect(sender.spans()).toHaveLength(SPANS);
  traceId = sender.spans()[0].spanContext().traceId;
  browser = await launchBrowser();
  ({ page, problems } = await openWatchedPage(browser));
});

afterAll(async () => {
  await closeAll({ browser, sender, viewer });
});

interface Timing {
  /** Route start → waterfall painted (fetch, parse, tree, first rows). */
  readonly routeMs: number;
  /** Of which: route start → data parsed. */
  readonly dataMs: number;
  /** Navigation start → waterfall painted (page load included). */
  readonly sinceNavigationMs: number;
  readonly rowsInDom: number;
}

async function timing(): Promise<Timing> {
  await page.waitForSelector('.page-trace[data-rendered]', { timeout: 30_000 });
  return page.evaluate(() => {
    const [measure] = performance.getEntriesByName('agent-otel:detail', 'measure');
    const [start] = performance.getEntriesByName('agent-otel:detail:start', 'mark');
    const [data] = performance.getEntriesByName('agent-otel:detail:data', 'mark');
    const [rendered] = performance.getEntriesByName('agent-otel:detail:rendered', 'mark');
    return {
      routeMs: measure.duration,
      dataMs: data.startTime - start.startTime,
      sinceNavigationMs: rendered.startTime,
      rowsInDom: document.querySelectorAll('.wf-row').length,
    };
  });
}

describe(`a ${SPANS}-span trace`, () => {
  it(`renders its detail within ${BOUND_MS} ms (target 1 s), keeping the DOM small`, async () => {
    // Cold: a fresh page load of the trace's URL.
    await page.goto(`${viewer.url}/traces/${traceId}`);
    const cold = await timing();
    // Warm: the same trace again through in-app navigation (modules loaded, the usual path).
    await page.click('.crumbs a[href="/"]');
    await page.waitForSelector(`a.run-name[data-trace-id="${traceId}"]`);
    await page.click(`a.run-name[data-trace-id="${traceId}"]`);
    const warm = await timing();
    console.log(
      `${SPANS}-span trace detail: cold load ${cold.routeMs.toFixed(0)} ms from the route start ` +
        `(data ${cold.dataMs.toFixed(0)} ms; ${cold.sinceNavigationMs.toFixed(0)} ms from navigation); ` +
        `in-app ${warm.routeMs.toFixed(0)} ms (data ${warm.dataMs.toFixed(0)} ms); ${warm.rowsInDom} rows in the DOM`,
    );
    expect(cold.routeMs).toBeLessThan(BOUND_MS);
    expect(warm.routeMs).toBeLessThan(BOUND_MS);
    // Virtualized: only the rows in view (and a margin) exist.
    expect(warm.rowsInDom).toBeGreaterThan(10);
    expect(warm.rowsInDom).toBeLessThan(120);
    expect(await page.locator('.stat-cards.summary').innerText()).toContain('5,000');
  });

  it('scrolls to its last span and folds a subtree', async () => {
    await page.goto(`${viewer.url}/traces/${traceId}`);
    await page.waitForSelector('.page-trace[data-rendered]');
    await page.locator('.wf-viewport').evaluate((el) => (el.scrollTop = el.scrollHeight));
    const lastName = sender
      .spans()
      .reduce((a, b) =>
        a.startTime[0] * 1e9 + a.startTime[1] > b.startTime[0] * 1e9 + b.startTime[1] ? a : b,
      ).name;
    await page.waitForFunction(
      (name) => [...document.querySelectorAll('.wf-row .wf-label')].some((el) => el.textContent === name),
      lastName,
    );
    const spacer = await page.locator('.wf-spacer').evaluate((el) => el.getBoundingClientRect().height);
    await page.locator('.wf-viewport').evaluate((el) => (el.scrollTop = 0));
    await page.locator('.wf-row').nth(1).locator('.wf-toggle').click();
    await page.waitForFunction(
      (before) =>
        (document.querySelector('.wf-spacer') as HTMLElement).getBoundingClientRect().height < before,
      spacer,
    );
    expect(await page.locator('.wf-row').nth(1).locator('.wf-count').innerText()).toBe('+49');
    // Find by name jumps to a match.
    await page.fill('.wf-search', 'worker-99');
    await page.press('.wf-search', 'Enter');
    await expect(page.locator('.span-panel .panel-title').innerText()).resolves.toBe(
      'invoke_agent worker-99',
    );
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
  });
});
