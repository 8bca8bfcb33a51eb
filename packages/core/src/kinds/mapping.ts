import { diag, SpanKind, type Attributes, type AttributeValue } from '@opentelemetry/api';
import {
  boundedAttributeValue,
  capJsonText,
  capText,
  MAX_METADATA_ENTRIES,
  MAX_METADATA_KEY_LENGTH,
} from '../content/attribute-limits.js';
import type { ContentField, ContentPolicy } from '../content/types.js';
import { toChatMessages, toOutputMessages } from '../content/messages.js';
import * as sc from '../semconv.js';
import { ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED } from '../semconv.js';
import type {
  AgentSpanData,
  GenerationSpanData,
  McpRequestFields,
  ModelRequestParameters,
  ResponseSpanData,
  SpanData,
  SpanType,
  WorkflowSpanData,
} from './span-data.js';
import type { TokenUsage } from '../usage/usage.js';
import { keepShapes } from '../calls/shape-anchors.js';
import { numberOf, stringOf } from '../values.js';

/** Every span kind, in the order of the mapping table. */
export const SPAN_TYPES: readonly SpanType[] = [
  'workflow',
  'agent',
  'generation',
  'response',
  'embeddings',
  'rerank',
  'retrieval',
  'function',
  'handoff',
  'guardrail',
  'mcp_tools',
  'mcp_call',
  'mcp_request',
  'custom',
  'speech',
  'transcription',
  'task',
  'turn',
];

/** A span kind mapped onto OpenTelemetry. */
export interface MappedSpan {
  /** Span name per the semantic conventions (low cardinality). */
  name: string;
  kind: SpanKind;
  /** Non-content attributes. */
  attributes: Attributes;
  /** Content attributes (messages, tool arguments/results); empty unless the policy captures content. */
  content: Attributes;
  /** Set when the data itself says the operation failed (e.g. an MCP tool result flagged `isError`). */
  errorType?: string;
  /** Events to add when the span ends (e.g. a guardrail result). */
  events?: { name: string; attributes: Attributes }[];
}

type Writer = (key: string, value: AttributeValue | undefined | null) => void;

/**
 * Writes each value within the bounds of `attribute-limits.ts` (NaN and ±Infinity are left out:
 * OTLP/JSON cannot carry them); a value that had to be cut or replaced marks the target.
 */
function writerFor(target: Attributes): Writer {
  return (key, value) => {
    const bounded = boundedAttributeValue(value);
    if (bounded === undefined) return;
    target[key] = bounded;
    if (bounded !== value) target[ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED] = true;
  };
}

/** A name for a span name: capped; `undefined` when empty or not a string or number (plain-JS callers). */
function nameText(target: unknown): string | undefined {
  if (typeof target === 'string') return target ? capText(target) : undefined;
  return typeof target === 'number' ? String(target) : undefined;
}

/** `{operation} {target}`, or the operation alone when the target gives no name. */
function spanName(operation: string, target: unknown): string {
  const name = nameText(target);
  return name === undefined ? operation : `${operation} ${name}`;
}

/** `value` when it is an integer (a semconv `int` attribute), else `undefined`. */
function intOf(value: unknown): number | undefined {
  return Number.isSafeInteger(value) ? (value as number) : undefined;
}

/** `value` when it is a non-negative integer (a count), else `undefined`. */
function countOf(value: unknown): number | undefined {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined;
}

