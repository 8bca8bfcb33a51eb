import {
  AgentSpan,
  isTracingDisabled,
  type AgentSpanData,
  type FunctionSpanData,
  type GenerationSpanData,
  type RetrievalSpanData,
  type SpanData,
  type TaskSpanData,
  type WorkflowSpanData,
} from '@agent-otel/core';
import {
  adapterTracerSource,
  FailureLog,
  getContentPolicy,
  getModelCallClaim,
  isRecord,
  offerModelCallSpan,
  setMetadataAttributes,
  watchUntilSettled,
  type PendingWatch,
  type SpanHandle,
  type StreamEndReason,
} from '@agent-otel/core/instrumentation';
import {
  ATTR_AGENT_OTEL_STREAM_ENDED_EARLY,
  ATTR_AGENT_OTEL_STREAM_END_REASON,
} from '@agent-otel/core/semconv';
import { context as contextApi, diag, type Context, type Tracer } from '@opentelemetry/api';
import {
  ATTR_LANGCHAIN_RUN_ID,
  ATTR_LANGCHAIN_TAGS,
  ATTR_LANGGRAPH_CHECKPOINT_ID,
  ATTR_LANGGRAPH_INTERRUPTED,
  ATTR_LANGGRAPH_NODE,
  ATTR_LANGGRAPH_RESUMED,
  ATTR_LANGGRAPH_STEP,
} from './attributes.js';
import { installContextBridge } from './context-bridge.js';
import type { LLMResultLike, SerializedLike } from './internal-types.js';
import type { LangChainHandlerOptions } from './types.js';
import {
  className,
  countOf,
  finishReasons,
  firstGenerations,
  inputMessages,
  isErrorToolMessage,
  isHidden,
  outputMessages,
  promptMessages,
  providerName,
  requestModel,
  requestParameters,
  responseFields,
  retrievedDocuments,
  runName,
  stringOf,
  tokenUsage,
  toolDefinitions,
  toolInput,
  toolOutput,
  userMetadata,
  userTags,
} from './utils.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

/** At most this many runs are followed at once; beyond it the oldest is ended (`evicted`). */
export const MAX_OPEN_RUNS = 10_000;
/** LangGraph calls handlers marked with this symbol on interrupts and resumes (`GraphCallbackHandler`). */
const GRAPH_CALLBACK_HANDLER = Symbol.for('langgraph.graph_callback_handler');
/** Errors LangGraph throws to pause or redirect a graph, not failures. */
const CONTROL_FLOW_ERRORS: ReadonlySet<string> = new Set([
  'GraphInterrupt',
  'NodeInterrupt',
  'GraphBubbleUp',
  'ParentCommand',
]);

type ModelCallData = GenerationSpanData;
type RunKind = 'workflow' | 'agent' | 'task' | 'model' | 'tool' | 'retriever' | 'none';

/** What is followed of one LangChain run between its start and end callbacks. */
interface RunState {
  readonly runId: string;
  readonly kind: RunKind;
  /** The context the run's child runs start in: its span's, else the one it started in. */
  readonly context: Context;
  readonly span?: SpanHandle<SpanData>;
  /** The user's metadata and tags of the run (what child runs inherit and need not repeat). */
  readonly metadata: Record<string, unknown>;
  readonly tags: readonly string[];
  /** The name of the nearest agent (or workflow) run at or above this run. */
  readonly agentName?: string;
  /**
   * The descriptions of the tools the nearest agent's model calls were offered (by name): LangChain
   * reports a tool run without its description. Shared by the agent's runs.
   */
  readonly toolDescriptions?: Map<string, string>;
  /** True for a LangGraph graph run. */
  readonly graph: boolean;
  /** Model runs: when the run started (ms, performance clock), for the time to first chunk. */
  readonly startedAt?: number;
  firstChunkSeen?: boolean;
  withdrawOffer?: () => void;
  readonly captureOutputs: boolean;
  /** Root runs: ends the tree's spans at shutdown when LangChain never reports its end. */
  readonly watch?: PendingWatch;
}

