import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './jaeger-process';
import type { StoredSpan } from './jaeger-query';

/** One expected span: name, kind, a few attributes, and its children in start order. */
export interface ExpectedSpan {
  readonly name: string;
  readonly kind: StoredSpan['kind'];
  /** Attributes that must have exactly these values. */
  readonly attributes?: Readonly<Record<string, string | number | boolean>>;
  readonly children?: readonly ExpectedSpan[];
}

/**
 * What an example's trace must look like in Jaeger. Examples without a descriptor still run and get
 * the generic checks (exit 0, spans arrive, one root per trace, no orphans, service name, no
 * content attributes unless capture is on).
 */
export interface ExampleDescriptor {
  /**
   * The service name(s) the example's spans carry when it sets them itself (register's
   * `serviceName` wins over OTEL_SERVICE_NAME). Default: the OTEL_SERVICE_NAME the harness sets.
   */
  readonly services?: readonly string[];
  /** The whole tree of each trace the example produces, in the order the traces start. */
  readonly traces: readonly ExpectedSpan[];
  /** Text the example prints on success. */
  readonly stdoutIncludes?: string;
  /** Content attributes that must appear somewhere when capture is on (SPAN_ONLY). */
  readonly contentAttributes?: readonly string[];
  /** Extra environment the example needs. */
  readonly env?: Readonly<Record<string, string>>;
}

/** An example found under examples/ with a `start` script. */
export interface Example {
  /** Whether the start script preloads `@agent-otel/node/register` (else the app registers in code). */
  readonly preloadsRegister: boolean;
  /** Folder name under examples/. */
  readonly dir: string;
  readonly path: string;
  /** The `start` script's arguments after `node`. */
  readonly args: readonly string[];
  readonly descriptor: ExampleDescriptor | undefined;
}

/** The GenAI content attributes: absent unless content capture is turned on. */
export const CONTENT_ATTRIBUTES = [
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.tool.definitions',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
] as const;

const SUPPORT_AGENT: ExampleDescriptor = {
  stdoutIncludes: 'Agent: Your order A-1001 has shipped',
  contentAttributes: [
    'gen_ai.input.messages',
    'gen_ai.output.messages',
    'gen_ai.tool.call.arguments',
    'gen_ai.tool.call.result',
  ],
  traces: [
    {
      name: 'invoke_workflow customer-support',
      kind: 'INTERNAL',
      attributes: {
        'gen_ai.operation.name': 'invoke_workflow',
        'gen_ai.agent.name': 'customer-support',
        'gen_ai.conversation.id': 'ticket-1234',
        'agent_otel.metadata.channel': 'chat',
      },
      children: [
        {
          name: 'invoke_agent support-agent',
          kind: 'INTERNAL',
          attributes: {
            'gen_ai.operation.name': 'invoke_agent',
            'gen_ai.agent.name': 'support-agent',
            'gen_ai.usage.input_tokens': 142 + 188,
            'gen_ai.usage.output_tokens': 19 + 24,
            'agent_otel.usage.model_calls': 2,
          },
          children: [
            {
              name: 'chat gpt-4o-mini',
              kind: 'CLIENT',
              attributes: {
                'gen_ai.operation.name': 'chat',
                'gen_ai.provider.name': 'openai',
                'gen_ai.request.model': 'gpt-4o-mini',
                'gen_ai.usage.input_tokens': 142,
                'gen_ai.usage.output_tokens': 19,
                'server.address': '127.0.0.1',
              },
            },
            {
              name: 'execute_tool lookup_order',
              kind: 'INTERNAL',
              attributes: {
                'gen_ai.operation.name': 'execute_tool',
                'gen_ai.tool.name': 'lookup_order',
                'gen_ai.tool.call.id': 'call_lookup_1',
              },
            },
            {
              name: 'chat gpt-4o-mini',
              kind: 'CLIENT',
              attributes: {
                'gen_ai.operation.name': 'chat',
                'gen_ai.provider.name': 'openai',
                'gen_ai.usage.input_tokens': 188,
                'gen_ai.usage.output_tokens': 24,
                'gen_ai.usage.cache_read.input_tokens': 128,
              },
            },
          ],
        },
      ],
    },
  ],
};

