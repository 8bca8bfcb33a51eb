import { otlpJsonSpans } from '@agent-otel/testing';
import { join } from 'node:path';
import { FIXTURES, enqueueWeatherRun, useLangChainApps } from './fixtures/child-harness';
import { AGENT_TREE, APP_STDOUT, GRAPH_TREE, edges } from './fixtures/span-tree';

// Real child Node processes on the built packages, as users start them: `@agent-otel/node/register`
// (`-r` or `--import`) loads LangChainInstrumentation when @langchain/core is installed, and the apps
// are plain LangChain code with no agent-otel import and no callbacks. What is traced comes through
// the real hook paths only: require-in-the-middle / import-in-the-middle seeing @langchain/core's
// internal context file, the configure hook registered there, and the context bridge on LangChain's
// AsyncLocalStorage (the app's own span inside the tool nests under execute_tool). The apps export
// OTLP/JSON to a receiver on 127.0.0.1.

jest.setTimeout(60_000);

const apps = useLangChainApps('langchain-register');

describe.each([
  [
    'CommonJS app (createAgent) with -r',
    ['-r', '@agent-otel/node/register', join(FIXTURES, 'agent-app.cjs')],
    AGENT_TREE,
    'invoke_agent weather_agent',
  ],
  [
    'ESM app (createAgent, static imports) with --import',
    ['--import', '@agent-otel/node/register', join(FIXTURES, 'agent-app.mjs')],
    AGENT_TREE,
    'invoke_agent weather_agent',
  ],
  [
    'ESM app loading LangChain late (StateGraph, await import() after a timer) with --import',
    ['--import', '@agent-otel/node/register', join(FIXTURES, 'late-app.mjs')],
    GRAPH_TREE,
    'invoke_workflow weather_graph',
  ],
])('%s @agent-otel/node/register', (_label, args, tree, rootName) => {
  it('traces the run with no code: root → task → chat / execute_tool, one chat span per model call, the app span under the tool', async () => {
    const result = await apps.run(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(APP_STDOUT);
    expect(apps.server.requests).toHaveLength(2);

    const spans = otlpJsonSpans(apps.receiver.requests);
    expect(edges(spans)).toEqual(tree);
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
    for (const span of spans) {
      expect(span.scope).toBe(span.name === 'lookup weather' ? 'weather-app' : '@agent-otel/langchain');
    }
    // One chat span per model call: the LangChain one, with what the OpenAI client instrumentation
    // (also loaded by register()) saw merged in.
    const chat = (id: string) => spans.find((span) => span.attributes['gen_ai.response.id'] === id);
    expect(chat('chatcmpl-tool')!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.finish_reasons': ['tool_call'],
      'gen_ai.usage.input_tokens': 20,
      'gen_ai.usage.output_tokens': 6,
      'server.address': '127.0.0.1',
      'openai.api.type': 'chat_completions',
    });
    expect(chat('chatcmpl-answer')!.attributes).toMatchObject({
      'gen_ai.response.finish_reasons': ['stop'],
      'openai.api.type': 'chat_completions',
    });
    const root = spans.find((span) => span.name === rootName)!;
    const agentName = rootName.split(' ')[1];
    expect(root.attributes).toMatchObject({ 'gen_ai.agent.name': agentName });
    expect(spans.find((span) => span.name === 'execute_tool weather')!.attributes).toMatchObject({
      'gen_ai.tool.name': 'weather',
      'gen_ai.tool.call.id': 'call_weather',
      'gen_ai.agent.name': agentName,
    });
    expect(root.resource['service.name']).toBe('langchain-register');
    // The API key never reaches the exporter.
    const exported = apps.receiver.requests.map((request) => request.body.toString('utf8')).join('\n');
    expect(exported).not.toContain('sk-child-secret');
  });

  it('exports nothing with OTEL_SDK_DISABLED=true; the app runs unchanged', async () => {
    const result = await apps.run(args, { OTEL_SDK_DISABLED: 'true' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(APP_STDOUT);
    expect(apps.server.requests).toHaveLength(2);
    expect(apps.receiver.requests).toEqual([]);
  });

  it("leaves the app's stdout and exit code as they are without the preload", async () => {
    const env = { APP_EXIT_CODE: '3' };
    const plain = await apps.run(args.slice(2), env);
    enqueueWeatherRun(apps);
    const instrumented = await apps.run(args, env);
    expect(plain).toMatchObject({ code: 3, stderr: '', stdout: APP_STDOUT });
    expect(instrumented).toMatchObject({ code: plain.code, stderr: plain.stderr, stdout: plain.stdout });
    expect(apps.server.requests).toHaveLength(4);
    // The preloaded run was instrumented (it exported spans); the plain one had nothing to export with.
    expect(otlpJsonSpans(apps.receiver.requests).length).toBeGreaterThan(0);
  });
});