const NO_METADATA: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_TAGS: readonly string[] = Object.freeze([]);

/** The runs every handler of the process follows, by run id (shared by every copy of this package). */
const RUNS_KEY = Symbol.for('agent_otel.langchain.runs');

function processRuns(): Map<string, RunState> {
  const slots = globalThis as Record<symbol, unknown>;
  let runs = slots[RUNS_KEY] as Map<string, RunState> | undefined;
  if (runs === undefined) {
    runs = new Map();
    slots[RUNS_KEY] = runs;
  }
  return runs;
}

function runContext(runId: string): Context | undefined {
  return processRuns().get(runId)?.context;
}

function langGraphGraph(serialized: SerializedLike | undefined): boolean {
  const id = isRecord(serialized) && Array.isArray(serialized.id) ? serialized.id : undefined;
  return id !== undefined && id[0] === 'langgraph' && id[1] === 'pregel';
}

function now(): number {
  return performance.now();
}

/** The `error.type` of a LangChain failure; a caller's abort is `AbortError` whatever LangChain threw. */
function errorType(error: unknown): string | undefined {
  if (!isRecord(error)) return undefined;
  const name = error.name;
  const message = error.message;
  if (name === 'AbortError' || message === 'Abort' || message === 'Aborted' || message === 'AbortError')
    return 'AbortError';
  return undefined;
}

function isControlFlow(error: unknown): boolean {
  return isRecord(error) && typeof error.name === 'string' && CONTROL_FLOW_ERRORS.has(error.name);
}

/**
 * A LangChain callback handler (the `BaseCallbackHandler` interface, read structurally so that every
 * copy of `@langchain/core` accepts it) that records agent-otel spans through `@agent-otel/core`:
 * LangGraph graphs → `invoke_workflow` (a root graph) or `invoke_agent` (a `createAgent` agent, a
 * subgraph), graph nodes and nested chains → `task {name}`, chat models and LLMs → `chat {model}` /
 * `text_completion {model}`, tools → `execute_tool {name}`, retrievers → `retrieval {name}`. Parentage
 * comes from LangChain's run ids. Every callback is guarded: a failure is logged once through `diag`
 * and the LangChain run proceeds untouched.
 *
 * Pass it per call (`callbacks: [createLangChainHandler()]`) or let `LangChainInstrumentation` (and
 * `@agent-otel/node`'s `register()`) register it for every run.
 */
export class AgentOtelCallbackHandler {
  /** LangChain tells handlers apart by name: one agent-otel handler per run, however registered. */
  readonly name = 'agent_otel_langchain';
  /** The callbacks run before the run continues, so spans exist (and are parents) when the run's work starts. */
  readonly awaitHandlers = true;
  readonly raiseError = false;
  readonly ignoreLLM = false;
  readonly ignoreChain = false;
  readonly ignoreAgent = false;
  readonly ignoreRetriever = false;
  readonly ignoreCustomEvent = true;
  readonly ignoreRetry = true;
  readonly lc_serializable = false;
  /** Set to false to make every callback a no-op (the instrumentation's `disable()`). */
  enabled = true;

  private readonly failures = new FailureLog(
    diag,
    (label) => `${PACKAGE_NAME}: ${label} failed; the LangChain run is not affected`,
  );
  private readonly tracerSource: () => Tracer | undefined;

  static {
    Object.defineProperty(this.prototype, GRAPH_CALLBACK_HANDLER, { value: true });
  }

  /**
   * @param options see {@link LangChainHandlerOptions}.
   * @param tracerSource internal: the tracer of an instrumentation (read at each run).
   */
  constructor(options: LangChainHandlerOptions = {}, tracerSource?: () => Tracer | undefined) {
    this.tracerSource =
      tracerSource ?? adapterTracerSource({ name: PACKAGE_NAME, version: PACKAGE_VERSION }, options);
    const bridge = installContextBridge();
    if (bridge !== undefined) bridge.contextOf = runContext;
  }

