// The setup and teardown every browser test repeats: the real SDK with async context and content
// kept on spans only, a watched page, and closing what was opened (in reverse order).
import { context } from '@opentelemetry/api';
import { configureContent, resetContentPolicy } from '@agent-otel/core';
import { enableAsyncContext } from '@agent-otel/testing/tracing';
import type { Page } from 'playwright-core';
import { watchPage, type Browser, type PageProblems } from './browser';
import type { Sender } from './spans';
import type { RunningViewer } from './viewer';

/** Async context on, and message content captured on spans only (as the viewer reads it). */
export function captureOnSpans(): void {
  enableAsyncContext();
  configureContent({ captureMode: 'SPAN_ONLY' });
}

/** A new page of `browser` and the record of its problems. */
export async function openWatchedPage(browser: Browser): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.context.newPage();
  return { page, problems: await watchPage(page) };
}

/**
 * Closes the browser, the span sender and the viewer (each may be missing when `beforeAll` failed
 * early), then undoes {@link captureOnSpans}.
 */
export async function closeAll(parts: {
  readonly browser?: Browser;
  readonly sender?: Sender;
  readonly viewer?: RunningViewer;
}): Promise<void> {
  await parts.browser?.close();
  await parts.sender?.shutdown();
  await parts.viewer?.close();
  resetContentPolicy();
  context.disable();
}
