// The LangChain benchmark (bench/langchain-instructions.mjs): its operations, the scripted model's
// replies, and the configurations compared. Shared by the driver (names, the server's handler) and
// the worker children (langchain-worker.mjs: set-up and the calls).
//
// Same messages and reply as the adapters bench (workload.mjs), through `@langchain/openai`'s
// `ChatOpenAI` (Chat Completions). `agent` is a `createAgent` (langchain 1.x) agent with one tool: the
// model calls it in the first LangGraph step, the tool node runs it in the second, the model answers
// in the third.
import { createRequire } from 'node:module';
import { OPENAI_MODEL, REPLY, chatParams } from './workload.mjs';

const require = createRequire(import.meta.url);

export { OPENAI_MODEL };

const [{ content: INSTRUCTIONS }, { content: PROMPT }] = chatParams(false).messages;
export { INSTRUCTIONS, PROMPT };

/** The agent's name (`createAgent({ name })`). */
export const AGENT_NAME = 'support';

/** The tool of `agent`, its arguments in the scripted tool call, and its result. */
export const TOOL = {
  name: 'lookupOrder',
  description: 'Looks up an order by its id: status, carrier, last scan',
  arguments: { orderId: 'A-1001' },
  result: { orderId: 'A-1001', status: 'in transit', carrier: 'DHL', lastScan: 'Monday 18:40, Leipzig' },
};

export const OPERATIONS = ['chat', 'agent'];

/** LangGraph steps of one `agent` run (model, tools, model): the worker checks it, the report divides by it. */
export const AGENT_STEPS = 3;

/** What each operation is (README, report). */
export const OPERATION_DESCRIPTIONS = {
  chat: '`ChatOpenAI.invoke` (Chat Completions JSON, a system and a user message)',
  agent: `one \`createAgent\` run with one tool, ${AGENT_STEPS} LangGraph steps: the model's tool call, the tool, the model's answer`,
};

/**
 * The scripted server's handler: a request offering tools and carrying no tool result gets the tool
 * call; every other request the text reply.
 */
export function scriptedReply(request) {
  const body = request.body ?? {};
  const offersTools = Array.isArray(body.tools) && body.tools.length > 0;
  const hasToolResult = Array.isArray(body.messages) && body.messages.some((m) => m?.role === 'tool');
  if (offersTools && !hasToolResult) return { toolCalls: [{ name: TOOL.name, arguments: TOOL.arguments }] };
  return REPLY;
}

/** The callbacks agent-otel's handler implements (the no-op handlers implement the same, empty). */
const HANDLER_METHODS = [
  'handleChainStart',
  'handleChainEnd',
  'handleChainError',
  'handleChatModelStart',
  'handleLLMStart',
  'handleLLMNewToken',
  'handleLLMEnd',
  'handleLLMError',
  'handleToolStart',
  'handleToolEnd',
  'handleToolError',
  'handleRetrieverStart',
  'handleRetrieverEnd',
  'handleRetrieverError',
];

/**
 * The configurations. `setup(ctx)` runs in the worker after the pipeline (if `traced`) is registered
 * and before any LangChain module is loaded (`ctx.provider`); it returns what the calls need:
 * `callbacks` (passed in every call's config) or `tracer` (raw-span). Everything is loaded through
 * CommonJS `require`, as a CommonJS app would. Every traced configuration must export at least one
 * span per call, `none` none.
 */
