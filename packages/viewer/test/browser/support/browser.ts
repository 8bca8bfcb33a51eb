// Headless Chromium for the browser tests: Debian's /usr/bin/chromium (installed by .ci/run) driven
// by playwright-core, which never downloads a browser of its own. A fresh profile per launch.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.AGENT_OTEL_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a quiet, offline, sandbox-less (containers) headless run. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh --user-data-dir (removed on close). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `the viewer's browser tests need Chromium at ${CHROMIUM_PATH}: install Debian's package ` +
        '(apt-get install chromium; .ci/run does it) or set AGENT_OTEL_CHROMIUM to a Chromium binary',
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'agent-otel-viewer-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    colorScheme: 'light',
    timezoneId: 'UTC',
    locale: 'en-US',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What went wrong in a page: console errors, uncaught exceptions, CSP violations. */
export interface PageProblems {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  /** `securitypolicyviolation` events seen by the page (read with {@link cspViolations}). */
}

/**
 * Records the page's console errors and uncaught errors, and (through an init script, which the
 * page's CSP does not apply to) its `securitypolicyviolation` events.
 */
export async function watchPage(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(String(error)));
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      w.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
    });
  });
  return problems;
}

/** The CSP violations the page has reported so far. */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
}

/** Whether screenshots for the docs are wanted (AGENT_OTEL_VIEWER_SCREENSHOTS=1). */
export const SCREENSHOTS = process.env.AGENT_OTEL_VIEWER_SCREENSHOTS === '1';

/** Saves a screenshot to packages/viewer/docs/<name>.png when SCREENSHOTS is set. */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  if (!SCREENSHOTS) return;
  await page.screenshot({
    path: join(__dirname, '..', '..', '..', 'docs', `${name}.png`),
    fullPage: options.fullPage,
  });
}

/**
 * Polls `read` until its value passes the matcher (like Playwright's `expect.poll`): `await
 * until(read).toEqual(x)`. Fails with the matcher's message after `timeoutMs`.
 */
export function until<T>(
  read: () => Promise<T>,
  timeoutMs = 5000,
): jest.AndNot<jest.Matchers<Promise<void>, T>> {
  return new Proxy({} as jest.AndNot<jest.Matchers<Promise<void>, T>>, {
    get(_target, matcher: string) {
      if (matcher === 'not') throw new Error('until(...).not is not supported');
      return async (...args: unknown[]) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const value = await read();
          try {
            (expect(value) as unknown as Record<string, (...a: unknown[]) => void>)[matcher](...args);
            return;
          } catch (error) {
            if (Date.now() > deadline) throw error;
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
    },
  });
}
