import {
  createNoopMeter,
  diag,
  metrics,
  ValueType,
  type Attributes,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
} from '@opentelemetry/api';
import type { SpanData } from '../kinds/span-data.js';
import type { ModalityUsage, TokenUsage } from '../usage/usage.js';
import * as sc from '../semconv.js';
import { processWide } from '../state.js';
import { VERSION } from '../version.js';
import { stringOf } from '../values.js';

/** The instrumentation scope name of agent-otel's metrics (and of its log-record events). */
export const METER_NAME = '@agent-otel/core';

/** Bucket advice of the GenAI duration histograms (seconds), from v0.1.0. */
export const DURATION_BUCKETS: readonly number[] = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
/** Bucket advice of `gen_ai.invoke_agent.duration` (seconds): agent runs last longer. */
export const AGENT_DURATION_BUCKETS: readonly number[] = [
  0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 51.2, 102.4, 204.8, 409.6,
];
/** Bucket advice of the per-operation token histograms. */
export const TOKEN_BUCKETS: readonly number[] = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
/** Bucket advice of the MCP operation and session durations (seconds). */
export const MCP_DURATION_BUCKETS: readonly number[] = [
  0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300,
];

/** The instruments of one meter; made once per meter provider. */
interface Instruments {
  inferenceDuration: Histogram;
  timeToFirstChunk: Histogram;
  timePerOutputChunk: Histogram;
  usageInput: Counter;
  usageOutput: Counter;
  usageCacheRead: Counter;
  usageCacheWrite: Counter;
  usageReasoning: Counter;
  operationInputTokens: Histogram;
  operationOutputTokens: Histogram;
  operationDuration: Histogram;
  invokeAgentDuration: Histogram;
  executeToolDuration: Histogram;
  mcpClientOperationDuration: Histogram;
  mcpServerOperationDuration: Histogram;
  mcpClientSessionDuration: Histogram;
  mcpServerSessionDuration: Histogram;
  /** Pre-v0.1.0 names, only with {@link MetricsOptions.legacyNames}. */
  legacy?: { operationDuration: Histogram; tokenUsage: Histogram };
}

/** Options of {@link configureMetrics}. */
export interface MetricsOptions {
  /**
   * Also record the pre-v0.1.0 metrics that existing dashboards read: `gen_ai.client.operation.duration`
   * for model calls too, and the `gen_ai.client.token.usage` histogram with `gen_ai.token.type`.
   * Default: `AGENT_OTEL_LEGACY_METRICS=true`, else off.
   */
  legacyNames?: boolean;
  /**
   * Record `gen_ai.client.inference.time_per_output_chunk`, one histogram point per streamed chunk
   * after the first. Off by default: with the OpenTelemetry SDK each point costs ~20 k instructions,
   * ~0.9 M for a 48-chunk stream (a quarter of the uninstrumented call; bench/RESULTS.md). Default:
   * `AGENT_OTEL_METRICS_CHUNK_TIMES=true`, else off.
   */
  outputChunkTimes?: boolean;
  /** The meter provider to record with instead of the global one; `undefined` for the global one. */
  meterProvider?: MeterProvider;
}

interface MetricsState {
  /** Chosen with `configureMetrics({ meterProvider })`; the global one otherwise. */
  provider: MeterProvider | undefined;
  /** `undefined` until read: then the option, else `AGENT_OTEL_LEGACY_METRICS`. */
  legacyNames: boolean | undefined;
  /** `undefined` until read: then the option, else `AGENT_OTEL_METRICS_CHUNK_TIMES`. */
  outputChunkTimes: boolean | undefined;
  /** The provider the instruments were made for. */
  madeFor: MeterProvider | undefined;
  /** `null` when that provider records nothing (the API's no-op meter). */
  instruments: Instruments | null;
}

const METRICS_STATE = processWide<MetricsState>('agent_otel.metrics.state', () => ({
  provider: undefined,
  legacyNames: undefined,
  outputChunkTimes: undefined,
  madeFor: undefined,
  instruments: null,
}));

const NOOP_METER_CLASS: unknown = createNoopMeter().constructor;

/**
 * Configures agent-otel's GenAI metrics: the meter provider (default: the global one, as set by
 * `register()` or a `NodeSDK`) and the pre-v0.1.0 names opt-in. Never throws.
 */
