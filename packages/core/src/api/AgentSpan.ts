import {
  context as contextApi,
  diag,
  INVALID_SPAN_CONTEXT,
  trace,
  type Attributes,
  type AttributeValue,
  type Context,
  type Span,
  type TimeInput,
  type Tracer,
} from '@opentelemetry/api';
import { getContentPolicy } from '../content/policy.js';
import { CURRENT_SPAN_KEY, NO_MERGE_KEY, USAGE_ROLLUP_KEY } from '../context-keys.js';
import { isLayerable, LayeredContext } from '../calls/layered-context.js';
import {
  mapRunContent,
  mapSpanData,
  MODEL_CALL_RESPONSE_FIELDS,
  setModelCallResponse,
  tryMapSpanData,
  type MappedSpan,
} from '../kinds/mapping.js';
import { boundedAttributeValue } from '../content/attribute-limits.js';
import { errorTypeOf, recordError } from './record-error.js';
import type { SpanHandle } from './span-handle.js';
import * as sc from '../semconv.js';
import type { AgentSpanData, SpanData, WorkflowSpanData } from '../kinds/span-data.js';
import { isModelCall, type ClaimableModelCallData } from '../kinds/model-call.js';
import { getTracer } from './tracer.js';
import { costOf, UsageRollup } from '../usage/usage-rollup.js';
import { activeInstruments, recordSpanMetrics } from '../metrics/genai-metrics.js';
import { emitException, emitInferenceDetails } from '../events/genai-events.js';
import { exceptionAttributes } from './record-error.js';

/** Options for creating a span. */
export interface SpanOptions {
  /** Parent: another agent-otel span, or an OTel context. Default: the active context. */
  parent?: AgentSpan | Context;
  /** Explicit start time (e.g. converted from a framework's own timestamp). */
  startTime?: TimeInput;
  /**
   * The tracer that starts the OTel span. Default: agent-otel's own tracer (see `setTracerProvider`).
   * Instrumentations pass theirs, so their spans carry their scope and follow the provider they were given.
   */
  tracer?: Tracer;
}

/** An inference call (chat, text completion, generate content): what the inference events are for. */
function isInference(data: SpanData): boolean {
  return data.type === 'generation' || data.type === 'response';
}

/** The span attributes an exception event repeats, so it can be read without its span. */
const EXCEPTION_EVENT_SPAN_ATTRIBUTES = [
  sc.ATTR_GEN_AI_OPERATION_NAME,
  sc.ATTR_GEN_AI_PROVIDER_NAME,
  sc.ATTR_GEN_AI_REQUEST_MODEL,
  sc.ATTR_GEN_AI_TOOL_NAME,
  sc.ATTR_ERROR_TYPE,
];

/** The span every unstarted or disabled handle reports: invalid ids, records nothing. */
const NON_RECORDING_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

function sameAttributeValue(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Sets the attributes whose value differs from `before` (attributes the span already has). */
function setChangedAttributes(span: Span, attributes: Attributes, before: Attributes | undefined): void {
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value !== undefined && (before === undefined || !sameAttributeValue(value, before[key]))) {
      span.setAttribute(key, value);
    }
  }
}

/** True when `data` is a generation/response span and `patch` sets nothing but its response fields. */
function onlyResponseFields(data: SpanData, patch: object): boolean {
  if (data.type !== 'generation' && data.type !== 'response') return false;
  for (const key in patch) if (!MODEL_CALL_RESPONSE_FIELDS.has(key)) return false;
  return true;
}

/**
 * The context in which `span` (with its OTel span `otel`) is the active span, layered onto its parent
 * (see {@link LayeredContext}). A parent that is not known to be immutable (one that resolves its
 * values on each read, as the OpenAI Agents bridge's does) is first derived the usual way, which
 * snapshots it: a layer keeps its parent, and would otherwise read later values, or itself, through it.
 */
function spanContextOf(parent: Context, otel: Span, span: AgentSpan): Context {
  if (isLayerable(parent)) return trace.setSpan(new LayeredContext(parent, CURRENT_SPAN_KEY, span), otel);
  return new LayeredContext(trace.setSpan(parent, otel), CURRENT_SPAN_KEY, span);
}

function isContext(value: unknown): value is Context {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Context).getValue === 'function' &&
    typeof (value as Context).setValue === 'function'
  );
}

/**
 * Marks the spans of every copy of core in the process (its ESM and CommonJS builds, another version
 * with the same shape): `instanceof` sees only its own copy's class, and an adapter running on the
 * CommonJS build must recognise a span the application started through the ESM build.
 */
const AGENT_SPAN_BRAND = Symbol.for('agent_otel.agent_span.v1');