  /** LangChain copies handlers when it configures child runs; this one holds no per-run state, so it is its own copy. */
  copy(): this {
    return this;
  }

  /** Number of runs currently followed (started, not yet ended), by every handler of the process. */
  get openRuns(): number {
    return processRuns().size;
  }

  // ---- chains, graphs and nodes ----

  handleChainStart(
    chain: SerializedLike,
    inputs: unknown,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    metadata?: Record<string, unknown>,
    _runType?: string,
    name?: string,
  ): void {
    this.guard('handleChainStart', () =>
      this.startChain(chain, inputs, runId, parentRunId, tags, metadata, name),
    );
  }

  handleChainEnd(outputs: unknown, runId: string): void {
    this.guard('handleChainEnd', () => {
      const state = this.takeRun(runId);
      if (state?.span === undefined) return;
      if (state.graph && isRecord(outputs) && Array.isArray(outputs.__interrupt__)) {
        state.span.setAttribute(ATTR_LANGGRAPH_INTERRUPTED, true);
      }
      state.span.end();
    });
  }

  handleChainError(error: unknown, runId: string): void {
    this.guard('handleChainError', () => this.failRun(runId, error));
  }

  /** LangGraph (`GraphCallbackHandler`): the root graph paused on an interrupt. */
  handleInterrupt(event: { runId?: unknown; checkpointId?: unknown }): void {
    this.guard('handleInterrupt', () => {
      const span = typeof event?.runId === 'string' ? processRuns().get(event.runId)?.span : undefined;
      if (span === undefined) return;
      span.setAttribute(ATTR_LANGGRAPH_INTERRUPTED, true);
      const checkpoint = stringOf(event.checkpointId);
      if (checkpoint !== undefined) span.setAttribute(ATTR_LANGGRAPH_CHECKPOINT_ID, checkpoint);
    });
  }

  /** LangGraph (`GraphCallbackHandler`): the root graph resumed from a checkpoint. */
  handleResume(event: { runId?: unknown; checkpointId?: unknown }): void {
    this.guard('handleResume', () => {
      const span = typeof event?.runId === 'string' ? processRuns().get(event.runId)?.span : undefined;
      if (span === undefined) return;
      span.setAttribute(ATTR_LANGGRAPH_RESUMED, true);
      const checkpoint = stringOf(event.checkpointId);
      if (checkpoint !== undefined) span.setAttribute(ATTR_LANGGRAPH_CHECKPOINT_ID, checkpoint);
    });
  }

  // ---- chat models and LLMs ----

  handleChatModelStart(
    llm: SerializedLike,
    messages: unknown[][],
    runId: string,
    parentRunId?: string,
    extraParams?: Record<string, unknown>,
    tags?: string[],
    metadata?: Record<string, unknown>,
    name?: string,
  ): void {
    this.guard('handleChatModelStart', () =>
      this.startModel(llm, 'chat', messages?.[0], runId, parentRunId, extraParams, tags, metadata, name),
    );
  }

  handleLLMStart(
    llm: SerializedLike,
    prompts: string[],
    runId: string,
    parentRunId?: string,
    extraParams?: Record<string, unknown>,
    tags?: string[],
    metadata?: Record<string, unknown>,
    name?: string,
  ): void {
    this.guard('handleLLMStart', () =>
      this.startModel(llm, 'text_completion', prompts, runId, parentRunId, extraParams, tags, metadata, name),
    );
  }

  handleLLMNewToken(_token: string, _index: unknown, runId: string): void {
    this.guard('handleLLMNewToken', () => {
      const state = processRuns().get(runId);
      if (state?.kind !== 'model' || state.firstChunkSeen || state.span === undefined) return;
      state.firstChunkSeen = true;
      // The stream is under way: no retry follows, and a consumer that breaks out leaves the run open
      // (LangChain reports no end): a later client call must not claim this span.
      state.withdrawOffer?.();
      const patch: Partial<ModelCallData> = { stream: true };
      if (state.startedAt !== undefined) patch.timeToFirstChunk = (now() - state.startedAt) / 1000;
      this.updateModel(state, patch);
    });
  }