export function configureMetrics(options: MetricsOptions = {}): void {
  const state = METRICS_STATE.get();
  try {
    const provider = options.meterProvider;
    if (provider !== undefined && typeof provider?.getMeter !== 'function') {
      diag.warn(
        'agent-otel: configureMetrics was given a meterProvider without a getMeter method; metrics keep ' +
          'their current provider. Pass an OpenTelemetry MeterProvider, or leave it out for the global one.',
      );
    } else {
      state.provider = provider;
    }
    if (options.legacyNames !== undefined) state.legacyNames = options.legacyNames === true;
    if (options.outputChunkTimes !== undefined) state.outputChunkTimes = options.outputChunkTimes === true;
  } catch (error) {
    diag.warn('agent-otel: configureMetrics options could not be read; metrics are unchanged', error);
  }
  state.madeFor = undefined;
  state.instruments = null;
}

/** Back to the defaults: the global meter provider, `AGENT_OTEL_LEGACY_METRICS`. */
export function resetMetrics(): void {
  METRICS_STATE.reset();
}

function envFlag(name: string): boolean {
  return /^(true|1)$/i.test(process.env[name]?.trim() ?? '');
}

function legacyNamesOn(state: MetricsState): boolean {
  state.legacyNames ??= envFlag('AGENT_OTEL_LEGACY_METRICS');
  return state.legacyNames;
}

/**
 * True when a streamed call is to keep its chunk intervals: metrics are recorded and
 * `gen_ai.client.inference.time_per_output_chunk` is turned on ({@link MetricsOptions.outputChunkTimes}).
 */
export function recordsOutputChunkTimes(): boolean {
  const state = METRICS_STATE.get();
  state.outputChunkTimes ??= envFlag('AGENT_OTEL_METRICS_CHUNK_TIMES');
  return state.outputChunkTimes && activeInstruments() !== undefined;
}

/**
 * The instruments to record with, or `undefined` when no meter provider records anything (no SDK, or
 * the API's no-op provider): then nothing else of a metric is computed. Made once per provider.
 */
export function activeInstruments(): Instruments | undefined {
  const state = METRICS_STATE.get();
  const provider = state.provider ?? metrics.getMeterProvider();
  if (provider !== state.madeFor) {
    state.madeFor = provider;
    state.instruments = makeInstruments(provider, legacyNamesOn(state));
  }
  return state.instruments ?? undefined;
}