/** True for an agent-otel span handle of any copy of core. Never throws. */
export function isAgentSpan(value: unknown): value is AgentSpan {
  if (value instanceof AgentSpan) return true;
  try {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[AGENT_SPAN_BRAND] === true
    );
  } catch {
    return false;
  }
}

/**
 * The context a span's `parent` option stands for: the active context when it is absent, or (after a
 * warning when `warn` is set) when it is neither an agent-otel span nor an OTel context. Never throws.
 */
export function resolveParent(parent: unknown, warn: boolean): Context {
  if (parent === undefined) return contextApi.active();
  try {
    if (isAgentSpan(parent)) return parent.context;
    if (isContext(parent)) return parent;
  } catch {
    // A revoked Proxy or a throwing getter: not a usable parent.
  }
  if (warn) {
    diag.warn(
      'agent-otel: the parent option is neither an agent-otel span nor an OpenTelemetry Context; ' +
        'the span starts in the active context. Pass a span handle or a Context as parent.',
    );
  }
  return contextApi.active();
}

/**
 * A span of one agent-otel kind: the handle the manual API gives to user code and adapters.
 * It wraps an OTel span; the kind's data can be updated while it runs and is mapped onto attributes
 * when it ends. All methods are safe to call in any order and any number of times; none throws.
 */
export class AgentSpan<T extends SpanData = SpanData> implements SpanHandle<T> {
  static {
    Object.defineProperty(this.prototype, AGENT_SPAN_BRAND, { value: true });
  }

  /** The kind's data; mutate through `update()` so the change is recorded. */
  readonly spanData: T;
  private otel: Span = NON_RECORDING_SPAN;
  private ctx: Context;
  private readonly parentContext: Context;
  private readonly startTime: TimeInput | undefined;
  private readonly tracer: Tracer | undefined;
  private mapped: MappedSpan | undefined;
  private rollup: UsageRollup | undefined;
  private dirty = false;
  /** True while every update touched only {@link MODEL_CALL_RESPONSE_FIELDS} of a generation/response span. */
  private onlyResponseChanged = true;
  private errored = false;
  /** `error.type` of the failure, for the metrics (set whether or not the span records). */
  private errorType: string | undefined;
  /** What failed, for the exception event (model calls and tools). */
  private failure: unknown;
  /**
   * `performance.now()` at the start: the duration of a span whose SDK span has none. NaN until then,
   * so the field is a double from construction (a Smi 0 turned double at `start()` would give every
   * started span another hidden class than `keepShapes`' anchored one, and the optimized code of the
   * per-call functions would be thrown away at each full GC).
   */
  private startedAt = NaN;
  private state: 'created' | 'started' | 'ended' = 'created';

  constructor(data: T, options?: SpanOptions) {
    this.spanData = data;
    let parent: unknown;
    let startTime: TimeInput | undefined;
    let tracer: Tracer | undefined;
    if (options !== undefined) {
      try {
        parent = options.parent;
        startTime = options.startTime;
        tracer = options.tracer;
      } catch (error) {
        // A revoked Proxy as options: the defaults.
        diag.warn('agent-otel: span options could not be read; using the defaults', error);
      }
    }
    this.parentContext = resolveParent(parent, true);
    this.ctx = this.parentContext;
    this.startTime = startTime;
    this.tracer = tracer;
  }

  /** The underlying OTel span (a non-recording span until started, or when tracing is off). */
  get otelSpan(): Span {
    return this.otel;
  }

  /** The context in which this span is the active span; run child work in it. */
  get context(): Context {
    return this.ctx;
  }

  get traceId(): string {
    return this.otel.spanContext().traceId;
  }

  get spanId(): string {
    return this.otel.spanContext().spanId;
  }

  get started(): boolean {
    return this.state !== 'created';
  }

  get ended(): boolean {
    return this.state === 'ended';
  }

  /** Starts the span (once). Spans from `withXSpan` / `startXSpan` are already started. */
  start(): this {
    if (this.state !== 'created') return this;
    this.state = 'started';
    this.startedAt = performance.now();
    try {
      const policy = getContentPolicy();
      const mapped = mapSpanData(this.spanData, policy);
      this.mapped = mapped;
      this.otel = this.startOtelSpan(mapped);
      if (policy.captureOnSpan) this.otel.setAttributes(mapped.content);
      let ctx = spanContextOf(this.parentContext, this.otel, this);
      const type = this.spanData.type;
      if (type === 'agent' || type === 'workflow') {
        const parentRollup = this.parentContext.getValue(USAGE_ROLLUP_KEY) as UsageRollup | undefined;
        this.rollup = new UsageRollup(parentRollup);
        ctx = ctx.setValue(USAGE_ROLLUP_KEY, this.rollup);
      }
      this.ctx = this.decorateContext(ctx);
    } catch (err) {
      diag.warn('agent-otel: could not start span; continuing without it', err);
    }
    return this;
  }

