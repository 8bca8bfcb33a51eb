import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonlSpans, type JsonlSpanRecord } from '@agent-otel/core';
import { runNode, startOtlpReceiver, type NodeRunResult } from '@agent-otel/testing';

const exampleDir = join(__dirname, '..');

/** Runs the demo exactly as `npm start` does, with extra environment. */
function runDemo(env: Record<string, string>): Promise<NodeRunResult> {
  return runNode(
    ['--import', './src/demo-env.mjs', '--import', '@agent-otel/node/register', 'src/main.mjs'],
    { cwd: exampleDir, env: { ...process.env, NO_COLOR: '1', ...env }, timeoutMillis: 60_000 },
  );
}

function byName(spans: JsonlSpanRecord[], name: string): JsonlSpanRecord[] {
  return spans.filter((span) => span.name === name);
}

/** The spans under `parent`, in start order. */
function childrenOf(spans: JsonlSpanRecord[], parent: JsonlSpanRecord): JsonlSpanRecord[] {
  return spans
    .filter((span) => span.parentSpanId === parent.spanId)
    .sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)));
}

/** `span`'s subtree as `name [kind]` lines, children in start order, indented by depth. */
function treeLines(spans: JsonlSpanRecord[], span: JsonlSpanRecord, depth = 0): string[] {
  return [
    `${'  '.repeat(depth)}${span.name} [${span.kind}]`,
    ...childrenOf(spans, span).flatMap((child) => treeLines(spans, child, depth + 1)),
  ];
}

const QUESTION = "My order A-1001 hasn't arrived. Where is it, and do I get anything back if it's late?";
const ANSWER =
  'Order A-1001 is in transit with DHL (at the Leipzig hub) and due on 2025-06-12. If it arrives later, we refund the 4.90 EUR shipping fee.';
const SYSTEM_PROMPT =
  'You are a helpful support agent. Look orders up before answering, and quote the policies that apply.';