function makeInstruments(provider: MeterProvider, legacy: boolean): Instruments | null {
  let meter: Meter;
  try {
    meter = provider.getMeter(METER_NAME, VERSION, { schemaUrl: sc.SEMCONV_SCHEMA_URL });
    if (meter.constructor === NOOP_METER_CLASS) return null;
    const histogram = (name: string, unit: string, description: string, buckets: readonly number[]) =>
      meter.createHistogram(name, {
        unit,
        description,
        advice: { explicitBucketBoundaries: [...buckets] },
        valueType: unit === 's' ? ValueType.DOUBLE : ValueType.INT,
      });
    const counter = (name: string, description: string) =>
      meter.createCounter(name, { unit: '{token}', description, valueType: ValueType.INT });
    const instruments: Instruments = {
      inferenceDuration: histogram(
        sc.METRIC_GEN_AI_CLIENT_INFERENCE_DURATION,
        's',
        'Duration of a GenAI inference call.',
        DURATION_BUCKETS,
      ),
      timeToFirstChunk: histogram(
        sc.METRIC_GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK,
        's',
        'Time from the request to the first chunk of a streamed response.',
        DURATION_BUCKETS,
      ),
      timePerOutputChunk: histogram(
        sc.METRIC_GEN_AI_CLIENT_INFERENCE_TIME_PER_OUTPUT_CHUNK,
        's',
        'Time between consecutive chunks of a streamed response, after the first.',
        DURATION_BUCKETS,
      ),
      usageInput: counter(sc.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS, 'Input tokens used.'),
      usageOutput: counter(sc.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS, 'Output tokens used.'),
      usageCacheRead: counter(
        sc.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_READ_INPUT_TOKENS,
        'Input tokens read from the provider cache.',
      ),
      usageCacheWrite: counter(
        sc.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_WRITE_INPUT_TOKENS,
        'Input tokens written to the provider cache.',
      ),
      usageReasoning: counter(
        sc.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_REASONING_OUTPUT_TOKENS,
        'Output tokens spent on reasoning.',
      ),
      operationInputTokens: histogram(
        sc.METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS,
        '{token}',
        'Input tokens of one inference call.',
        TOKEN_BUCKETS,
      ),
      operationOutputTokens: histogram(
        sc.METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS,
        '{token}',
        'Output tokens of one inference call.',
        TOKEN_BUCKETS,
      ),
      operationDuration: histogram(
        sc.METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
        's',
        'Duration of a GenAI client operation other than inference (embeddings, rerank, retrieval, speech).',
        DURATION_BUCKETS,
      ),
      invokeAgentDuration: histogram(
        sc.METRIC_GEN_AI_INVOKE_AGENT_DURATION,
        's',
        'Duration of an agent or workflow run.',
        AGENT_DURATION_BUCKETS,
      ),
      executeToolDuration: histogram(
        sc.METRIC_GEN_AI_EXECUTE_TOOL_DURATION,
        's',
        'Duration of a tool execution.',
        DURATION_BUCKETS,
      ),
      mcpClientOperationDuration: histogram(
        sc.METRIC_MCP_CLIENT_OPERATION_DURATION,
        's',
        'Duration of an MCP request or notification, as the client sees it.',
        MCP_DURATION_BUCKETS,
      ),
      mcpServerOperationDuration: histogram(
        sc.METRIC_MCP_SERVER_OPERATION_DURATION,
        's',
        'Duration of an MCP request or notification, as the server sees it.',
        MCP_DURATION_BUCKETS,
      ),
      mcpClientSessionDuration: histogram(
        sc.METRIC_MCP_CLIENT_SESSION_DURATION,
        's',
        'Duration of an MCP session, as the client sees it.',
        MCP_DURATION_BUCKETS,
      ),
      mcpServerSessionDuration: histogram(
        sc.METRIC_MCP_SERVER_SESSION_DURATION,
        's',
        'Duration of an MCP session, as the server sees it.',
        MCP_DURATION_BUCKETS,
      ),
    };
    if (legacy) {
      instruments.legacy = {
        operationDuration: instruments.operationDuration,
        tokenUsage: histogram(
          sc.METRIC_GEN_AI_CLIENT_TOKEN_USAGE_LEGACY,
          '{token}',
          'Number of input and output tokens used (pre-v0.1.0 name).',
          TOKEN_BUCKETS,
        ),
      };
    }
    return instruments;
  } catch (error) {
    diag.warn('agent-otel: could not create the GenAI metric instruments; no metrics are recorded', error);
    return null;
  }
}

/** Sets `key` when `value` is a non-empty string (every string attribute of the metrics). */
function put(target: Attributes, key: string, value: unknown): void {
  if (typeof value === 'string' && value !== '') target[key] = value;
}

/** A token count that can be added: a non-negative integer, else `undefined`. */
function count(value: unknown): number | undefined {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined;
}

/** `gen_ai.operation.name` of the kinds recorded as `gen_ai.client.operation.duration` (not inference). */
const CLIENT_OPERATION_NAMES = {
  embeddings: sc.GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS,
  rerank: sc.GEN_AI_OPERATION_NAME_VALUE_RERANK,
  retrieval: sc.GEN_AI_OPERATION_NAME_VALUE_RETRIEVAL,
  speech: sc.GEN_AI_OPERATION_NAME_VALUE_TEXT_TO_SPEECH,
  transcription: sc.GEN_AI_OPERATION_NAME_VALUE_SPEECH_TO_TEXT,
} as const;

/**
 * Records the metrics of a span that just ended, from the data it was mapped from: nothing is read
 * twice or kept. `seconds` is the span's duration; `errorType` its `error.type`, if it failed.
 * Attribute sets are the low-cardinality ones the conventions list (no ids, no content); a metric
 * whose Required attributes the data lacks (a model call without a provider, a tool without a name,
 * an MCP request without a method) is not recorded. Never throws.
 */
