import { join } from 'node:path';
import { resultOf, runNode, startNode } from './support/child';
import { report, sharedJaeger, uniqueService } from './support/e2e-env';
import { startFaultyCollector } from './support/faulty-collector';
import { freePort, REPO_ROOT } from './support/jaeger-process';
import { orphans, waitForSpans } from './support/jaeger-query';

// Spans still waiting in the batch queue when the app ends must be exported first: on a normal
// exit, on SIGTERM and on SIGINT. The batch delay (5 s by default) is longer than the apps run, so
// nothing is exported before the end unless the 512-span batch size is reached.

const APP = join(REPO_ROOT, 'e2e/fixtures/shutdown-app.mjs');
const RUNS = 250;
const SPANS = RUNS * 4;
const figures: string[] = [];

afterAll(() => report('graceful shutdown', figures));

async function spansOf(service: string) {
  const spans = await waitForSpans(sharedJaeger().queryUrl, service, {
    minSpans: SPANS,
    timeoutMillis: 15_000,
  });
  expect(orphans(spans)).toEqual([]);
  return spans;
}

it('normal exit of a short script: zero spans lost', async () => {
  const service = uniqueService('exit');
  const result = await runNode(['--import', '@agent-otel/node/register', APP], {
    cwd: REPO_ROOT,
    env: {
      OTEL_SERVICE_NAME: service,
      OTEL_EXPORTER_OTLP_ENDPOINT: sharedJaeger().otlpUrl,
      RUNS: String(RUNS),
    },
  });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const spans = await spansOf(service);
  expect(spans).toHaveLength(SPANS);
  figures.push(
    `normal exit: ${spans.length}/${SPANS} spans in Jaeger, process ran ${result.elapsedMillis} ms`,
  );
});

it.each([
  ['SIGTERM', '--import'],
  ['SIGINT', '-r'],
] as const)(
  '%s (node %s @agent-otel/node/register): zero spans lost, the process still dies of the signal',
  async (signal, preload) => {
    const service = uniqueService(signal.toLowerCase());
    const running = startNode([preload, '@agent-otel/node/register', APP], {
      cwd: REPO_ROOT,
      env: {
        OTEL_SERVICE_NAME: service,
        OTEL_EXPORTER_OTLP_ENDPOINT: sharedJaeger().otlpUrl,
        RUNS: String(RUNS),
        MODE: 'wait',
      },
    });
    await running.waitForOutput('ready');
    const sent = Date.now();
    running.child.kill(signal);
    const result = await running.done;
    const exitMillis = Date.now() - sent;
    expect(result.stderr).toBe('');
    expect(result.signal).toBe(signal);
    const spans = await spansOf(service);
    expect(spans).toHaveLength(SPANS);
    figures.push(
      `${signal} (${preload}): ${spans.length}/${SPANS} spans in Jaeger, exited ${exitMillis} ms after the signal`,
    );
  },
);

describe('forceFlush() and shutdown() with a dead collector return within shutdownTimeoutMillis', () => {
  const TIMEOUT = 1000;
  // Slack for timers and the event loop on a loaded 2-core machine.
  const SLACK = 400;

  it.each(['refusing connections', 'accepting but never answering'])('%s', async (kind) => {
    const collector =
      kind === 'refusing connections'
        ? undefined
        : await startFaultyCollector(sharedJaeger().otlpUrl, { kind: 'slow', delayMillis: 60_000 });
    const endpoint = collector?.url ?? `http://127.0.0.1:${await freePort()}`;
    try {
      const result = await runNode([join(REPO_ROOT, 'e2e/fixtures/flush-dead-collector.mjs')], {
        cwd: REPO_ROOT,
        env: {
          OTEL_SERVICE_NAME: uniqueService('flush'),
          OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
          // Each export may take 10 s: far longer than the flush may wait.
          OTEL_EXPORTER_OTLP_TIMEOUT: '10000',
          FLUSH_TIMEOUT_MILLIS: String(TIMEOUT),
        },
      });
      expect(result.code).toBe(0);
      const { flushMillis, shutdownMillis } = resultOf<{ flushMillis: number; shutdownMillis: number }>(
        result,
      );
      expect(flushMillis).toBeLessThan(TIMEOUT + SLACK);
      expect(shutdownMillis).toBeLessThan(TIMEOUT + SLACK);
      figures.push(
        `forceFlush() with a collector ${kind}: returned in ${Math.round(flushMillis)} ms, ` +
          `shutdown() in ${Math.round(shutdownMillis)} ms (shutdownTimeoutMillis ${TIMEOUT}, export timeout 10000)`,
      );
    } finally {
      await collector?.close();
    }
  });
});