  private startOtelSpan(mapped: MappedSpan): Span {
    const tracer = this.tracer ?? getTracer();
    const options = { kind: mapped.kind, attributes: mapped.attributes, startTime: this.startTime };
    try {
      return tracer.startSpan(mapped.name, options, this.parentContext);
    } catch (error) {
      if (this.startTime === undefined) throw error;
      // The SDK reads the start time before anything else: an unusable one fails the whole span.
      diag.warn('agent-otel: the startTime option is not a usable time; the span starts now', error);
      options.startTime = undefined;
      return tracer.startSpan(mapped.name, options, this.parentContext);
    }
  }

  /** Lets a subclass add its own values to the span's context. */
  protected decorateContext(ctx: Context): Context {
    return ctx;
  }

  /** Merges new data into the span (e.g. the model's response); mapped onto attributes at `end()`. */
  update(patch: Partial<Omit<T, 'type'>>): this {
    // Only an object is a patch: a string's characters would become fields.
    if (this.state === 'ended' || typeof patch !== 'object' || patch === null) return this;
    try {
      Object.assign(this.spanData, patch);
      this.dirty = true;
      if (this.onlyResponseChanged) this.onlyResponseChanged = onlyResponseFields(this.spanData, patch);
    } catch (err) {
      diag.warn('agent-otel: could not update span data', err);
    }
    return this;
  }

  /**
   * Marks the span as failed: status ERROR, `error.type`, an exception event. Accepts an `Error`, a
   * `SpanError` (`{message, data}`) or any thrown value. `errorType` overrides the derived type.
   */
  setError(error: unknown, errorType?: string): this {
    if (this.state === 'ended') return this;
    const type = errorType ?? errorTypeOf(error);
    this.errorType = typeof type === 'string' && type ? type : errorTypeOf(error);
    this.failure = error;
    if (!this.otel.isRecording()) return this;
    this.errored = true;
    recordError(this.otel, error, type);
    return this;
  }

  /**
   * Sets one attribute directly on the OTel span (for attributes no span kind maps). Strings and
   * arrays are capped like every non-content value (see "Limits" in the README); the value passed
   * is never changed.
   */
  setAttribute(key: string, value: Parameters<Span['setAttribute']>[1]): this {
    if (this.state === 'ended') return this;
    try {
      // A non-finite number would make an OTLP/JSON export (and the whole batch) fail: record it as text.
      const bounded =
        typeof value === 'number' && !Number.isFinite(value) ? String(value) : boundedAttributeValue(value);
      if (bounded === undefined || typeof key !== 'string') return this;
      this.otel.setAttribute(key, bounded);
      if (bounded !== value && typeof value !== 'number') {
        this.otel.setAttribute(sc.ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED, true);
      }
    } catch (err) {
      diag.warn('agent-otel: could not set attribute', err);
    }
    return this;
  }

  /** Runs `fn` with this span active, so spans started inside (any instrumentation's) nest under it. */
  run<R>(fn: () => R): R {
    return contextApi.with(this.ctx, fn);
  }

  /** Ends the span (once; later calls do nothing). */
  end(endTime?: TimeInput): void {
    if (this.state === 'ended') return;
    const wasStarted = this.state === 'started';
    this.state = 'ended';
    if (!wasStarted) return;
    try {
      this.finish();
    } catch (err) {
      diag.warn('agent-otel: error while ending span; span ended with what it had', err);
    }
    // What was mapped at the start is only needed until now; the handle may outlive the span.
    this.mapped = undefined;
    try {
      this.otel.end(endTime);
    } catch (err) {
      // The SDK reads the end time before it ends the span: an unusable one would leave it open.
      diag.warn('agent-otel: the end time is not a usable time; the span ends now', err);
      try {
        this.otel.end();
      } catch (error) {
        // Something else in the SDK failed (e.g. a processor): the span is as ended as it can be.
        diag.warn('agent-otel: the SDK failed to end a span', error);
      }
    }
    const instruments = activeInstruments();
    // A client span nested under a model-call span that counts the call itself records no metrics.
    if (instruments !== undefined && this.parentContext.getValue(NO_MERGE_KEY) !== true) {
      recordSpanMetrics(instruments, this.spanData, this.durationSeconds(), this.errorType);
    }
  }

  /** The span's duration in seconds: the SDK span's own, else measured from `start()`. */
  private durationSeconds(): number {
    const duration = (this.otel as { duration?: unknown }).duration;
    if (Array.isArray(duration) && duration.length === 2 && duration[0] >= 0 && duration[1] >= 0) {
      return (duration[0] as number) + (duration[1] as number) / 1e9;
    }
    return (performance.now() - this.startedAt) / 1000;
  }