export function recordSpanMetrics(
  instruments: Instruments,
  data: SpanData,
  seconds: number,
  errorType: string | undefined,
): void {
  try {
    switch (data.type) {
      case 'generation':
      case 'response': {
        const operation = data.type === 'generation' ? (stringOf(data.operation) ?? 'chat') : 'chat';
        const provider = data.provider ?? (data.type === 'response' ? 'openai' : undefined);
        // Required on every inference metric: without them (a manual span without a provider) none is recorded.
        if (typeof operation !== 'string' || !operation || typeof provider !== 'string' || !provider) return;
        const attributes: Attributes = {};
        put(attributes, sc.ATTR_GEN_AI_OPERATION_NAME, operation);
        put(attributes, sc.ATTR_GEN_AI_PROVIDER_NAME, provider);
        put(attributes, sc.ATTR_GEN_AI_REQUEST_MODEL, data.model);
        put(attributes, sc.ATTR_GEN_AI_RESPONSE_MODEL, data.responseModel);
        putServer(
          attributes,
          data.serverAddress,
          data.serverPort,
          sc.ATTR_SERVER_ADDRESS,
          sc.ATTR_SERVER_PORT,
        );
        put(attributes, sc.ATTR_OPENAI_RESPONSE_SERVICE_TIER, data.responseServiceTier);
        if (data.stream) {
          // Streaming only; recorded without error.type, as the conventions list them.
          const ttfc = data.timeToFirstChunk;
          if (typeof ttfc === 'number' && Number.isFinite(ttfc))
            instruments.timeToFirstChunk.record(ttfc, attributes);
          const intervals = data.outputChunkIntervals;
          if (Array.isArray(intervals)) {
            for (const interval of intervals) instruments.timePerOutputChunk.record(interval, attributes);
          }
        }
        recordUsage(instruments, attributes, data.usage);
        if (errorType !== undefined) attributes[sc.ATTR_ERROR_TYPE] = errorType;
        instruments.inferenceDuration.record(seconds, attributes);
        recordOperationTokens(instruments, attributes, data.usage);
        if (instruments.legacy) {
          instruments.legacy.operationDuration.record(seconds, attributes);
          recordLegacyTokens(instruments.legacy.tokenUsage, attributes, data.usage);
        }
        return;
      }
      case 'embeddings':
      case 'rerank':
      case 'retrieval':
      case 'speech':
      case 'transcription': {
        const attributes: Attributes = {};
        put(attributes, sc.ATTR_GEN_AI_OPERATION_NAME, CLIENT_OPERATION_NAMES[data.type]);
        put(attributes, sc.ATTR_GEN_AI_PROVIDER_NAME, data.provider);
        put(attributes, sc.ATTR_GEN_AI_REQUEST_MODEL, data.model);
        if (data.type === 'embeddings' || data.type === 'rerank') {
          put(attributes, sc.ATTR_GEN_AI_RESPONSE_MODEL, data.responseModel);
        }
        putServer(
          attributes,
          data.serverAddress,
          data.serverPort,
          sc.ATTR_SERVER_ADDRESS,
          sc.ATTR_SERVER_PORT,
        );
        if (errorType !== undefined) attributes[sc.ATTR_ERROR_TYPE] = errorType;
        instruments.operationDuration.record(seconds, attributes);
        return;
      }
      case 'workflow':
      case 'agent': {
        const attributes: Attributes = {};
        put(
          attributes,
          sc.ATTR_GEN_AI_OPERATION_NAME,
          data.type === 'workflow'
            ? sc.GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW
            : sc.GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
        );
        put(attributes, sc.ATTR_GEN_AI_AGENT_NAME, data.name);
        if (data.type === 'agent') put(attributes, sc.ATTR_GEN_AI_REQUEST_MODEL, data.model);
        if (errorType !== undefined) attributes[sc.ATTR_ERROR_TYPE] = errorType;
        instruments.invokeAgentDuration.record(seconds, attributes);
        return;
      }
      case 'function': {
        recordToolDuration(
          instruments,
          data.name,
          data.toolType ?? 'function',
          data.agentName,
          seconds,
          errorType,
        );
        if (typeof data.mcp === 'object' && data.mcp !== null) {
          recordMcpOperation(
            instruments,
            sc.MCP_METHOD_NAME_VALUE_TOOLS_CALL,
            { ...data.mcp, side: 'client' },
            data.name,
            undefined,
            seconds,
            errorType,
          );
        }
        return;
      }
      case 'handoff': {
        if (data.toolName)
          recordToolDuration(instruments, data.toolName, 'function', data.fromAgent, seconds, errorType);
        return;
      }
      case 'mcp_call': {
        recordToolDuration(instruments, data.toolName, undefined, undefined, seconds, errorType);
        recordMcpOperation(
          instruments,
          sc.MCP_METHOD_NAME_VALUE_TOOLS_CALL,
          data,
          data.toolName,
          undefined,
          seconds,
          errorType,
        );
        return;
      }
      case 'mcp_tools': {
        recordMcpOperation(
          instruments,
          sc.MCP_METHOD_NAME_VALUE_TOOLS_LIST,
          data,
          undefined,
          undefined,
          seconds,
          errorType,
        );
        return;
      }
      case 'mcp_request': {
        recordMcpOperation(instruments, data.method, data, undefined, data.promptName, seconds, errorType);
        return;
      }
      default:
        return;
    }
  } catch (error) {
    diag.debug('agent-otel: a metric could not be recorded', error);
  }
}