const mcpPair = (
  method: string,
  server: 'weather' | 'travel-docs',
  serverChildren: readonly ExpectedSpan[] = [],
): ExpectedSpan => ({
  name: method,
  kind: 'CLIENT',
  attributes: { 'mcp.method.name': method.split(' ')[0]!, 'agent_otel.mcp.server.name': server },
  children: [{ name: method, kind: 'SERVER', children: serverChildren }],
});

/** Three processes (agent, stdio server, Streamable HTTP server), one trace. */
const MCP_AGENT: ExampleDescriptor = {
  services: ['docs-mcp-server', 'mcp-agent', 'weather-mcp-server'],
  stdoutIncludes: 'Agent: Lisbon will be sunny',
  traces: [
    {
      name: 'invoke_workflow plan-trip',
      kind: 'INTERNAL',
      attributes: { 'agent_otel.metadata.destination': 'Lisbon' },
      children: [
        mcpPair('initialize', 'weather'),
        mcpPair('initialize', 'travel-docs'),
        {
          name: 'invoke_agent trip-planner',
          kind: 'INTERNAL',
          children: [
            mcpPair('tools/list', 'weather'),
            mcpPair('tools/list', 'travel-docs'),
            { name: 'chat gpt-4o-mini', kind: 'CLIENT', attributes: { 'gen_ai.provider.name': 'openai' } },
            {
              name: 'execute_tool get_forecast',
              kind: 'INTERNAL',
              attributes: { 'gen_ai.tool.name': 'get_forecast' },
              children: [
                {
                  name: 'tools/call get_forecast',
                  kind: 'SERVER',
                  attributes: { 'gen_ai.tool.name': 'get_forecast', 'mcp.method.name': 'tools/call' },
                  children: [{ name: 'forecast_lookup', kind: 'INTERNAL' }],
                },
              ],
            },
            {
              name: 'execute_tool search_docs',
              kind: 'INTERNAL',
              attributes: { 'gen_ai.tool.name': 'search_docs' },
              children: [
                {
                  name: 'tools/call search_docs',
                  kind: 'SERVER',
                  attributes: { 'gen_ai.tool.name': 'search_docs', 'mcp.method.name': 'tools/call' },
                  children: [{ name: 'search_index', kind: 'INTERNAL' }],
                },
              ],
            },
            { name: 'chat gpt-4o-mini', kind: 'CLIENT', attributes: { 'gen_ai.provider.name': 'openai' } },
          ],
        },
      ],
    },
  ],
};

const span = (
  name: string,
  kind: ExpectedSpan['kind'],
  children: ExpectedSpan[] = [],
  attributes?: ExpectedSpan['attributes'],
): ExpectedSpan => ({
  name,
  kind,
  children,
  ...(attributes ? { attributes } : {}),
});
const tool = (name: string) => span(`execute_tool ${name}`, 'INTERNAL', [], { 'gen_ai.tool.name': name });
const chat = () => span('chat gpt-4o-mini', 'CLIENT');
const guardrail = () => span('guardrail account_ownership', 'INTERNAL');
const agentsWorkflow = (agents: ExpectedSpan[], attributes: ExpectedSpan['attributes'] = {}): ExpectedSpan =>
  span('invoke_workflow customer-support', 'INTERNAL', [span('task customer-support', 'INTERNAL', agents)], {
    'gen_ai.agent.name': 'customer-support',
    'gen_ai.conversation.id': 'ticket-1234',
    'agent_otel.metadata.channel': 'chat',
    ...attributes,
  });
const triage = (children: ExpectedSpan[]) =>
  span('invoke_agent Triage agent', 'INTERNAL', children, { 'gen_ai.agent.name': 'Triage agent' });
