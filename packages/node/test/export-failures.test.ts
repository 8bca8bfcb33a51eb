import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { closedPort, type NodeRunResult } from '@agent-otel/testing';
import { assertNodeBuilt, FIXTURES, startNode } from './helpers.js';

// What a user sees when the spans cannot be exported: a short script run with
// `--import @agent-otel/node/register` must end promptly when nothing listens on the endpoint (it
// took ~10 s: the exporter retried the refused connection with backoff while the exit flush waited),
// and the first message must say what failed and what to set. An HTTP error answer is reported with
// the start of its body, which often names the fix (a missing header, a wrong path).

jest.setTimeout(30000);

/** Generous: the exit took ~9 s before; a prompt exit takes a few hundred ms after the app's work. */
const EXIT_AFTER_APP_LIMIT_MILLIS = 3000;

const APP = join(FIXTURES, 'spans-app.mjs');

interface AppRun {
  readonly result: NodeRunResult;
  /** From the app printing "app done" to the process having exited. */
  readonly exitAfterAppMillis: number;
  readonly stderrLines: string[];
}

async function runApp(env: Record<string, string>): Promise<AppRun> {
  const running = startNode(['--import', '@agent-otel/node/register', APP], env);
  await running.waitForOutput('app done');
  const appDone = Date.now();
  const result = await running.done;
  const exitAfterAppMillis = Date.now() - appDone;
  const stderrLines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  return { result, exitAfterAppMillis, stderrLines };
}

interface ErrorServer {
  readonly url: string;
  readonly close: () => Promise<void>;
}

/** An HTTP server on 127.0.0.1 that answers every request with `status` and `body`. */
async function startErrorServer(status: number, body: string, contentType: string): Promise<ErrorServer> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(status, { 'content-type': contentType, 'x-secret-header': 'header-value-1234' });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

beforeAll(() => assertNodeBuilt());

describe('no collector listening', () => {
  it('a short script exits promptly and the first message names the endpoint, the error and the fix', async () => {
    const port = await closedPort();
    const { result, exitAfterAppMillis, stderrLines } = await runApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    });
    process.stdout.write(`refused: exited ${exitAfterAppMillis} ms after the app's work\n`);
    expect(result.code).toBe(0);
    expect(exitAfterAppMillis).toBeLessThan(EXIT_AFTER_APP_LIMIT_MILLIS);
    expect(stderrLines[0]).toContain(`http://127.0.0.1:${port}/v1/traces`);
    expect(stderrLines[0]).toContain('ECONNREFUSED');
    expect(stderrLines[0]).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(stderrLines[0]).toContain('OTEL_TRACES_EXPORTER=none');
    expect(result.stderr).not.toContain('giving up');
    // The spans were counted as lost, once.
    expect(stderrLines.filter((line) => line.includes('dropping spans:'))).toHaveLength(1);
  });

  it('a host that does not resolve: the same prompt exit, the error named', async () => {
    const { result, exitAfterAppMillis, stderrLines } = await runApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://no-such-host.invalid:4318',
    });
    process.stdout.write(`unresolved host: exited ${exitAfterAppMillis} ms after the app's work\n`);
    expect(result.code).toBe(0);
    expect(exitAfterAppMillis).toBeLessThan(EXIT_AFTER_APP_LIMIT_MILLIS);
    expect(stderrLines[0]).toContain('http://no-such-host.invalid:4318/v1/traces');
    expect(stderrLines[0]).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(stderrLines[0]).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(result.stderr).not.toContain('giving up');
  });

  it('a mistyped endpoint is reported at register() with the variable and the fix, and the exit is prompt', async () => {
    const port = await closedPort();
    const { result, exitAfterAppMillis, stderrLines } = await runApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: `htp://127.0.0.1:${port}`,
    });
    process.stdout.write(`mistyped scheme: exited ${exitAfterAppMillis} ms after the app's work\n`);
    expect(result.code).toBe(0);
    // Whatever the default endpoint it falls back to does (refuse, or accept), the exit is prompt.
    expect(exitAfterAppMillis).toBeLessThan(EXIT_AFTER_APP_LIMIT_MILLIS);
    expect(stderrLines[0]).toBe(
      `@agent-otel/node: OTEL_EXPORTER_OTLP_ENDPOINT="htp://127.0.0.1:${port}" uses the scheme "htp:", not ` +
        'http: or https:; use e.g. http://localhost:4318. Falling back to http://localhost:4318/v1/traces for ' +
        'traces, http://localhost:4318/v1/metrics for metrics, http://localhost:4318/v1/logs for logs.',
    );
    expect(result.stderr).not.toContain('giving up');
  });
});

describe('an HTTP error answer', () => {
  let server: ErrorServer | undefined;
  afterEach(async () => server?.close());

  it('is reported with its status and the start of its body', async () => {
    const body = JSON.stringify({
      error: 'missing required header X-Api-Key; set OTEL_EXPORTER_OTLP_HEADERS=x-api-key=<your key>',
    });
    server = await startErrorServer(422, body, 'application/json');
    const { result, exitAfterAppMillis, stderrLines } = await runApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: server.url,
    });
    expect(result.code).toBe(0);
    expect(exitAfterAppMillis).toBeLessThan(EXIT_AFTER_APP_LIMIT_MILLIS);
    expect(stderrLines[0]).toContain(
      `export to ${server.url}/v1/traces failed: HTTP 422 Unprocessable Entity`,
    );
    expect(stderrLines[0]).toContain(body);
    // Headers of the answer are never shown.
    expect(result.stderr).not.toContain('header-value-1234');
  });

  it('shows a large body only in part, without control characters or terminal escapes', async () => {
    const evil = '\u001b[31mred\u001b[0m line one\r\nline two\u0007\u0000\u001b]0;title\u0007 end ';
    const body = evil + 'x'.repeat(1024 * 1024);
    server = await startErrorServer(400, body, 'text/plain');
    const { result, stderrLines } = await runApp({ OTEL_EXPORTER_OTLP_ENDPOINT: server.url });
    expect(result.code).toBe(0);
    const warning = stderrLines.find((line) => line.includes('dropping spans:'));
    expect(warning).toBeDefined();
    expect(warning).toContain('HTTP 400 Bad Request');
    expect(warning).toContain('red line one line two');
    expect(warning).toContain('xxxx');
    // eslint-disable-next-line no-control-regex
    expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(result.stderr.length).toBeLessThan(2000);
  });
});