  handleLLMEnd(output: LLMResultLike, runId: string): void {
    this.guard('handleLLMEnd', () => {
      const state = this.takeRun(runId);
      const span = state?.span as SpanHandle<ModelCallData> | undefined;
      if (state === undefined || span === undefined) return;
      const generations = firstGenerations(output);
      const llmOutput = isRecord(output?.llmOutput) ? output.llmOutput : undefined;
      const patch: Partial<ModelCallData> = {
        ...responseFields(generations, llmOutput),
        finishReasons: finishReasons(generations),
        usage: tokenUsage(generations, llmOutput),
      };
      if (state.captureOutputs) patch.output = outputMessages(generations);
      this.updateModel(state, patch);
      state.withdrawOffer?.();
      span.end();
    });
  }

  handleLLMError(error: unknown, runId: string): void {
    this.guard('handleLLMError', () => {
      const state = this.takeRun(runId);
      if (state?.span === undefined) return;
      const claim = state.span instanceof AgentSpan ? getModelCallClaim(state.span) : undefined;
      // A claiming client kept the last attempt's error with its own type (status code, error class).
      const clientError = claim?.error;
      if (clientError !== undefined) state.span.setError(clientError.error, clientError.errorType);
      else state.span.setError(error, errorType(error));
      state.withdrawOffer?.();
      state.span.end();
    });
  }

  // ---- tools ----

  handleToolStart(
    tool: SerializedLike,
    input: string,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    metadata?: Record<string, unknown>,
    name?: string,
    toolCallId?: string,
  ): void {
    this.guard('handleToolStart', () => {
      const parent = this.parentOf(parentRunId);
      const capture = getContentPolicy().mode !== 'NO_CONTENT';
      const kwargs = isRecord(tool) && isRecord(tool.kwargs) ? tool.kwargs : undefined;
      const data: FunctionSpanData = {
        type: 'function',
        name: runName(tool, name) ?? 'tool',
        callId: stringOf(toolCallId),
        toolType: 'function',
        description:
          stringOf(kwargs?.description) ?? parent?.toolDescriptions?.get(runName(tool, name) ?? ''),
        agentName: parent?.agentName,
        input: capture ? toolInput(input) : undefined,
      };
      this.startRun(runId, 'tool', data, parent, tags, metadata, { captureOutputs: capture });
    });
  }

  handleToolEnd(output: unknown, runId: string): void {
    this.guard('handleToolEnd', () => {
      const state = this.takeRun(runId);
      const span = state?.span as SpanHandle<FunctionSpanData> | undefined;
      if (state === undefined || span === undefined) return;
      if (isErrorToolMessage(output)) span.setError(new Error(String(toolOutput(output))), '_OTHER');
      // @langchain/core 0.3 reports no tool call id at the start; its ToolMessage carries it.
      const callId = isRecord(output) ? stringOf(output.tool_call_id) : undefined;
      if (span.spanData.callId === undefined && callId !== undefined) span.update({ callId });
      if (state.captureOutputs) span.update({ output: toolOutput(output) });
      span.end();
    });
  }

  handleToolError(error: unknown, runId: string): void {
    this.guard('handleToolError', () => this.failRun(runId, error));
  }

  // ---- retrievers ----

  handleRetrieverStart(
    retriever: SerializedLike,
    query: string,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    metadata?: Record<string, unknown>,
    name?: string,
  ): void {
    this.guard('handleRetrieverStart', () => {
      const parent = this.parentOf(parentRunId);
      const capture = getContentPolicy().mode !== 'NO_CONTENT';
      const data: RetrievalSpanData = {
        type: 'retrieval',
        dataSourceId: runName(retriever, name),
        topK: countOf(metadata?.ls_retriever_k) ?? countOf(metadata?.k),
        query: capture ? query : undefined,
      };
      this.startRun(runId, 'retriever', data, parent, tags, metadata, { captureOutputs: capture });
    });
  }