const billing = (children: ExpectedSpan[]) =>
  span('invoke_agent Billing agent', 'INTERNAL', children, { 'gen_ai.agent.name': 'Billing agent' });
const turn = (agent: string, children: ExpectedSpan[] = []) => span(`turn ${agent}`, 'INTERNAL', children);

/** The OpenAI Agents SDK demo: three runs (answer, guardrail trip, streamed refund), three traces. */
const OPENAI_AGENTS_SUPPORT: ExampleDescriptor = {
  stdoutIncludes: 'Agent: Invoice INV-1001 is paid',
  traces: [
    agentsWorkflow([
      triage([turn('Triage agent', [chat(), tool('transfer_to_Billing_agent')]), guardrail()]),
      billing([turn('Billing agent', [chat(), tool('lookup_invoice')]), turn('Billing agent', [chat()])]),
    ]),
    agentsWorkflow([triage([guardrail(), turn('Triage agent')])], {
      'error.type': 'InputGuardrailTripwireTriggered',
    }),
    agentsWorkflow([
      triage([guardrail(), turn('Triage agent', [chat(), tool('transfer_to_Billing_agent')])]),
      billing([
        turn('Billing agent', [chat(), tool('lookup_invoice')]),
        turn('Billing agent', [chat(), tool('refund_invoice')]),
        turn('Billing agent', [chat()]),
      ]),
    ]),
  ],
};

const aiSdkChat = (attributes: ExpectedSpan['attributes']) =>
  span('chat gpt-4o-mini', 'CLIENT', [], {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'server.address': '127.0.0.1',
    ...attributes,
  });
const aiSdkTool = (name: string, callId: string) =>
  span(`execute_tool ${name}`, 'INTERNAL', [], {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': name,
    'gen_ai.tool.call.id': callId,
    'gen_ai.agent.name': 'support-agent',
  });
/** The Vercel AI SDK agent: a ToolLoopAgent with two tools, traced through `ai` 7's telemetry integration. */
const AI_SDK_AGENT: ExampleDescriptor = {
  stdoutIncludes: 'Agent: Order A-1001 is refunded',
  contentAttributes: [
    'gen_ai.input.messages',
    'gen_ai.output.messages',
    'gen_ai.system_instructions',
    'gen_ai.tool.definitions',
    'gen_ai.tool.call.arguments',
    'gen_ai.tool.call.result',
  ],
  traces: [
    span(
      'invoke_agent support-agent',
      'INTERNAL',
      [
        aiSdkChat({ 'gen_ai.usage.input_tokens': 180, 'gen_ai.usage.output_tokens': 18 }),
        aiSdkTool('lookup_order', 'call_lookup_1'),
        aiSdkChat({
          'gen_ai.usage.input_tokens': 236,
          'gen_ai.usage.output_tokens': 25,
          'gen_ai.usage.cache_read.input_tokens': 128,
        }),
        aiSdkTool('refund_order', 'call_refund_1'),
        aiSdkChat({ 'gen_ai.usage.input_tokens': 290, 'gen_ai.usage.output_tokens': 22 }),
      ],
      {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'support-agent',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 180 + 236 + 290,
        'gen_ai.usage.output_tokens': 18 + 25 + 22,
        'agent_otel.usage.cache_read.input_tokens': 256,
        'agent_otel.usage.model_calls': 3,
      },
    ),
  ],
};

const lgChat = (attributes: ExpectedSpan['attributes']) =>
  span('task model_request', 'INTERNAL', [
    span('chat gpt-4o-mini', 'CLIENT', [], {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.conversation.id': 'ticket-1234',
      'server.address': '127.0.0.1',
      ...attributes,
    }),
  ]);
const lgTool = (name: string, callId: string, children: ExpectedSpan[] = []) =>
  span('task tools', 'INTERNAL', [
    span(`execute_tool ${name}`, 'INTERNAL', children, {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': name,
      'gen_ai.tool.call.id': callId,
      'gen_ai.agent.name': 'support-agent',
    }),
  ]);