function putServer(
  attributes: Attributes,
  address: unknown,
  port: unknown,
  addressKey: string,
  portKey: string,
): void {
  if (typeof address !== 'string' || address === '') return;
  attributes[addressKey] = address;
  if (Number.isSafeInteger(port)) attributes[portKey] = port as number;
}

/**
 * The usage counters: per modality where the provider broke the tokens down, the rest as `unknown`;
 * a call without usage (failed, or none reported) adds 0 input and output tokens as `unknown`, as the
 * conventions ask, so the call still counts.
 */
function recordUsage(instruments: Instruments, base: Attributes, usage: TokenUsage | undefined): void {
  const m = usage?.modalities;
  addByModality(instruments.usageInput, base, count(usage?.inputTokens) ?? 0, m, 'inputTokens', true);
  addByModality(instruments.usageOutput, base, count(usage?.outputTokens) ?? 0, m, 'outputTokens', true);
  if (usage === undefined) return;
  addByModality(
    instruments.usageCacheRead,
    base,
    count(usage.cacheReadInputTokens) ?? 0,
    m,
    'cacheReadInputTokens',
    false,
  );
  addByModality(
    instruments.usageCacheWrite,
    base,
    count(usage.cacheWriteInputTokens) ?? 0,
    undefined,
    'inputTokens',
    false,
  );
  addByModality(
    instruments.usageReasoning,
    base,
    count(usage.reasoningOutputTokens) ?? 0,
    undefined,
    'outputTokens',
    false,
  );
}

const MODALITIES = [
  [sc.GEN_AI_TOKEN_MODALITY_VALUE_TEXT, 'text'],
  [sc.GEN_AI_TOKEN_MODALITY_VALUE_IMAGE, 'image'],
  [sc.GEN_AI_TOKEN_MODALITY_VALUE_AUDIO, 'audio'],
] as const;

function addByModality(
  counter: Counter,
  base: Attributes,
  total: number,
  modalities: TokenUsage['modalities'],
  field: keyof ModalityUsage,
  addZero: boolean,
): void {
  let rest = total;
  if (modalities !== undefined) {
    for (const [value, key] of MODALITIES) {
      const part = count(modalities[key]?.[field]);
      if (part === undefined || part === 0 || part > rest) continue;
      counter.add(part, { ...base, [sc.ATTR_GEN_AI_TOKEN_MODALITY]: value });
      rest -= part;
    }
  }
  if (rest > 0 || (addZero && total === 0)) {
    counter.add(rest, { ...base, [sc.ATTR_GEN_AI_TOKEN_MODALITY]: sc.GEN_AI_TOKEN_MODALITY_VALUE_UNKNOWN });
  }
}

/** The per-call token histograms (with `error.type`, no modality); 0 for a call without usage. */
function recordOperationTokens(
  instruments: Instruments,
  attributes: Attributes,
  usage: TokenUsage | undefined,
): void {
  instruments.operationInputTokens.record(count(usage?.inputTokens) ?? 0, attributes);
  instruments.operationOutputTokens.record(count(usage?.outputTokens) ?? 0, attributes);
}

function recordLegacyTokens(
  histogram: Histogram,
  attributes: Attributes,
  usage: TokenUsage | undefined,
): void {
  const input = count(usage?.inputTokens);
  const output = count(usage?.outputTokens);
  if (input !== undefined)
    histogram.record(input, { ...attributes, [sc.ATTR_GEN_AI_TOKEN_TYPE_LEGACY]: 'input' });
  if (output !== undefined)
    histogram.record(output, { ...attributes, [sc.ATTR_GEN_AI_TOKEN_TYPE_LEGACY]: 'output' });
}