export const CONFIGS = {
  none: {
    description: '`@langchain/openai` + `langchain`, no callback handler, no OpenTelemetry SDK',
    traced: false,
    setup: async () => ({}),
  },
  'raw-span': {
    description:
      'one hand-written `startActiveSpan` around the call (`chat`) or the agent run (`agent`) with 10 key attributes, no handler',
    traced: true,
    setup: async (ctx) => ({ tracer: ctx.provider.getTracer('bench-raw-span') }),
  },
  'noop-handler': {
    description:
      "a `BaseCallbackHandler` subclass (as the peers' handlers are) whose every method does nothing, `awaitHandlers`, passed per call: LangChain's callback machinery alone (informational; no spans)",
    traced: false,
    spans: false,
    async setup() {
      const { BaseCallbackHandler } = require('@langchain/core/callbacks/base');
      class NoopHandler extends BaseCallbackHandler {
        name = 'bench_noop_handler';
        awaitHandlers = true;
      }
      for (const method of HANDLER_METHODS) NoopHandler.prototype[method] = () => {};
      return { callbacks: [new NoopHandler()] };
    },
  },
  'noop-plain': {
    description:
      'a handler of the shape of ours (a plain class with the same flags, `copy()` returning itself, no `BaseCallbackHandler`) whose every method does nothing, passed per call: the floor of any handler (informational; no spans)',
    traced: false,
    spans: false,
    async setup() {
      class PlainNoopHandler {
        name = 'bench_noop_plain';
        awaitHandlers = true;
        raiseError = false;
        ignoreLLM = false;
        ignoreChain = false;
        ignoreAgent = false;
        ignoreRetriever = false;
        ignoreCustomEvent = true;
        ignoreRetry = true;
        lc_serializable = false;
        copy() {
          return this;
        }
      }
      for (const method of HANDLER_METHODS) PlainNoopHandler.prototype[method] = () => {};
      return { callbacks: [new PlainNoopHandler()] };
    },
  },
  'agent-otel': {
    description:
      '`@agent-otel/langchain`: one `createLangChainHandler()` passed in every call (`callbacks: [handler]`), default options (no content)',
    traced: true,
    packages: ['@agent-otel/langchain'],
    async setup() {
      const { createLangChainHandler } = require('@agent-otel/langchain');
      return { callbacks: [createLangChainHandler()] };
    },
  },
  'agent-otel-global': {
    description:
      "`@agent-otel/langchain` registered for every run: `registerLangChainHandler(require('@langchain/core/context'))`, default options",
    traced: true,
    packages: ['@agent-otel/langchain'],
    async setup() {
      const { registerLangChainHandler } = require('@agent-otel/langchain');
      if (!registerLangChainHandler(require('@langchain/core/context')))
        throw new Error('registerLangChainHandler registered nothing');
      return {};
    },
  },
  openinference: {
    description:
      "`@arizeai/openinference-instrumentation-langchain` 4.1.1: `LangChainInstrumentation` with `manuallyInstrument(require('@langchain/core/callbacks/manager'))`, inputs and outputs hidden",
    traced: true,
    packages: ['@arizeai/openinference-instrumentation-langchain'],
    async setup() {
      const { LangChainInstrumentation } = require('@arizeai/openinference-instrumentation-langchain');
      const instrumentation = new LangChainInstrumentation({
        traceConfig: { hideInputs: true, hideOutputs: true },
      });
      instrumentation.manuallyInstrument(require('@langchain/core/callbacks/manager'));
      return { instrumentation };
    },
  },
  traceloop: {
    description:
      "`@traceloop/instrumentation-langchain` 0.27.0: `LangChainInstrumentation({ traceContent: false })` (its constructor patches `CallbackManager._configureSync` to add a handler to every run's callbacks)",
    traced: true,
    packages: ['@traceloop/instrumentation-langchain'],
    async setup() {
      const { LangChainInstrumentation } = require('@traceloop/instrumentation-langchain');
      const instrumentation = new LangChainInstrumentation({ traceContent: false });
      const { CallbackManager } = require('@langchain/core/callbacks/manager');
      if (!CallbackManager._traceloopPatched) throw new Error('traceloop did not patch CallbackManager');
      return { instrumentation };
    },
  },
};

export const CONFIG_NAMES = Object.keys(CONFIGS);

/** Throws for a configuration or operation name the benchmark does not know. */
export function checkSelection(configNames, ops) {
  for (const c of configNames)
    if (!CONFIGS[c]) throw new Error(`unknown config ${c} (${CONFIG_NAMES.join(', ')})`);
  for (const o of ops)
    if (!OPERATIONS.includes(o)) throw new Error(`unknown op ${o} (${OPERATIONS.join(', ')})`);
}