  handleRetrieverEnd(documents: unknown, runId: string): void {
    this.guard('handleRetrieverEnd', () => {
      const state = this.takeRun(runId);
      const span = state?.span as SpanHandle<RetrievalSpanData> | undefined;
      if (state === undefined || span === undefined) return;
      if (state.captureOutputs) span.update({ documents: retrievedDocuments(documents) });
      span.end();
    });
  }

  handleRetrieverError(error: unknown, runId: string): void {
    this.guard('handleRetrieverError', () => this.failRun(runId, error));
  }

  // ---- internals ----

  /** Ends a run that failed; an interrupt pauses a graph (resumed later with a Command) and is not a failure. */
  private failRun(runId: string, error: unknown): void {
    const state = this.takeRun(runId);
    if (state?.span === undefined) return;
    if (isControlFlow(error)) state.span.setAttribute(ATTR_LANGGRAPH_INTERRUPTED, true);
    else state.span.setError(error, errorType(error));
    state.span.end();
  }

  /** `read()`, or `undefined` (logged once) when it throws. */
  private content(label: string, read: () => unknown): unknown {
    let value: unknown;
    this.failures.guard(label, () => {
      value = read();
    });
    return value;
  }

  private guard(label: string, action: () => void): void {
    if (!this.enabled) return;
    this.failures.guard(label, action);
  }

  private parentOf(parentRunId: string | undefined): RunState | undefined {
    return typeof parentRunId === 'string' ? processRuns().get(parentRunId) : undefined;
  }

  private startChain(
    chain: SerializedLike,
    inputs: unknown,
    runId: string,
    parentRunId: string | undefined,
    tags: string[] | undefined,
    metadata: Record<string, unknown> | undefined,
    name: string | undefined,
  ): void {
    const parent = this.parentOf(parentRunId);
    const runLabel = runName(chain, name) ?? 'chain';
    const graph = langGraphGraph(chain);
    const node = stringOf(metadata?.langgraph_node);
    const isNode = !graph && node !== undefined && node === runLabel && parent?.graph === true;
    // Composition plumbing nested in a run: LangGraph's own runs (hidden), and runnables the user did not
    // name (an unnamed RunnableSequence / RunnableLambda, prompt templates, output parsers, LangGraph's
    // writes and branches). No span; their children nest under their parent.
    const plumbing = !graph && !isNode && parent !== undefined && runLabel === className(chain);
    if (isHidden(tags) || plumbing) {
      this.startRun(runId, 'none', undefined, parent, tags, metadata, { graph });
      return;
    }
    const threadId = isRecord(metadata) ? stringOf(metadata.thread_id) : undefined;
    const agentName = stringOf(metadata?.lc_agent_name);
    const createAgent =
      graph &&
      metadata?.ls_integration === 'langchain_create_agent' &&
      (parent === undefined || agentName === undefined || agentName === runLabel || !parent.graph);
    const legacyAgent = className(chain) === 'AgentExecutor';
    let data: SpanData;
    let kind: RunKind;
    if (createAgent || legacyAgent || (graph && parent !== undefined)) {
      kind = 'agent';
      data = {
        type: 'agent',
        name: (createAgent ? agentName : undefined) ?? runLabel,
        conversationId: threadId,
      } satisfies AgentSpanData;
    } else if (parent === undefined) {
      kind = 'workflow';
      data = { type: 'workflow', name: runLabel, groupId: threadId } satisfies WorkflowSpanData;
    } else {
      kind = 'task';
      data = { type: 'task', name: runLabel } satisfies TaskSpanData;
    }
    const state = this.startRun(runId, kind, data, parent, tags, metadata, { graph });
    const span = state?.span;
    if (span === undefined) return;
    if (isNode) {
      span.setAttribute(ATTR_LANGGRAPH_NODE, node);
      const step = countOf(metadata?.langgraph_step);
      if (step !== undefined) span.setAttribute(ATTR_LANGGRAPH_STEP, step);
    }
    if (graph && isRecord(inputs) && isResumeCommand(inputs)) span.setAttribute(ATTR_LANGGRAPH_RESUMED, true);
  }

