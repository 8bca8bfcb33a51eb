import { join } from 'node:path';
import {
  otlpJsonSpans,
  startOtlpReceiver,
  startScriptedServer,
  type NodeRunResult,
  type ScriptedServer,
} from '@agent-otel/testing';
import { assertNodeBuilt, FIXTURES, startNode } from './helpers.js';

// A stream still open when the process ends must not lose its span, however the process is started
// and however it ends. With `--import`, node and the application's imports run on the ESM build of
// core while the instrumentations are required and run on the CommonJS build; the open stream is
// observed by one copy and ended at exit by the other. Each row is a real child process: an ESM or
// CommonJS application opening a real `openai` chat stream against the scripted server, leaving it
// unread, then ending normally, at SIGTERM, or through `shutdown()` of the registration's handle.

jest.setTimeout(60_000);

type ExitMode = 'exit' | 'sigterm' | 'shutdown';

const ROWS: [flag: string, app: string, mode: ExitMode][] = [];
for (const flag of ['--import', '-r']) {
  for (const app of ['open-stream-app.mjs', 'open-stream-app.cjs']) {
    for (const mode of ['exit', 'sigterm', 'shutdown'] as const) ROWS.push([flag, app, mode]);
  }
}

/** What `register()` logs when the application asks for the handle `--import`/`-r` already made. */
const REPEATED_REGISTER = /^.*register\(\) was already called.*$/m;

let server: ScriptedServer;

beforeAll(async () => {
  assertNodeBuilt();
  server = await startScriptedServer();
  server.setDefault({ text: 'a reply nobody reads', id: 'chatcmpl-open-stream' });
});
afterAll(() => server?.close());

async function runRow(flag: string, app: string, mode: ExitMode, endpoint: string): Promise<NodeRunResult> {
  const child = startNode([flag, '@agent-otel/node/register', join(FIXTURES, app)], {
    OPENAI_BASE_URL: server.openaiBaseURL,
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OPEN_STREAM_EXIT: mode,
  });
  if (mode !== 'sigterm') return child.done;
  await child.waitForOutput('stream open');
  return child.stop('SIGTERM');
}

describe('the span of a stream left open at exit', () => {
  it.concurrent.each(ROWS)(
    'node %s @agent-otel/node/register %s, ending by %s: exported once, end_reason shutdown',
    async (flag, app, mode) => {
      const receiver = await startOtlpReceiver();
      try {
        const result = await runRow(flag, app, mode, receiver.url);

        expect(result.stdout).toContain('stream open');
        expect(result.stderr.replace(mode === 'shutdown' ? REPEATED_REGISTER : '', '').trim()).toBe('');
        if (mode === 'sigterm') expect(result.signal).toBe('SIGTERM');
        else expect(result.code).toBe(0);
        if (mode === 'shutdown') expect(result.stdout).toContain('shut down');

        const chats = otlpJsonSpans(receiver.requests).filter(
          (span) => span.attributes['gen_ai.operation.name'] === 'chat',
        );
        expect(chats.map((span) => [span.name, span.attributes['agent_otel.stream.end_reason']])).toEqual([
          ['chat gpt-4o-mini', 'shutdown'],
        ]);
      } finally {
        await receiver.close();
      }
    },
  );
});