/**
 * The LangGraph agent: langchain's createAgent (model node, tool node) with two tools and a policy
 * retriever behind a third, a checkpointer thread, traced through @langchain/core's callbacks.
 */
const LANGGRAPH_AGENT: ExampleDescriptor = {
  stdoutIncludes: 'Agent: Order A-1001 is in transit with DHL',
  contentAttributes: [
    'gen_ai.input.messages',
    'gen_ai.output.messages',
    'gen_ai.tool.definitions',
    'gen_ai.tool.call.arguments',
    'gen_ai.tool.call.result',
  ],
  traces: [
    span(
      'invoke_agent support-agent',
      'INTERNAL',
      [
        lgChat({ 'gen_ai.usage.input_tokens': 210, 'gen_ai.usage.output_tokens': 18 }),
        lgTool('lookup_order', 'call_lookup_1'),
        lgChat({ 'gen_ai.usage.input_tokens': 262, 'gen_ai.usage.cache_read.input_tokens': 128 }),
        lgTool('get_shipping_status', 'call_shipping_1'),
        lgChat({ 'gen_ai.usage.input_tokens': 305, 'gen_ai.usage.cache_read.input_tokens': 256 }),
        lgTool('search_policies', 'call_policies_1', [
          span('retrieval support-policies', 'CLIENT', [], {
            'gen_ai.operation.name': 'retrieval',
            'gen_ai.data_source.id': 'support-policies',
          }),
        ]),
        lgChat({ 'gen_ai.usage.input_tokens': 372, 'gen_ai.usage.output_tokens': 38 }),
      ],
      {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'support-agent',
        'gen_ai.conversation.id': 'ticket-1234',
        'agent_otel.metadata.channel': 'chat',
        'gen_ai.usage.input_tokens': 210 + 262 + 305 + 372,
        'gen_ai.usage.output_tokens': 18 + 21 + 20 + 38,
        'agent_otel.usage.cache_read.input_tokens': 640,
        'agent_otel.usage.model_calls': 4,
      },
    ),
  ],
};

/** Descriptors by folder name; an example may instead ship its own `e2e.json` of the same shape. */
const DESCRIPTORS: Readonly<Record<string, ExampleDescriptor>> = {
  'ai-sdk-agent': AI_SDK_AGENT,
  'langgraph-agent': LANGGRAPH_AGENT,
  'mcp-agent': MCP_AGENT,
  'openai-agents-support': OPENAI_AGENTS_SUPPORT,
  'support-agent': SUPPORT_AGENT,
};

/** Every examples/* folder whose package.json has a `start` script that runs `node`. */
export function discoverExamples(): Example[] {
  const root = join(REPO_ROOT, 'examples');
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'package.json')))
    .flatMap((entry): Example[] => {
      const path = join(root, entry.name);
      const pkg = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as {
        scripts?: Record<string, string>;
      };
      const start = pkg.scripts?.start?.trim();
      if (start === undefined || !/^node(\s|$)/.test(start)) return [];
      const own = join(path, 'e2e.json');
      const descriptor = existsSync(own)
        ? (JSON.parse(readFileSync(own, 'utf8')) as ExampleDescriptor)
        : DESCRIPTORS[entry.name];
      const args = start.split(/\s+/).slice(1);
      return [
        {
          dir: entry.name,
          path,
          args,
          descriptor,
          preloadsRegister: args.includes('@agent-otel/node/register'),
        },
      ];
    })
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

/**
 * The `-r` (CommonJS preload) form of an example's start command: `--import @agent-otel/node/register`
 * becomes `-r @agent-otel/node/register`, so the CommonJS build registers and the app's ESM
 * imports share its state (the dual-package case).
 */
export function withRequireRegister(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--import' && args[i + 1] === '@agent-otel/node/register') {
      out.unshift('-r', '@agent-otel/node/register');
      i++;
    } else out.push(args[i]!);
  }
  return out;
}
