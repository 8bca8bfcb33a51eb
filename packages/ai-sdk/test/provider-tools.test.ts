// A provider-executed tool (OpenAI Responses `web_search_call`) with the real `ai` 7 and @ai-sdk/openai.
// The scripted server answers the Responses request; the test's `fetch` adds the `web_search_call`
// output item the real API returns when it ran the search itself.
import { configureContent } from '@agent-otel/core';
import { createOpenAI } from '@ai-sdk/openai';
import * as ai from 'ai';
import { generateText } from 'ai';
import { registerAiSdkTelemetry } from '../src/index';
import { attributesOf, parentOf, setupTracing, treeOf, useServer, type TestTracing } from './helpers';

/** `fetch` that adds a completed `web_search_call` item before the output of every Responses answer. */
const withWebSearchCall: typeof fetch = async (url, init) => {
  const response = await fetch(url, init);
  if (!String(url).endsWith('/responses')) return response;
  const body = (await response.json()) as { output: unknown[] };
  body.output.unshift({
    type: 'web_search_call',
    id: 'ws_1',
    status: 'completed',
    action: { type: 'search', query: 'weather in Paris' },
  });
  return new Response(JSON.stringify(body), {
    status: response.status,
    headers: { 'content-type': 'application/json' },
  });
};

describe('provider-executed tools', () => {
  const h = useServer();
  let t: TestTracing;
  beforeAll(() => {
    t = setupTracing();
    registerAiSdkTelemetry(ai);
  });
  afterEach(() => {
    t.reset();
    configureContent({ captureMode: 'NO_CONTENT' });
  });
  afterAll(() => t.shutdown());

  const run = () => {
    const openai = createOpenAI({
      baseURL: h.server.openaiBaseURL,
      apiKey: 'sk-test',
      fetch: withWebSearchCall,
    });
    h.server.enqueue({ text: 'Sunny in Paris.' });
    return generateText({
      model: openai.responses('gpt-4o'),
      prompt: 'Weather in Paris?',
      tools: { web_search: openai.tools.webSearch() },
      telemetry: { functionId: 'searcher' },
    });
  };

  it('records a zero-length execute_tool span of type extension under the chat span', async () => {
    const result = await run();
    expect(result.text).toBe('Sunny in Paris.');
    expect(result.toolResults.map((part) => part.toolName)).toEqual(['web_search']);
    expect(treeOf(t.spans())).toEqual([
      'invoke_agent searcher [INTERNAL]',
      '  chat gpt-4o [CLIENT]',
      '    execute_tool web_search [INTERNAL]',
    ]);
    const tool = t.byName('execute_tool web_search');
    expect(attributesOf(tool)).toEqual({
      'agent_otel.span.kind': 'function',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'web_search',
      'gen_ai.tool.call.id': 'ws_1',
      'gen_ai.tool.type': 'extension',
    });
    // Started and ended while the SDK reported the model call's end: it lies inside the chat span.
    const chat = t.byName('chat gpt-4o');
    expect(parentOf(tool)).toBe(chat.spanContext().spanId);
    const toMs = ([s, ns]: [number, number]) => s * 1e3 + ns / 1e6;
    expect(toMs(tool.startTime)).toBeGreaterThanOrEqual(toMs(chat.startTime));
    expect(toMs(tool.endTime)).toBeLessThanOrEqual(toMs(chat.endTime));
    expect(toMs(tool.endTime) - toMs(tool.startTime)).toBeLessThan(5);
  });

  it('records the provider tool result only under the content policy', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    await run();
    const tool = t.byName('execute_tool web_search');
    expect(JSON.parse(tool.attributes['gen_ai.tool.call.result'] as string)).toEqual({
      action: { type: 'search', query: 'weather in Paris' },
    });
  });
});