  private startModel(
    llm: SerializedLike,
    operation: 'chat' | 'text_completion',
    messages: unknown,
    runId: string,
    parentRunId: string | undefined,
    extraParams: Record<string, unknown> | undefined,
    tags: string[] | undefined,
    metadata: Record<string, unknown> | undefined,
    _name: string | undefined,
  ): void {
    const parent = this.parentOf(parentRunId);
    const policy = getContentPolicy();
    const capture = policy.mode !== 'NO_CONTENT';
    const params = isRecord(extraParams?.invocation_params) ? extraParams.invocation_params : undefined;
    const model = requestModel(params, metadata, llm);
    if (parent?.toolDescriptions !== undefined) recordToolDescriptions(parent.toolDescriptions, params);
    const data: ModelCallData = {
      type: 'generation',
      operation,
      model,
      provider: providerName(llm, metadata),
      ...requestParameters(params, metadata),
      conversationId: stringOf(metadata?.thread_id),
      // Content is read apart: a message that cannot be read drops the content, not the span.
      input: capture
        ? this.content('handleChatModelStart content', () =>
            operation === 'chat' ? inputMessages(messages) : promptMessages(messages),
          )
        : undefined,
      toolDefinitions: capture
        ? this.content('handleChatModelStart content', () => toolDefinitions(params))
        : undefined,
    };
    this.startRun(runId, 'model', data, parent, tags, metadata, {
      captureOutputs: capture,
      model,
    });
  }

  /** Starts the span of a run (none for kind `none`) and follows the run. */
  private startRun(
    runId: string,
    kind: RunKind,
    data: SpanData | undefined,
    parent: RunState | undefined,
    tags: string[] | undefined,
    metadata: Record<string, unknown> | undefined,
    options: { graph?: boolean; captureOutputs?: boolean; model?: string },
  ): RunState | undefined {
    if (typeof runId !== 'string' || processRuns().has(runId)) return undefined;
    const parentContext = parent === undefined ? contextApi.active() : parent.context;
    // A run without a span (plumbing) records nothing: it passes its parent's metadata and tags on.
    const ownMetadata = data === undefined ? (parent?.metadata ?? NO_METADATA) : userMetadata(metadata);
    const ownTags = data === undefined ? (parent?.tags ?? NO_TAGS) : userTags(tags);
    let span: SpanHandle<SpanData> | undefined;
    let withdrawOffer: (() => void) | undefined;
    if (data !== undefined) {
      const tracer = this.tracerSource();
      if (data.type === 'generation') {
        // Not startModelCallSpan: it would claim an open span another LangChain run offered in the same
        // parent (a concurrent call, a stream the consumer broke out of) instead of starting this run's.
        span = isTracingDisabled(parentContext)
          ? undefined
          : new AgentSpan(data, { tracer, parent: parentContext }).start();
        // The model's client call runs in the caller's context, not the span's: offer the span to it.
        if (span instanceof AgentSpan) withdrawOffer = offerModelCallSpan(span, parentContext, options.model);
      } else {
        span = new AgentSpan(data, { tracer, parent: parentContext }).start();
      }
      if (span !== undefined) {
        setMetadataAttributes(span, ownMetadata, parent?.metadata);
        const newTags = ownTags.filter((tag) => !parent?.tags.includes(tag));
        if (newTags.length > 0) span.setAttribute(ATTR_LANGCHAIN_TAGS, newTags);
        if (kind === 'workflow' || kind === 'agent') span.setAttribute(ATTR_LANGCHAIN_RUN_ID, runId);
      }
    }
    const runs = processRuns();
    if (runs.size >= MAX_OPEN_RUNS) {
      const oldest = runs.keys().next().value;
      if (oldest !== undefined) this.endRun(oldest, 'evicted');
    }
    const agentName =
      kind === 'agent' || kind === 'workflow'
        ? (data as AgentSpanData | WorkflowSpanData).name
        : parent?.agentName;
    const state: RunState = {
      runId,
      kind,
      context: span?.context ?? parentContext,
      span,
      metadata: ownMetadata,
      tags: ownTags,
      agentName,
      toolDescriptions: kind === 'agent' || kind === 'workflow' ? new Map() : parent?.toolDescriptions,
      graph: options.graph === true,
      startedAt: kind === 'model' ? now() : undefined,
      withdrawOffer,
      captureOutputs: options.captureOutputs === true,
      watch:
        parent === undefined && span !== undefined
          ? watchUntilSettled(undefined, (reason: StreamEndReason) => this.endRun(runId, reason))
          : undefined,
    };
    runs.set(runId, state);
    return state;
  }

