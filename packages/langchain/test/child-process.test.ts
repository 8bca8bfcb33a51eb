import { otlpJsonSpans, type NodeRunResult } from '@agent-otel/testing';
import { join } from 'node:path';
import { FIXTURES, useLangChainApps } from './fixtures/child-harness';
import { AGENT_TREE, edges, type ChildSpan } from './fixtures/span-tree';

// Real child Node processes on the built packages:
// - LangChainInstrumentation set up by hand with no @agent-otel/node: registerInstrumentations (its
//   require hook sees @langchain/core's internal context file load) or manuallyInstrument on
//   @langchain/core/context; the app prints its spans (an in-memory exporter of its own).
// - An app started with @agent-otel/node/register (a handler registered for every run) that also
//   passes callbacks: [createLangChainHandler()]: each run is traced once.
// The apps that rely on register() alone are in node-register.test.ts.

jest.setTimeout(60_000);

const apps = useLangChainApps('langchain-child');

/** The spans direct-app.cjs printed. */
function printedSpans(stdout: string): ChildSpan[] {
  const line = stdout.split('\n').find((text) => text.startsWith('SPANS '));
  if (line === undefined) throw new Error(`the app printed no spans: ${stdout.slice(0, 2000)}`);
  return JSON.parse(line.slice('SPANS '.length)) as ChildSpan[];
}

/** Checks that the app ran to its end (two model calls) and traced one createAgent run; its spans. */
function expectOneAgentTrace(result: NodeRunResult, spansOf: () => ChildSpan[]): ChildSpan[] {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('app done Sunny.\n');
  expect(apps.server.requests).toHaveLength(2);
  const spans = spansOf();
  expect(edges(spans)).toEqual(AGENT_TREE);
  expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
  return spans;
}

describe.each([
  ['registerInstrumentations (the require hook)', 'register'],
  ["manuallyInstrument(require('@langchain/core/context'))", 'manual'],
])('LangChainInstrumentation without @agent-otel/node: %s', (_label, setup) => {
  it('traces a createAgent run given no callbacks, the app span under the tool', async () => {
    const result = await apps.run([join(FIXTURES, 'direct-app.cjs')], { LC_SETUP: setup });
    const spans = expectOneAgentTrace(result, () => printedSpans(result.stdout));
    const chats = spans.filter((span) => span.name === 'chat gpt-4o-mini');
    expect(chats.map((span) => span.attributes['gen_ai.response.id']).sort()).toEqual([
      'chatcmpl-answer',
      'chatcmpl-tool',
    ]);
    for (const chat of chats) {
      expect(chat.scope).toBe('@agent-otel/langchain');
      expect(chat.attributes).toMatchObject({
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
      });
    }
    expect(spans.find((span) => span.name === 'execute_tool weather')!.attributes).toMatchObject({
      'gen_ai.tool.call.id': 'call_weather',
      'gen_ai.agent.name': 'weather_agent',
    });
    // Nothing is exported: this app has no @agent-otel/node.
    expect(apps.receiver.requests).toEqual([]);
  });
});

describe.each([
  ['CommonJS app with -r', ['-r', '@agent-otel/node/register', join(FIXTURES, 'agent-app.cjs')]],
  ['ESM app with --import', ['--import', '@agent-otel/node/register', join(FIXTURES, 'agent-app.mjs')]],
])('%s @agent-otel/node/register, passing callbacks: [createLangChainHandler()] as well', (_label, args) => {
  it('traces each run once', async () => {
    const result = await apps.run(args, { LC_HANDLER: '1' });
    expectOneAgentTrace(result, () => otlpJsonSpans(apps.receiver.requests));
  });
});