describe('langgraph-agent demo', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-otel-langgraph-demo-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs offline through register(), prints the answer and the trace tree, and exports the agent run', async () => {
    const jsonl = join(dir, 'spans.jsonl');
    const result = await runDemo({ AGENT_OTEL_EXPORTERS: 'tree,jsonl', AGENT_OTEL_JSONL_PATH: jsonl });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Agent: ${ANSWER}`);
    expect(result.stdout).toMatch(/invoke_agent support-agent\s+[\d.]+ ms\s+ok/);
    expect(result.stdout).toContain('execute_tool search_policies');
    expect(result.stdout).toContain('retrieval support-policies');
    // The tree printer's totals line, from the spans' usage.
    expect(result.stdout).toMatch(
      /^Totals {2}model_calls=4 in=1149 out=97 cache_read=640 cost=\$\d+\.\d+ tool_calls=3$/m,
    );

    const spans = await readJsonlSpans(jsonl);
    expect(spans).toHaveLength(16);
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
    const [agent] = byName(spans, 'invoke_agent support-agent');
    expect(agent!.parentSpanId).toBeNull();
    expect(agent!.resource.attributes['service.name']).toBe('langgraph-agent-demo');
    // The graph's nodes in step order: the model node, then the tool node, until the model answers.
    // The retriever, called inside a tool, nests under that tool's span.
    expect(treeLines(spans, agent!)).toEqual([
      'invoke_agent support-agent [INTERNAL]',
      '  task model_request [INTERNAL]',
      '    chat gpt-4o-mini [CLIENT]',
      '  task tools [INTERNAL]',
      '    execute_tool lookup_order [INTERNAL]',
      '  task model_request [INTERNAL]',
      '    chat gpt-4o-mini [CLIENT]',
      '  task tools [INTERNAL]',
      '    execute_tool get_shipping_status [INTERNAL]',
      '  task model_request [INTERNAL]',
      '    chat gpt-4o-mini [CLIENT]',
      '  task tools [INTERNAL]',
      '    execute_tool search_policies [INTERNAL]',
      '      retrieval support-policies [CLIENT]',
      '  task model_request [INTERNAL]',
      '    chat gpt-4o-mini [CLIENT]',
    ]);
    // One span per model call: the LangChain chat span, with the openai client's attributes merged in.
    for (const span of spans) expect(span.instrumentationScope.name).toBe('@agent-otel/langchain');

    // The agent span: createAgent's name, the thread id as the conversation, the run's metadata and
    // the usage of its four model calls.
    expect(agent!.kind).toBe('INTERNAL');
    expect(agent!.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'support-agent',
      'gen_ai.conversation.id': 'ticket-1234',
      'agent_otel.metadata.channel': 'chat',
      'gen_ai.usage.input_tokens': 210 + 262 + 305 + 372,
      'gen_ai.usage.output_tokens': 18 + 21 + 20 + 38,
      'agent_otel.usage.cache_read.input_tokens': 128 + 256 + 256,
      'agent_otel.usage.model_calls': 4,
    });
    expect(agent!.attributes['agent_otel.langchain.run_id']).toEqual(expect.any(String));
    expect(agent!.attributes['agent_otel.cost.usd']).toEqual(expect.any(Number));

    const nodes = childrenOf(spans, agent!);
    expect(
      nodes.map((node) => [
        node.attributes['agent_otel.langgraph.node'],
        node.attributes['agent_otel.langgraph.step'],
      ]),
    ).toEqual([
      ['model_request', 1],
      ['tools', 2],
      ['model_request', 3],
      ['tools', 4],
      ['model_request', 5],
      ['tools', 6],
      ['model_request', 7],
    ]);

    const chats = byName(spans, 'chat gpt-4o-mini').sort((a, b) =>
      Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)),
    );
    expect(chats.map((chat) => chat.attributes['gen_ai.response.finish_reasons'])).toEqual([
      ['tool_call'],
      ['tool_call'],
      ['tool_call'],
      ['stop'],
    ]);
    expect(chats.map((chat) => chat.attributes['gen_ai.usage.input_tokens'])).toEqual([210, 262, 305, 372]);
    expect(chats.map((chat) => chat.attributes['gen_ai.usage.cache_read.input_tokens'])).toEqual([
      undefined,
      128,
      256,
      256,
    ]);
    for (const chat of chats) {
      expect(chat.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': 'gpt-4o-mini',
        'gen_ai.conversation.id': 'ticket-1234',
        // From the openai client's instrumentation, merged into the one chat span.
        'openai.api.type': 'chat_completions',
        'server.address': '127.0.0.1',
      });
      expect(chat.attributes['gen_ai.response.id']).toMatch(/^chatcmpl-/);
    }

    const tools = ['lookup_order', 'get_shipping_status', 'search_policies'].map(
      (name) => byName(spans, `execute_tool ${name}`)[0]!,
    );
    expect(tools.map((span) => span.attributes['gen_ai.tool.call.id'])).toEqual([
      'call_lookup_1',
      'call_shipping_1',
      'call_policies_1',
    ]);
    for (const span of tools) {
      expect(span.attributes).toMatchObject({
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.type': 'function',
        'gen_ai.agent.name': 'support-agent',
      });
    }

    const [retrieval] = byName(spans, 'retrieval support-policies');
    expect(retrieval!.attributes).toMatchObject({
      'gen_ai.operation.name': 'retrieval',
      'gen_ai.data_source.id': 'support-policies',
    });

    // Content capture is off by default, and the API key is never recorded.
    const everything = readFileSync(jsonl, 'utf8');
    expect(everything).not.toContain('gen_ai.input.messages');
    expect(everything).not.toContain('gen_ai.retrieval.query.text');
    expect(everything).not.toContain("hasn't arrived");
    expect(everything).not.toContain('late delivery refund');
    expect(everything).not.toContain('sk-demo-not-a-real-key');
  }, 90_000);

  it('records messages, tool arguments and results and the retrieved documents when content capture is turned on, still without the API key', async () => {
    const jsonl = join(dir, 'spans.jsonl');
    const result = await runDemo({
      AGENT_OTEL_EXPORTERS: 'jsonl',
      AGENT_OTEL_JSONL_PATH: jsonl,
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'SPAN_ONLY',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const spans = await readJsonlSpans(jsonl);
    const [agent] = byName(spans, 'invoke_agent support-agent');
    const [firstNode] = childrenOf(spans, agent!);
    const [firstChat] = childrenOf(spans, firstNode!);
    // LangChain sends createAgent's system prompt as the first message.
    expect(JSON.parse(String(firstChat!.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'system', parts: [{ type: 'text', content: SYSTEM_PROMPT }] },
      { role: 'user', parts: [{ type: 'text', content: QUESTION }] },
    ]);
    const definitions = JSON.parse(String(firstChat!.attributes['gen_ai.tool.definitions'])) as {
      name: string;
    }[];
    expect(definitions.map((definition) => definition.name)).toEqual([
      'lookup_order',
      'get_shipping_status',
      'search_policies',
    ]);
    const [search] = byName(spans, 'execute_tool search_policies');
    expect(JSON.parse(String(search!.attributes['gen_ai.tool.call.arguments']))).toEqual({
      query: 'late delivery refund',
    });
    expect(search!.attributes['gen_ai.tool.call.result']).toContain('Late delivery: if a parcel arrives');
    const [retrieval] = byName(spans, 'retrieval support-policies');
    expect(retrieval!.attributes['gen_ai.retrieval.query.text']).toBe('late delivery refund');
    const documents = JSON.parse(String(retrieval!.attributes['gen_ai.retrieval.documents'])) as {
      metadata: { id: string };
    }[];
    expect(documents.map((document) => document.metadata.id)).toEqual([
      'policy-late-delivery',
      'policy-returns',
    ]);
    // The agent span: the run's last output.
    expect(JSON.parse(String(agent!.attributes['gen_ai.output.messages']))[0].parts).toEqual([
      { type: 'text', content: ANSWER },
    ]);
    expect(readFileSync(jsonl, 'utf8')).not.toContain('sk-demo-not-a-real-key');
  }, 90_000);

  it('exports traces, metrics and logs over OTLP once a collector endpoint is configured', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const result = await runDemo({
        AGENT_OTEL_EXPORTERS: 'none',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        // The details events of the model calls are log records.
        OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'SPAN_AND_EVENT',
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const sent = (path: string) =>
        receiver.requests
          .filter((request) => request.path === path)
          .map((request) => request.body.toString('utf8'))
          .join('\n');
      expect(sent('/v1/traces')).toContain('invoke_agent support-agent');
      expect(sent('/v1/traces')).toContain('retrieval support-policies');
      for (const metric of [
        'gen_ai.invoke_agent.duration',
        'gen_ai.execute_tool.duration',
        'gen_ai.client.inference.duration',
        'gen_ai.client.inference.usage.input_tokens',
      ]) {
        expect(sent('/v1/metrics')).toContain(`"${metric}"`);
      }
      expect(sent('/v1/logs')).toContain('gen_ai.client.inference.operation.details');
      expect(sent('/v1/logs')).not.toContain('sk-demo-not-a-real-key');
    } finally {
      await receiver.close();
    }
  }, 90_000);
});