  private takeRun(runId: unknown): RunState | undefined {
    if (typeof runId !== 'string') return undefined;
    const runs = processRuns();
    const state = runs.get(runId);
    if (state === undefined) return undefined;
    runs.delete(runId);
    state.watch?.settle();
    return state;
  }

  /** Ends a run LangChain will not report the end of (shutdown, eviction), and every open run of its trace. */
  private endRun(runId: string, reason: StreamEndReason | 'evicted'): void {
    const state = this.takeRun(runId);
    if (state === undefined) return;
    for (const [childId, child] of processRuns()) {
      if (inSameTrace(child, state)) this.endRun(childId, reason);
    }
    const span = state.span;
    if (span === undefined) return;
    span.setAttribute(ATTR_AGENT_OTEL_STREAM_ENDED_EARLY, true);
    span.setAttribute(ATTR_AGENT_OTEL_STREAM_END_REASON, reason);
    state.withdrawOffer?.();
    span.end();
  }

  /** Records a model-run patch, leaving alone what a claiming client instrumentation set itself. */
  private updateModel(state: RunState, patch: Partial<ModelCallData>): void {
    const span = state.span as SpanHandle<ModelCallData> | undefined;
    if (span === undefined) return;
    const claim = span instanceof AgentSpan ? getModelCallClaim(span) : undefined;
    if (claim !== undefined) {
      for (const key of claim.fields) delete (patch as Record<string, unknown>)[key];
    }
    span.update(patch);
  }
}

/** True when both runs have spans in the same trace (what ends together when a run is ended early). */
function inSameTrace(child: RunState, ancestor: RunState): boolean {
  const ancestorSpan = ancestor.span;
  if (ancestorSpan === undefined || child.span === undefined) return false;
  return child.span.traceId === ancestorSpan.traceId;
}

/** True for LangGraph's `Command({ resume })` as a graph's input. */
function isResumeCommand(input: Record<string, unknown>): boolean {
  const inner = isRecord(input.input) ? input.input : input;
  return (
    isRecord(inner) &&
    'resume' in inner &&
    inner.resume !== undefined &&
    (inner.lg_name === 'Command' ||
      (inner as Record<symbol, unknown>)[Symbol.for('langgraph.command')] === true)
  );
}

/** At most this many tool descriptions are kept per agent run. */
const MAX_TOOL_DESCRIPTIONS = 256;

/** Keeps the descriptions of the tools in a model run's `invocation_params.tools` (OpenAI and Anthropic formats). */
function recordToolDescriptions(
  descriptions: Map<string, string>,
  params: Record<string, unknown> | undefined,
): void {
  const tools = params?.tools;
  if (!Array.isArray(tools)) return;
  for (const tool of tools) {
    if (descriptions.size >= MAX_TOOL_DESCRIPTIONS) return;
    const definition = isRecord(tool) && isRecord(tool.function) ? tool.function : tool;
    if (!isRecord(definition)) continue;
    const name = stringOf(definition.name);
    const description = stringOf(definition.description);
    if (name !== undefined && description !== undefined) descriptions.set(name, description);
  }
}