  private finish(): void {
    const span = this.otel;
    if (!span.isRecording()) return;
    const data = this.spanData;
    const policy = getContentPolicy();
    let mapped = this.mapped;
    if (mapped !== undefined && this.dirty && this.onlyResponseChanged && !policy.captureOnEvent) {
      // A model call whose response is all that changed (the usual case): set just the response.
      setModelCallResponse(span, data as ClaimableModelCallData, policy);
    } else if (this.dirty || mapped === undefined) {
      const atStart = this.mapped;
      const remapped = tryMapSpanData(data, policy);
      if (remapped !== undefined) {
        mapped = remapped;
        if (atStart && mapped.name !== atStart.name) span.updateName(mapped.name);
        // Only what changed since the start (typically the response fields) goes through the SDK again.
        setChangedAttributes(span, mapped.attributes, atStart?.attributes);
        if (policy.captureOnSpan) setChangedAttributes(span, mapped.content, atStart?.content);
      } else {
        // An update made the data unreadable: the span keeps what it was started with.
        span.setAttribute(sc.ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED, true);
        mapped = atStart ?? mapSpanData(data, policy);
      }
    }
    if (policy.captureOnEvent && isInference(data) && Object.keys(mapped.content).length > 0) {
      // The opt-in details event: a log record with the inference attributes and structured content.
      emitInferenceDetails(this.ctx, mapped.attributes, mapped.content);
    }
    if (mapped.errorType && !this.errored) {
      recordError(span, mapped.errorType, mapped.errorType);
      this.errorType ??= mapped.errorType;
    }
    if (mapped.events) for (const event of mapped.events) span.addEvent(event.name, event.attributes);
    if (this.errorType !== undefined) this.emitExceptionEvent(data, mapped);
    if (isModelCall(data)) {
      const usage = data.usage;
      const model = ('responseModel' in data ? data.responseModel : undefined) ?? data.model;
      const cost = costOf(model, usage);
      if (cost !== undefined) span.setAttribute(sc.ATTR_AGENT_OTEL_COST_USD, cost);
      const parentRollup = this.parentContext.getValue(USAGE_ROLLUP_KEY) as UsageRollup | undefined;
      UsageRollup.addModelCall(parentRollup, usage, cost);
      if (
        policy.mode !== 'NO_CONTENT' &&
        parentRollup !== undefined &&
        (data.type === 'generation' || data.type === 'response')
      ) {
        UsageRollup.addModelCallContent(parentRollup, data.input, data.output);
      }
    }
    const rollup = this.rollup;
    if (rollup !== undefined) {
      rollup.writeTo(span);
      if (policy.captureOnSpan) this.writeRunContent(span, data as AgentSpanData | WorkflowSpanData, rollup);
    }
  }

  /**
   * An agent or workflow run's input and output messages, when the caller did not set them: those of
   * its first and last model calls (see `UsageRollup.addModelCallContent`).
   */
  private writeRunContent(span: Span, data: AgentSpanData | WorkflowSpanData, rollup: UsageRollup): void {
    const input = data.input === undefined ? rollup.firstInput : undefined;
    const output = data.output === undefined ? rollup.lastOutput : undefined;
    if (input === undefined && output === undefined) return;
    const content = mapRunContent(input, output, getContentPolicy());
    for (const key of Object.keys(content)) span.setAttribute(key, content[key] as AttributeValue);
  }

  /** The exception event of a failed model call or tool execution (a WARN log record). */
  private emitExceptionEvent(data: SpanData, mapped: MappedSpan): void {
    // The conventions define these two: inference calls and tool executions (not embeddings, speech, rerank).
    const isTool = data.type === 'function' || data.type === 'mcp_call';
    if (!isTool && !isInference(data)) return;
    const attributes: Attributes = {};
    for (const key of EXCEPTION_EVENT_SPAN_ATTRIBUTES) {
      const value = mapped.attributes[key];
      if (value !== undefined) attributes[key] = value;
    }
    attributes[sc.ATTR_ERROR_TYPE] = this.errorType;
    emitException(
      isTool ? sc.EVENT_GEN_AI_EXECUTE_TOOL_EXCEPTION : sc.EVENT_GEN_AI_CLIENT_INFERENCE_EXCEPTION,
      this.ctx,
      exceptionAttributes(this.failure ?? this.errorType, this.errorType),
      attributes,
    );
  }
}

/**
 * The span handed out while tracing is disabled: it keeps the data the caller gave, runs work in the
 * caller's context, and records nothing.
 */
export class NoopAgentSpan<T extends SpanData = SpanData> extends AgentSpan<T> {
  override start(): this {
    return this;
  }
  override update(): this {
    return this;
  }
  override setError(): this {
    return this;
  }
  override setAttribute(): this {
    return this;
  }
  override end(): void {}
}