function recordToolDuration(
  instruments: Instruments,
  toolName: unknown,
  toolType: unknown,
  agentName: unknown,
  seconds: number,
  errorType: string | undefined,
): void {
  if (typeof toolName !== 'string' || !toolName) return; // required
  const attributes: Attributes = {};
  put(attributes, sc.ATTR_GEN_AI_OPERATION_NAME, sc.GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL);
  put(attributes, sc.ATTR_GEN_AI_TOOL_NAME, toolName);
  put(attributes, sc.ATTR_GEN_AI_TOOL_TYPE, toolType);
  put(attributes, sc.ATTR_GEN_AI_AGENT_NAME, agentName);
  if (errorType !== undefined) attributes[sc.ATTR_ERROR_TYPE] = errorType;
  instruments.executeToolDuration.record(seconds, attributes);
}

/** The MCP fields a metric reads (a subset of `McpRequestFields`; no session or request id). */
interface McpMetricFields {
  side?: 'client' | 'server';
  protocolVersion?: string;
  networkTransport?: string;
  networkProtocolName?: string;
  serverAddress?: string;
  serverPort?: number;
  responseStatusCode?: string | number;
}

function recordMcpOperation(
  instruments: Instruments,
  method: unknown,
  mcp: McpMetricFields,
  toolName: unknown,
  promptName: unknown,
  seconds: number,
  errorType: string | undefined,
): void {
  if (typeof method !== 'string' || !method) return; // required
  const attributes: Attributes = {};
  put(attributes, sc.ATTR_MCP_METHOD_NAME, method);
  if (toolName !== undefined) {
    put(attributes, sc.ATTR_GEN_AI_TOOL_NAME, toolName);
    put(attributes, sc.ATTR_GEN_AI_OPERATION_NAME, sc.GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL);
  }
  put(attributes, sc.ATTR_GEN_AI_PROMPT_NAME, promptName);
  put(attributes, sc.ATTR_MCP_PROTOCOL_VERSION, mcp.protocolVersion);
  put(attributes, sc.ATTR_NETWORK_TRANSPORT, mcp.networkTransport);
  put(attributes, sc.ATTR_NETWORK_PROTOCOL_NAME, mcp.networkProtocolName);
  if (mcp.responseStatusCode != null)
    put(attributes, sc.ATTR_RPC_RESPONSE_STATUS_CODE, String(mcp.responseStatusCode));
  if (errorType !== undefined) attributes[sc.ATTR_ERROR_TYPE] = errorType;
  if (mcp.side === 'server') {
    instruments.mcpServerOperationDuration.record(seconds, attributes);
  } else {
    putServer(attributes, mcp.serverAddress, mcp.serverPort, sc.ATTR_SERVER_ADDRESS, sc.ATTR_SERVER_PORT);
    instruments.mcpClientOperationDuration.record(seconds, attributes);
  }
}

/** What an MCP session's duration metric is recorded with. */
export interface McpSessionMetric {
  side: 'client' | 'server';
  /** Seconds from the session's start (connect / initialize) to its close. */
  seconds: number;
  protocolVersion?: string;
  networkTransport?: string;
  networkProtocolName?: string;
  serverAddress?: string;
  serverPort?: number;
  /** Set only when the session ended with an error. */
  errorType?: string;
}

/**
 * Records `mcp.{client,server}.session.duration` for a session that closed (for the MCP
 * instrumentation, which sees sessions open and close). Never throws; nothing without a meter provider.
 */
export function recordMcpSessionDuration(session: McpSessionMetric): void {
  try {
    const instruments = activeInstruments();
    if (instruments === undefined || !(Number.isFinite(session.seconds) && session.seconds >= 0)) return;
    const attributes: Attributes = {};
    put(attributes, sc.ATTR_MCP_PROTOCOL_VERSION, session.protocolVersion);
    put(attributes, sc.ATTR_NETWORK_TRANSPORT, session.networkTransport);
    put(attributes, sc.ATTR_NETWORK_PROTOCOL_NAME, session.networkProtocolName);
    put(attributes, sc.ATTR_ERROR_TYPE, session.errorType);
    if (session.side === 'server') {
      instruments.mcpServerSessionDuration.record(session.seconds, attributes);
    } else {
      putServer(
        attributes,
        session.serverAddress,
        session.serverPort,
        sc.ATTR_SERVER_ADDRESS,
        sc.ATTR_SERVER_PORT,
      );
      instruments.mcpClientSessionDuration.record(session.seconds, attributes);
    }
  } catch (error) {
    diag.debug('agent-otel: an MCP session metric could not be recorded', error);
  }
}