/** `value` when it is an array of strings, else `undefined`. */
function stringsOf(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

// Each request parameter only with the type its attribute has (a plain-JS caller may pass anything).
function writeRequestParameters(set: Writer, p: ModelRequestParameters): void {
  set(sc.ATTR_GEN_AI_REQUEST_MAX_TOKENS, intOf(p.maxTokens));
  set(sc.ATTR_GEN_AI_REQUEST_TEMPERATURE, numberOf(p.temperature));
  set(sc.ATTR_GEN_AI_REQUEST_TOP_P, numberOf(p.topP));
  // An int since v0.1.0, and only top-K sampling (Anthropic `top_k`), never OpenAI's `top_logprobs`.
  set(sc.ATTR_GEN_AI_REQUEST_TOP_K, intOf(p.topK));
  set(sc.ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY, numberOf(p.frequencyPenalty));
  set(sc.ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY, numberOf(p.presencePenalty));
  set(sc.ATTR_GEN_AI_REQUEST_STOP_SEQUENCES, stringsOf(p.stopSequences));
  set(sc.ATTR_GEN_AI_REQUEST_SEED, intOf(p.seed));
  const choiceCount = intOf(p.choiceCount);
  if (choiceCount !== undefined && choiceCount !== 1) set(sc.ATTR_GEN_AI_REQUEST_CHOICE_COUNT, choiceCount);
  set(sc.ATTR_GEN_AI_REQUEST_REASONING_LEVEL, stringOf(p.reasoningLevel));
  set(sc.ATTR_GEN_AI_OUTPUT_TYPE, stringOf(p.outputType));
}

/**
 * Writes `gen_ai.usage.*` (model calls) or `agent_otel.usage.*` (aggregates such as task/turn). Input
 * and output totals as reported (zero included); cache, reasoning and per-modality breakdowns only
 * when reported and non-zero, as v0.1.0 recommends. A count that is not a non-negative integer is
 * left out.
 */
export function writeUsage(set: Writer, usage: TokenUsage | undefined, aggregate: boolean): void {
  if (!usage) return;
  set(
    aggregate ? sc.ATTR_AGENT_OTEL_USAGE_INPUT_TOKENS : sc.ATTR_GEN_AI_USAGE_INPUT_TOKENS,
    tokens(usage.inputTokens),
  );
  set(
    aggregate ? sc.ATTR_AGENT_OTEL_USAGE_OUTPUT_TOKENS : sc.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
    tokens(usage.outputTokens),
  );
  set(
    aggregate
      ? sc.ATTR_AGENT_OTEL_USAGE_CACHE_READ_INPUT_TOKENS
      : sc.ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
    nonZeroTokens(usage.cacheReadInputTokens),
  );
  set(
    aggregate
      ? sc.ATTR_AGENT_OTEL_USAGE_CACHE_WRITE_INPUT_TOKENS
      : sc.ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
    nonZeroTokens(usage.cacheWriteInputTokens),
  );
  set(
    aggregate
      ? sc.ATTR_AGENT_OTEL_USAGE_REASONING_OUTPUT_TOKENS
      : sc.ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
    nonZeroTokens(usage.reasoningOutputTokens),
  );
  if (aggregate || usage.modalities === undefined) return;
  const m = usage.modalities;
  set(sc.ATTR_GEN_AI_USAGE_TEXT_INPUT_TOKENS, nonZeroTokens(m.text?.inputTokens));
  set(sc.ATTR_GEN_AI_USAGE_TEXT_CACHE_READ_INPUT_TOKENS, nonZeroTokens(m.text?.cacheReadInputTokens));
  set(sc.ATTR_GEN_AI_USAGE_TEXT_OUTPUT_TOKENS, nonZeroTokens(m.text?.outputTokens));
  set(sc.ATTR_GEN_AI_USAGE_IMAGE_INPUT_TOKENS, nonZeroTokens(m.image?.inputTokens));
  set(sc.ATTR_GEN_AI_USAGE_IMAGE_CACHE_READ_INPUT_TOKENS, nonZeroTokens(m.image?.cacheReadInputTokens));
  set(sc.ATTR_GEN_AI_USAGE_IMAGE_OUTPUT_TOKENS, nonZeroTokens(m.image?.outputTokens));
  set(sc.ATTR_GEN_AI_USAGE_AUDIO_INPUT_TOKENS, nonZeroTokens(m.audio?.inputTokens));
  set(sc.ATTR_GEN_AI_USAGE_AUDIO_CACHE_READ_INPUT_TOKENS, nonZeroTokens(m.audio?.cacheReadInputTokens));
  set(sc.ATTR_GEN_AI_USAGE_AUDIO_OUTPUT_TOKENS, nonZeroTokens(m.audio?.outputTokens));
}

/** A token count: a non-negative integer, else `undefined`. */
function tokens(value: unknown): number | undefined {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined;
}

/** A token count above zero, else `undefined`. */
function nonZeroTokens(value: unknown): number | undefined {
  return Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : undefined;
}

function writeServer(set: Writer, address: string | undefined, port: number | undefined): void {
  const host = stringOf(address);
  set(sc.ATTR_SERVER_ADDRESS, host);
  if (host) set(sc.ATTR_SERVER_PORT, intOf(port));
}

/** The MCP attributes of one request; `server.*` on the client side, `client.*` on the server side. */
function writeMcpRequest(set: Writer, method: string | undefined, mcp: McpRequestFields): void {
  set(sc.ATTR_MCP_METHOD_NAME, method);
  set(sc.ATTR_MCP_SESSION_ID, mcp.sessionId);
  set(sc.ATTR_MCP_PROTOCOL_VERSION, mcp.protocolVersion);
  set(sc.ATTR_JSONRPC_REQUEST_ID, mcp.requestId == null ? undefined : String(mcp.requestId));
  set(sc.ATTR_NETWORK_TRANSPORT, mcp.networkTransport);
  set(sc.ATTR_NETWORK_PROTOCOL_NAME, mcp.networkProtocolName);
  if (mcp.side === 'server') {
    set(sc.ATTR_CLIENT_ADDRESS, mcp.clientAddress);
    if (mcp.clientAddress) set(sc.ATTR_CLIENT_PORT, intOf(mcp.clientPort));
  } else {
    writeServer(set, mcp.serverAddress, mcp.serverPort);
  }
  set(
    sc.ATTR_RPC_RESPONSE_STATUS_CODE,
    mcp.responseStatusCode == null ? undefined : String(mcp.responseStatusCode),
  );
  set(sc.ATTR_AGENT_OTEL_MCP_SERVER_NAME, mcp.server);
}

function mcpSpanKind(mcp: McpRequestFields): SpanKind {
  return mcp.side === 'server' ? SpanKind.SERVER : SpanKind.CLIENT;
}

/** Serialises content under the policy and records whether anything was cut. */
class ContentWriter {
  truncated = false;
  constructor(
    private readonly policy: ContentPolicy,
    private readonly target: Attributes,
  ) {}

  write(key: string, value: unknown, field: ContentField): void {
    if (value === undefined) return;
    const serialized = this.policy.serialize(value, field);
    this.target[key] = serialized.value;
    if (serialized.truncated) this.truncated = true;
  }
}

/**
 * The content attributes of an agent or workflow run's input and output (see {@link writeRunContent}),
 * for a run whose messages come from its model calls; with `agent_otel.content.truncated` when cut.
 */
export function mapRunContent(input: unknown, output: unknown, policy: ContentPolicy): Attributes {
  const content: Attributes = {};
  const writer = new ContentWriter(policy, content);
  writeRunContent(writer, { type: 'agent', name: '', input, output });
  if (writer.truncated) content[sc.ATTR_AGENT_OTEL_CONTENT_TRUNCATED] = true;
  return content;
}

/**
 * The input and output messages of an agent or workflow run (opt-in content on the invoke_agent
 * span): what the caller set, else what the run's model calls gave (see `UsageRollup`).
 */
function writeRunContent(contentWriter: ContentWriter, data: AgentSpanData | WorkflowSpanData): void {
  if (data.input !== undefined) {
    contentWriter.write(sc.ATTR_GEN_AI_INPUT_MESSAGES, toChatMessages(data.input), 'input.messages');
  }
  if (data.output !== undefined) {
    contentWriter.write(sc.ATTR_GEN_AI_OUTPUT_MESSAGES, toOutputMessages(data.output), 'output.messages');
  }
}

/**
 * One `agent_otel.metadata.<key>` attribute per entry, at most {@link MAX_METADATA_ENTRIES}; objects
 * are serialised (redacted) and, like strings, capped. An entry that cannot be read is left out.
 */
function writeMetadata(
  set: Writer,
  attributes: Attributes,
  policy: ContentPolicy,
  metadata: Record<string, unknown> | undefined,
): void {
  let keys: string[];
  try {
    // Anything but an object (a string's characters would be its keys) records no metadata.
    if (typeof metadata !== 'object' || metadata === null) return;
    keys = Object.keys(metadata);
  } catch {
    attributes[ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED] = true;
    return;
  }
  const count = Math.min(keys.length, MAX_METADATA_ENTRIES);
  if (count < keys.length) attributes[ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED] = true;
  for (let i = 0; i < count; i++) {
    const key = keys[i]!;
    const cappedKey = capText(key, MAX_METADATA_KEY_LENGTH);
    if (cappedKey !== key) attributes[ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED] = true;
    const attr = sc.ATTR_AGENT_OTEL_METADATA_PREFIX + cappedKey;
    let value: unknown;
    try {
      value = metadata[key];
    } catch {
      attributes[ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED] = true;
      continue;
    }
    if (typeof value === 'number' && !Number.isFinite(value)) set(attr, String(value));
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      set(attr, value);
    else if (value != null) {
      const text = policy.serialize(value, 'other').value;
      const capped = capJsonText(text);
      if (capped !== text) attributes[ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED] = true;
      set(attr, capped);
    }
  }
}

/** The fields of a model call that its response sets; {@link setModelCallResponse} sets only these. */
export const MODEL_CALL_RESPONSE_FIELDS: ReadonlySet<string> = new Set<keyof GenerationSpanData>([
  'responseId',
  'responseModel',
  'finishReasons',
  'timeToFirstChunk',
  'outputChunkIntervals',
  'usage',
  'responseServiceTier',
  'systemFingerprint',
  'output',
]);

function writeModelCallResponse(set: Writer, data: GenerationSpanData | ResponseSpanData): void {
  set(sc.ATTR_GEN_AI_RESPONSE_ID, data.responseId);
  set(sc.ATTR_GEN_AI_RESPONSE_MODEL, data.responseModel);
  set(sc.ATTR_GEN_AI_RESPONSE_FINISH_REASONS, stringsOf(data.finishReasons));
  set(sc.ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, numberOf(data.timeToFirstChunk));
  writeUsage(set, data.usage, false);
  set(sc.ATTR_OPENAI_RESPONSE_SERVICE_TIER, data.responseServiceTier);
  set(sc.ATTR_OPENAI_RESPONSE_SYSTEM_FINGERPRINT, data.systemFingerprint);
}

function writeModelCallOutput(
  contentWriter: ContentWriter,
  data: GenerationSpanData | ResponseSpanData,
): void {
  if (data.output === undefined) return;
  const finish = data.finishReasons?.[0];
  contentWriter.write(
    sc.ATTR_GEN_AI_OUTPUT_MESSAGES,
    toOutputMessages(data.output, finish),
    'output.messages',
  );
}

/** Where {@link setModelCallResponse} writes: an OTel span, or anything with its `setAttribute`. */
export interface AttributeSink {
  setAttribute(key: string, value: AttributeValue): unknown;
}

function sinkWriter(sink: AttributeSink): Writer {
  return (key, value) => {
    const bounded = boundedAttributeValue(value);
    if (bounded === undefined) return;
    sink.setAttribute(key, bounded);
    if (bounded !== value) sink.setAttribute(ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED, true);
  };
}

/**
 * Sets the attributes of a model call's {@link MODEL_CALL_RESPONSE_FIELDS} alone on `span`, the same
 * as {@link mapSpanData} gives for them (content too, when the policy captures it): when only the
 * response changed since the span started, its end sets these instead of mapping the whole span
 * again. Straight through the span's `setAttribute`, which `setAttributes` would call for each key
 * anyway: no attribute object is built only to be copied.
 */
export function setModelCallResponse(
  span: AttributeSink,
  data: GenerationSpanData | ResponseSpanData,
  policy: ContentPolicy,
): void {
  writeModelCallResponse(sinkWriter(span), data);
  if (policy.mode === 'NO_CONTENT') return;
  const content: Attributes = {};
  const contentWriter = new ContentWriter(policy, content);
  writeModelCallOutput(contentWriter, data);
  if (contentWriter.truncated) span.setAttribute(sc.ATTR_AGENT_OTEL_CONTENT_TRUNCATED, true);
  if (!policy.captureOnSpan) return;
  for (const key of Object.keys(content)) span.setAttribute(key, content[key] as AttributeValue);
}

/**
 * Maps one span kind onto an OTel span name, kind and attributes, per the GenAI and MCP semantic
 * conventions (the table in the core README). Content attributes are produced only when the policy
 * captures content; every other value is bounded (`content/attribute-limits.ts`). Never throws: data
 * that cannot be read (a revoked Proxy, a throwing getter) gives a span named after its kind alone.
 */
export function mapSpanData(data: SpanData, policy: ContentPolicy): MappedSpan {
  return tryMapSpanData(data, policy) ?? unreadableSpanData(data);
}

/** {@link mapSpanData}, or `undefined` (after one `diag.warn`) when reading the data threw. */
export function tryMapSpanData(data: SpanData, policy: ContentPolicy): MappedSpan | undefined {
  try {
    return mapReadableSpanData(data, policy);
  } catch (error) {
    diag.warn('agent-otel: a span data value threw when read; the span is recorded without its data', error);
    return undefined;
  }
}

function unreadableSpanData(data: SpanData): MappedSpan {
  let type: string | undefined;
  try {
    type = nameText((data as { type?: unknown }).type);
  } catch {
    // The data object itself is unreadable.
  }
  type ??= 'unknown';
  return {
    name: type,
    kind: SpanKind.INTERNAL,
    attributes: { [sc.ATTR_AGENT_OTEL_SPAN_KIND]: type, [ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED]: true },
    content: {},
  };
}

/**
 * The mapping itself; the `switch` is exhaustive: a new kind is a compile error until it is mapped
 * here. Throws only when reading `data` throws.
 */
function mapReadableSpanData(data: SpanData, policy: ContentPolicy): MappedSpan {
  const attributes: Attributes = { [sc.ATTR_AGENT_OTEL_SPAN_KIND]: data.type };
  const content: Attributes = {};
  const set = writerFor(attributes);
  const capture = policy.mode !== 'NO_CONTENT';
  const contentWriter = new ContentWriter(policy, content);
  let result: MappedSpan;

  switch (data.type) {
    case 'workflow': {
      // v0.1.0: the workflow form of the in-process invoke_agent span, its name in gen_ai.agent.name.
      set(sc.ATTR_GEN_AI_OPERATION_NAME, sc.GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW);
      set(sc.ATTR_GEN_AI_AGENT_NAME, data.name);
      set(sc.ATTR_GEN_AI_CONVERSATION_ID, data.groupId);
      set(sc.ATTR_AGENT_OTEL_SOURCE_TRACE_ID, data.sourceTraceId);
      writeMetadata(set, attributes, policy, data.metadata);
      if (capture) writeRunContent(contentWriter, data);
      result = {
        name: spanName(sc.GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW, data.name),
        kind: SpanKind.INTERNAL,
        attributes,
        content,
      };
      break;
    }
    case 'agent': {
      set(sc.ATTR_GEN_AI_OPERATION_NAME, sc.GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT);
      set(sc.ATTR_GEN_AI_AGENT_NAME, data.name);
      set(sc.ATTR_GEN_AI_AGENT_DESCRIPTION, data.description);
      // An in-process agent: v0.1.0 keeps gen_ai.agent.id/version for hosted agents (CLIENT spans).
      set(sc.ATTR_AGENT_OTEL_AGENT_ID, data.id);
      set(sc.ATTR_AGENT_OTEL_AGENT_VERSION, data.version);
      set(sc.ATTR_GEN_AI_REQUEST_MODEL, data.model);
      set(sc.ATTR_GEN_AI_CONVERSATION_ID, data.conversationId);
      set(sc.ATTR_AGENT_OTEL_AGENT_HANDOFFS, data.handoffs);
      set(sc.ATTR_AGENT_OTEL_AGENT_TOOLS, data.tools);
      set(sc.ATTR_AGENT_OTEL_AGENT_OUTPUT_TYPE, data.outputType);
      if (capture) writeRunContent(contentWriter, data);
      result = {
        name: spanName(sc.GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT, data.name),
        kind: SpanKind.INTERNAL,
        attributes,
        content,
      };
      break;
    }
    case 'generation':
    case 'response': {
      const operation = data.type === 'generation' ? (stringOf(data.operation) ?? 'chat') : 'chat';
      const provider =
        data.provider ?? (data.type === 'response' ? sc.GEN_AI_PROVIDER_NAME_VALUE_OPENAI : undefined);
      set(sc.ATTR_GEN_AI_OPERATION_NAME, operation);
      set(sc.ATTR_GEN_AI_PROVIDER_NAME, provider);
      set(sc.ATTR_GEN_AI_REQUEST_MODEL, data.model);
      writeServer(set, data.serverAddress, data.serverPort);
      writeRequestParameters(set, data);
      if (data.stream) set(sc.ATTR_GEN_AI_REQUEST_STREAM, true);
      set(sc.ATTR_GEN_AI_CONVERSATION_ID, data.conversationId);
      writeModelCallResponse(set, data);
      set(sc.ATTR_OPENAI_REQUEST_SERVICE_TIER, data.serviceTier);
      if (data.type === 'response') {
        set(sc.ATTR_GEN_AI_REQUEST_PREVIOUS_RESPONSE_ID, data.previousResponseId);
        if (
          provider === sc.GEN_AI_PROVIDER_NAME_VALUE_OPENAI ||
          provider === sc.GEN_AI_PROVIDER_NAME_VALUE_AZURE_AI_OPENAI
        ) {
          set(sc.ATTR_OPENAI_API_TYPE, sc.OPENAI_API_TYPE_VALUE_RESPONSES);
        }
      } else {
        set(sc.ATTR_OPENAI_API_TYPE, data.apiType);
      }
      if (capture) {
        if (data.input !== undefined) {
          contentWriter.write(sc.ATTR_GEN_AI_INPUT_MESSAGES, toChatMessages(data.input), 'input.messages');
        }
        writeModelCallOutput(contentWriter, data);
        contentWriter.write(
          sc.ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
          data.systemInstructions,
          'system_instructions',
        );
        contentWriter.write(sc.ATTR_GEN_AI_TOOL_DEFINITIONS, data.toolDefinitions, 'tool.definitions');
      }
      result = { name: spanName(operation, data.model), kind: SpanKind.CLIENT, attributes, content };
      break;
    }
    case 'embeddings': {
      set(sc.ATTR_GEN_AI_OPERATION_NAME, sc.GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS);
      set(sc.ATTR_GEN_AI_PROVIDER_NAME, data.provider);
      set(sc.ATTR_GEN_AI_REQUEST_MODEL, data.model);
      set(sc.ATTR_GEN_AI_RESPONSE_MODEL, data.responseModel);
      set(sc.ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT, intOf(data.dimensionCount));
      set(sc.ATTR_GEN_AI_REQUEST_ENCODING_FORMATS, stringsOf(data.encodingFormats));
      writeServer(set, data.serverAddress, data.serverPort);
      writeUsage(set, data.usage, false);
      result = {
        name: spanName(sc.GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS, data.model),
        kind: SpanKind.CLIENT,
        attributes,
        content,
      };
      break;
    }
    case 'rerank': {
      set(sc.ATTR_GEN_AI_OPERATION_NAME, sc.GEN_AI_OPERATION_NAME_VALUE_RERANK);
      set(sc.ATTR_GEN_AI_PROVIDER_NAME, data.provider);
      set(sc.ATTR_GEN_AI_REQUEST_MODEL, data.model);
      set(sc.ATTR_GEN_AI_RESPONSE_MODEL, data.responseModel);
      set(sc.ATTR_GEN_AI_RESPONSE_ID, data.responseId);
      writeServer(set, data.serverAddress, data.serverPort);
      writeUsage(set, data.usage, false);
      set(sc.ATTR_AGENT_OTEL_RERANK_TOP_N, countOf(data.topN));
      set(sc.ATTR_AGENT_OTEL_RERANK_DOCUMENT_COUNT, countOf(data.documentCount));
      if (capture) {
        // Documents are not messages: ours, not gen_ai.input.messages / gen_ai.output.messages.
        contentWriter.write(sc.ATTR_AGENT_OTEL_RERANK_INPUT, data.input, 'rerank.input');
        contentWriter.write(sc.ATTR_AGENT_OTEL_RERANK_OUTPUT, data.output, 'rerank.output');
      }
      result = {
        name: spanName(sc.GEN_AI_OPERATION_NAME_VALUE_RERANK, data.model),
        kind: SpanKind.CLIENT,
        attributes,
        content,
      };
      break;
    }
    case 'retrieval': {
      // A string attribute (plain-JS callers may pass anything); the span is named after it alone.
      const dataSourceId = stringOf(data.dataSourceId);
      set(sc.ATTR_GEN_AI_OPERATION_NAME, sc.GEN_AI_OPERATION_NAME_VALUE_RETRIEVAL);
      set(sc.ATTR_GEN_AI_DATA_SOURCE_ID, dataSourceId);
      set(sc.ATTR_GEN_AI_PROVIDER_NAME, data.provider);
      set(sc.ATTR_GEN_AI_REQUEST_MODEL, data.model);
      writeServer(set, data.serverAddress, data.serverPort);
      set(sc.ATTR_GEN_AI_RETRIEVAL_TOP_K, countOf(data.topK));
      if (capture) {
        // Opt-in content: the query as text, the documents as JSON (the registry type is `any`).
        contentWriter.write(sc.ATTR_GEN_AI_RETRIEVAL_QUERY_TEXT, data.query, 'retrieval.query.text');
        contentWriter.write(sc.ATTR_GEN_AI_RETRIEVAL_DOCUMENTS, data.documents, 'retrieval.documents');
      }
      result = {
        name: spanName(sc.GEN_AI_OPERATION_NAME_VALUE_RETRIEVAL, dataSourceId),
        kind: SpanKind.CLIENT,
        attributes,
        content,
      };
      break;
    }
    case 'function': {
      set(sc.ATTR_GEN_AI_OPERATION_NAME, sc.GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL);
      set(sc.ATTR_GEN_AI_TOOL_NAME, data.name);
      set(sc.ATTR_GEN_AI_TOOL_TYPE, data.toolType ?? 'function');
      set(sc.ATTR_GEN_AI_TOOL_CALL_ID, data.callId);
      set(sc.ATTR_GEN_AI_TOOL_DESCRIPTION, data.description);
      set(sc.ATTR_GEN_AI_AGENT_NAME, data.agentName);
      // An MCP tool call made inside this span: its MCP attributes go here, not on a second span.
      if (typeof data.mcp === 'object' && data.mcp !== null) {
        writeMcpRequest(set, sc.MCP_METHOD_NAME_VALUE_TOOLS_CALL, { ...data.mcp, side: 'client' });
      }
      if (capture) {
        contentWriter.write(sc.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, data.input, 'tool.call.arguments');
        contentWriter.write(sc.ATTR_GEN_AI_TOOL_CALL_RESULT, data.output, 'tool.call.result');
      }
      result = {
        name: spanName(sc.GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL, data.name),
        kind: SpanKind.INTERNAL,
        attributes,
        content,
      };
      if (data.mcp?.isError) result.errorType = sc.ERROR_TYPE_VALUE_TOOL_ERROR;
      break;
    }
    case 'handoff': {
      set(sc.ATTR_AGENT_OTEL_HANDOFF_FROM_AGENT, data.fromAgent);
      set(sc.ATTR_AGENT_OTEL_HANDOFF_TO_AGENT, data.toAgent);
      set(sc.ATTR_GEN_AI_AGENT_NAME, data.fromAgent);
      set(sc.PROPOSED.handoffMode, 'pass_control');
      let name: string;
      if (data.toolName) {
        // A handoff made through a tool call is a tool call: an execute_tool span ("agent as a tool").
        set(sc.ATTR_GEN_AI_OPERATION_NAME, sc.GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL);
        set(sc.ATTR_GEN_AI_TOOL_NAME, data.toolName);
        set(sc.ATTR_GEN_AI_TOOL_CALL_ID, data.callId);
        name = spanName(sc.GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL, data.toolName);
      } else {
        name = spanName('handoff', data.toAgent);
      }
      result = { name, kind: SpanKind.INTERNAL, attributes, content };
      break;
    }
    case 'guardrail': {
      set(sc.ATTR_AGENT_OTEL_GUARDRAIL_NAME, data.name);
      set(sc.ATTR_AGENT_OTEL_GUARDRAIL_TRIGGERED, data.triggered);
      const events: MappedSpan['events'] = [];
      if (data.triggered != null) {
        const eventAttributes: Attributes = {};
        const setEvent = writerFor(eventAttributes);
        setEvent(sc.PROPOSED.guardrailName, data.name);
        setEvent(sc.PROPOSED.guardrailSource, data.source);
        setEvent(sc.PROPOSED.guardrailResultType, 'tripwire_triggered');
        setEvent(sc.PROPOSED.guardrailResultValue, String(data.triggered));
        events.push({ name: sc.PROPOSED.guardrailResultEvent, attributes: eventAttributes });
      }
      result = {
        name: spanName('guardrail', data.name),
        kind: SpanKind.INTERNAL,
        attributes,
        content,
        events,
      };
      break;
    }
    case 'mcp_tools': {
      writeMcpRequest(set, sc.MCP_METHOD_NAME_VALUE_TOOLS_LIST, data);
      set(sc.ATTR_AGENT_OTEL_MCP_TOOLS, data.result);
      result = { name: sc.MCP_METHOD_NAME_VALUE_TOOLS_LIST, kind: mcpSpanKind(data), attributes, content };
      break;
    }
    case 'mcp_call': {
      writeMcpRequest(set, sc.MCP_METHOD_NAME_VALUE_TOOLS_CALL, data);
      set(sc.ATTR_GEN_AI_OPERATION_NAME, sc.GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL);
      set(sc.ATTR_GEN_AI_TOOL_NAME, data.toolName);
      set(sc.ATTR_GEN_AI_TOOL_CALL_ID, data.callId);
      if (capture) {
        contentWriter.write(sc.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, data.input, 'tool.call.arguments');
        contentWriter.write(sc.ATTR_GEN_AI_TOOL_CALL_RESULT, data.output, 'tool.call.result');
      }
      result = {
        name: spanName(sc.MCP_METHOD_NAME_VALUE_TOOLS_CALL, data.toolName),
        kind: mcpSpanKind(data),
        attributes,
        content,
      };
      if (data.isError) result.errorType = sc.ERROR_TYPE_VALUE_TOOL_ERROR;
      break;
    }
    case 'mcp_request': {
      // A method that is not text (plain-JS callers) names the span after its kind.
      const method = nameText(data.method);
      writeMcpRequest(set, method, data);
      set(sc.ATTR_GEN_AI_PROMPT_NAME, stringOf(data.promptName));
      set(sc.ATTR_MCP_RESOURCE_URI, stringOf(data.resourceUri));
      // The resource URI is never the name's target: it is high-cardinality (opt-in in semconv).
      result = {
        name: spanName(method ?? data.type, data.promptName),
        kind: mcpSpanKind(data),
        attributes,
        content,
      };
      break;
    }
    case 'custom': {
      set(sc.ATTR_AGENT_OTEL_CUSTOM_NAME, data.name);
      if (data.data !== undefined) {
        // User-chosen payload: recorded whatever the capture mode, but redacted and size-capped.
        const serialized = policy.serialize(data.data, 'custom.data');
        // Capped by the content policy: not through `set`, whose shorter cap would break the JSON.
        attributes[sc.ATTR_AGENT_OTEL_CUSTOM_DATA] = serialized.value;
        if (serialized.truncated) contentWriter.truncated = true;
      }
      result = { name: nameText(data.name) ?? 'custom', kind: SpanKind.INTERNAL, attributes, content };
      break;
    }
    case 'speech': {
      set(sc.ATTR_GEN_AI_OPERATION_NAME, sc.GEN_AI_OPERATION_NAME_VALUE_TEXT_TO_SPEECH);
      set(sc.ATTR_GEN_AI_PROVIDER_NAME, data.provider);
      set(sc.ATTR_GEN_AI_REQUEST_MODEL, data.model);
      set(sc.ATTR_GEN_AI_OUTPUT_TYPE, 'speech');
      set(sc.ATTR_AGENT_OTEL_SPEECH_OUTPUT_FORMAT, data.outputFormat);
      writeServer(set, data.serverAddress, data.serverPort);
      writeUsage(set, data.usage, false);
      if (capture && data.input !== undefined) {
        contentWriter.write(sc.ATTR_GEN_AI_INPUT_MESSAGES, toChatMessages(data.input), 'input.messages');
      }
      result = {
        name: spanName(sc.GEN_AI_OPERATION_NAME_VALUE_TEXT_TO_SPEECH, data.model),
        kind: SpanKind.CLIENT,
        attributes,
        content,
      };
      break;
    }
    case 'transcription': {
      set(sc.ATTR_GEN_AI_OPERATION_NAME, sc.GEN_AI_OPERATION_NAME_VALUE_SPEECH_TO_TEXT);
      set(sc.ATTR_GEN_AI_PROVIDER_NAME, data.provider);
      set(sc.ATTR_GEN_AI_REQUEST_MODEL, data.model);
      set(sc.ATTR_AGENT_OTEL_SPEECH_INPUT_FORMAT, data.inputFormat);
      set(sc.PROPOSED.speechInputLanguage, data.language);
      writeServer(set, data.serverAddress, data.serverPort);
      writeUsage(set, data.usage, false);
      if (capture && data.output !== undefined) {
        contentWriter.write(sc.ATTR_GEN_AI_OUTPUT_MESSAGES, toOutputMessages(data.output), 'output.messages');
      }
      result = {
        name: spanName(sc.GEN_AI_OPERATION_NAME_VALUE_SPEECH_TO_TEXT, data.model),
        kind: SpanKind.CLIENT,
        attributes,
        content,
      };
      break;
    }
    case 'task': {
      set(sc.ATTR_AGENT_OTEL_TASK_NAME, data.name);
      writeUsage(set, data.usage, true);
      result = { name: spanName('task', data.name), kind: SpanKind.INTERNAL, attributes, content };
      break;
    }
    case 'turn': {
      set(sc.ATTR_AGENT_OTEL_TURN_NUMBER, data.turn);
      set(sc.ATTR_GEN_AI_AGENT_NAME, data.agentName);
      writeUsage(set, data.usage, true);
      result = { name: spanName('turn', data.agentName), kind: SpanKind.INTERNAL, attributes, content };
      break;
    }
    default: {
      // Compile-time exhaustiveness; at run time (plain-JS callers, newer frameworks) an unknown kind
      // becomes a generic span rather than an error.
      const unmapped: never = data;
      const type = nameText((unmapped as { type?: unknown }).type) ?? 'unknown';
      attributes[sc.ATTR_AGENT_OTEL_SPAN_KIND] = type;
      result = { name: type, kind: SpanKind.INTERNAL, attributes, content };
    }
  }
  if (contentWriter.truncated) attributes[sc.ATTR_AGENT_OTEL_CONTENT_TRUNCATED] = true;
  return result;
}

keepShapes(new ContentWriter({} as ContentPolicy, {}));
