import { diag } from '@opentelemetry/api';
import type { AgentSpan, SpanOptions } from '../api/AgentSpan.js';
import type { SpanData, SpanType } from './span-data.js';
import { createSpan, withSpan } from '../api/with-span.js';

/** The data of one span kind. */
export type SpanDataOf<K extends SpanType> = Extract<SpanData, { type: K }>;
/** What callers pass for a kind: its data without `type`; kinds with a `name` also accept the name alone. */
export type SpanInput<K extends SpanType> =
  Omit<SpanDataOf<K>, 'type'> | (SpanDataOf<K> extends { name: string } ? string : never);

/** Builds the kind's data from the caller's input (a copy: later `update()`s never touch the caller's object). */
export function toSpanData<K extends SpanType>(type: K, input: SpanInput<K>): SpanDataOf<K> {
  if (typeof input === 'string') return { type, name: input } as unknown as SpanDataOf<K>;
  try {
    return { ...(input as object), type } as SpanDataOf<K>;
  } catch (error) {
    // A revoked Proxy or a throwing getter: the span is recorded with its kind alone.
    diag.warn(`agent-otel: the ${type} span input could not be read; recording the span without it`, error);
    return { type } as SpanDataOf<K>;
  }
}

/** `withXSpan(input, fn, options?)` for one kind. */
export type WithKindSpan<K extends SpanType> = <R>(
  input: SpanInput<K>,
  fn: (span: AgentSpan<SpanDataOf<K>>) => R,
  options?: SpanOptions,
) => R;

/** `createXSpan(input, options?)` for one kind: not started; call `start()` / `end()`. */
export type CreateKindSpan<K extends SpanType> = (
  input: SpanInput<K>,
  options?: SpanOptions,
) => AgentSpan<SpanDataOf<K>>;

function withKind<K extends SpanType>(type: K): WithKindSpan<K> {
  return (input, fn, options) => withSpan(toSpanData(type, input), fn, options);
}

function createKind<K extends SpanType>(type: K): CreateKindSpan<K> {
  return (input, options) => createSpan(toSpanData(type, input), options);
}

/** Runs `fn` in an `invoke_agent` span. */
export const withAgentSpan: WithKindSpan<'agent'> = withKind('agent');
/** Runs `fn` in a model-call (`chat {model}`) span. */
export const withGenerationSpan: WithKindSpan<'generation'> = withKind('generation');
/** Runs `fn` in a Responses-API model-call span. */
export const withResponseSpan: WithKindSpan<'response'> = withKind('response');
/** Runs `fn` in an `embeddings {model}` span. */
export const withEmbeddingsSpan: WithKindSpan<'embeddings'> = withKind('embeddings');
/** Runs `fn` in a `rerank {model}` span. */
export const withRerankSpan: WithKindSpan<'rerank'> = withKind('rerank');
/** Runs `fn` in a `retrieval {dataSourceId}` span. */
export const withRetrievalSpan: WithKindSpan<'retrieval'> = withKind('retrieval');
/** Runs `fn` in an `execute_tool {name}` span. */
export const withToolSpan: WithKindSpan<'function'> = withKind('function');
/** Same as {@link withToolSpan} (the Agents SDK calls tools "function" spans). */
export const withFunctionSpan: WithKindSpan<'function'> = withToolSpan;
/** Runs `fn` in a handoff span. */
export const withHandoffSpan: WithKindSpan<'handoff'> = withKind('handoff');
/** Runs `fn` in a guardrail span; `update({ triggered })` records the result. */
export const withGuardrailSpan: WithKindSpan<'guardrail'> = withKind('guardrail');
/** Runs `fn` in an MCP `tools/list` span. */
export const withMcpToolsSpan: WithKindSpan<'mcp_tools'> = withKind('mcp_tools');
/** Runs `fn` in an MCP `tools/call {tool}` span. */
export const withMcpCallSpan: WithKindSpan<'mcp_call'> = withKind('mcp_call');
/** Runs `fn` in an MCP request span (`initialize`, `resources/read`, `prompts/get {prompt}`, …). */
export const withMcpRequestSpan: WithKindSpan<'mcp_request'> = withKind('mcp_request');
/** Runs `fn` in a custom span named by the input. */
export const withCustomSpan: WithKindSpan<'custom'> = withKind('custom');
/** Runs `fn` in a text-to-speech span. */
export const withSpeechSpan: WithKindSpan<'speech'> = withKind('speech');
/** Runs `fn` in a speech-to-text span. */
export const withTranscriptionSpan: WithKindSpan<'transcription'> = withKind('transcription');
/** Runs `fn` in a task span. */
export const withTaskSpan: WithKindSpan<'task'> = withKind('task');
/** Runs `fn` in a turn span. */
export const withTurnSpan: WithKindSpan<'turn'> = withKind('turn');

export const createAgentSpan: CreateKindSpan<'agent'> = createKind('agent');
export const createGenerationSpan: CreateKindSpan<'generation'> = createKind('generation');
export const createResponseSpan: CreateKindSpan<'response'> = createKind('response');
export const createEmbeddingsSpan: CreateKindSpan<'embeddings'> = createKind('embeddings');
export const createRerankSpan: CreateKindSpan<'rerank'> = createKind('rerank');
export const createRetrievalSpan: CreateKindSpan<'retrieval'> = createKind('retrieval');
export const createToolSpan: CreateKindSpan<'function'> = createKind('function');
export const createFunctionSpan: CreateKindSpan<'function'> = createToolSpan;
export const createHandoffSpan: CreateKindSpan<'handoff'> = createKind('handoff');
export const createGuardrailSpan: CreateKindSpan<'guardrail'> = createKind('guardrail');
export const createMcpToolsSpan: CreateKindSpan<'mcp_tools'> = createKind('mcp_tools');
export const createMcpCallSpan: CreateKindSpan<'mcp_call'> = createKind('mcp_call');
export const createMcpRequestSpan: CreateKindSpan<'mcp_request'> = createKind('mcp_request');
export const createCustomSpan: CreateKindSpan<'custom'> = createKind('custom');
export const createSpeechSpan: CreateKindSpan<'speech'> = createKind('speech');
export const createTranscriptionSpan: CreateKindSpan<'transcription'> = createKind('transcription');
export const createTaskSpan: CreateKindSpan<'task'> = createKind('task');
export const createTurnSpan: CreateKindSpan<'turn'> = createKind('turn');
