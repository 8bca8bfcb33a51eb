import * as otelApi from '@opentelemetry/api';
import { diag, type Attributes, type Context } from '@opentelemetry/api';
import type { Logger, LoggerProvider, LogRecord } from '@opentelemetry/api';
import * as sc from '../semconv.js';
import { METER_NAME } from '../metrics/genai-metrics.js';
import { foreignGlobal, processWide } from '../state.js';
import { VERSION } from '../version.js';

/** `SeverityNumber.DEBUG` / `WARN` of the Logs API (numbers, so api 1.9 without `logs` works too). */
const SEVERITY_DEBUG = 5;
const SEVERITY_WARN = 13;

/** Key of the global logger provider of `@opentelemetry/api-logs` (the OTel JS 2.x SDKs register there). */
const API_LOGS_GLOBAL = 'io.opentelemetry.js.api.logs';

interface EventsState {
  /** Chosen with `configureEvents({ loggerProvider })`; the global one otherwise. */
  provider: LoggerProvider | undefined;
  madeFor: LoggerProvider | undefined;
  logger: Logger | undefined;
}

const EVENTS_STATE = processWide<EventsState>('agent_otel.events.state', () => ({
  provider: undefined,
  madeFor: undefined,
  logger: undefined,
}));

/**
 * The logger provider events go to: the one given to {@link setLoggerProvider}; else one registered
 * through `@opentelemetry/api-logs` (the OTel JS 2.x SDKs); else the global one of
 * `@opentelemetry/api` ≥ 1.10 (`logs`, a no-op proxy until an SDK registers); `undefined` with an
 * older API and no SDK.
 */
function currentLoggerProvider(state: EventsState): LoggerProvider | undefined {
  if (state.provider !== undefined) return state.provider;
  const getter = foreignGlobal(API_LOGS_GLOBAL);
  if (typeof getter === 'function') {
    const provider = (getter as (version: number) => LoggerProvider | undefined)(1);
    if (provider !== undefined) return provider;
  }
  return (otelApi as { logs?: { getLoggerProvider(): LoggerProvider } }).logs?.getLoggerProvider();
}

/**
 * Makes GenAI events (log records) go to this provider instead of the global one; `undefined` goes
 * back to the global one. A value without `getLogger` is ignored with a warning. Never throws.
 */
export function setLoggerProvider(provider: LoggerProvider | undefined): void {
  const state = EVENTS_STATE.get();
  let ok = provider === undefined;
  try {
    ok ||= typeof provider?.getLogger === 'function';
  } catch {
    // A revoked Proxy: not a provider.
  }
  if (!ok) {
    diag.warn(
      'agent-otel: setLoggerProvider was given a value that is not a LoggerProvider (no getLogger method); ' +
        'events keep their current provider. Pass an OpenTelemetry LoggerProvider, or undefined for the global one.',
    );
    return;
  }
  state.provider = provider;
  state.madeFor = undefined;
  state.logger = undefined;
}

function currentLogger(): Logger | undefined {
  const state = EVENTS_STATE.get();
  const provider = currentLoggerProvider(state);
  if (provider === undefined) return undefined;
  if (provider !== state.madeFor) {
    state.madeFor = provider;
    state.logger = provider.getLogger(METER_NAME, VERSION, { schemaUrl: sc.SEMCONV_SCHEMA_URL });
  }
  return state.logger;
}

function emit(record: LogRecord): void {
  try {
    currentLogger()?.emit(record);
  } catch (error) {
    diag.warn('agent-otel: a GenAI event could not be emitted', error);
  }
}

/**
 * Content attributes as the structured values an event carries (the conventions ask for structured
 * content on events): each is the policy's JSON text, already redacted and size-capped, parsed back.
 * A value that is not JSON (a capped plain string) stays as it is.
 */
function structured(content: Attributes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(content)) {
    const value = content[key];
    if (typeof value !== 'string') {
      out[key] = value;
      continue;
    }
    try {
      out[key] = JSON.parse(value);
    } catch {
      out[key] = value;
    }
  }
  return out;
}

/**
 * `gen_ai.client.inference.operation.details`: the model call's attributes with its content, as a
 * DEBUG log record in the span's context (content capture modes `EVENT_ONLY`, `SPAN_AND_EVENT`).
 */
export function emitInferenceDetails(
  spanContext: Context,
  attributes: Attributes,
  content: Attributes,
): void {
  emit({
    eventName: sc.EVENT_GEN_AI_CLIENT_INFERENCE_OPERATION_DETAILS,
    severityNumber: SEVERITY_DEBUG,
    severityText: 'DEBUG',
    attributes: { ...attributes, ...structured(content) } as Attributes,
    context: spanContext,
  });
}

/**
 * `gen_ai.client.inference.exception` or `gen_ai.execute_tool.exception`: a WARN log record in the
 * span's context with the failure's `exception.*` (already bounded) and the operation's attributes.
 */
export function emitException(
  eventName:
    typeof sc.EVENT_GEN_AI_CLIENT_INFERENCE_EXCEPTION | typeof sc.EVENT_GEN_AI_EXECUTE_TOOL_EXCEPTION,
  spanContext: Context,
  exception: Attributes,
  attributes: Attributes,
): void {
  emit({
    eventName,
    severityNumber: SEVERITY_WARN,
    severityText: 'WARN',
    attributes: { ...attributes, ...exception },
    context: spanContext,
  });
}
