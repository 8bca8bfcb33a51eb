import { context as contextApi, trace as traceApi, type Context } from '@opentelemetry/api';
import { AgentSpan, type SpanOptions } from './AgentSpan.js';
import {
  CURRENT_SPAN_KEY,
  CURRENT_TRACE_KEY,
  SUPPRESS_TRACING_KEY,
  TRACING_DISABLED_KEY,
} from '../context-keys.js';
import { isTracingDisabled } from './disable.js';
import type { WorkflowSpanData } from '../kinds/span-data.js';
import { endWhenSettled } from './with-span.js';
import { readOptions } from '../values.js';

/** Options of a trace (workflow). */
export interface TraceOptions {
  /** Groups traces of one conversation/session/thread; recorded as `gen_ai.conversation.id`. */
  groupId?: string;
  /** Each entry becomes an `agent_otel.metadata.<key>` attribute on the root span. */
  metadata?: Record<string, unknown>;
  /** An id the calling framework gave this run, kept as `agent_otel.source.trace_id`. */
  traceId?: string;
  /**
   * Start a new trace even when a span is active (e.g. an HTTP request span). Default `false`: the
   * workflow nests under the active span so the request and the agent run form one trace.
   */
  newRoot?: boolean;
  /** Disable tracing for this run only: no agent-otel span, and other instrumentations are suppressed. */
  disabled?: boolean;
  /** Explicit start time. */
  startTime?: SpanOptions['startTime'];
}

/** A trace: the root `invoke_workflow` span of one agent run, with its name, ids and metadata. */
export class Trace extends AgentSpan<WorkflowSpanData> {
  get name(): string {
    return this.spanData.name;
  }

  get groupId(): string | undefined {
    return this.spanData.groupId;
  }

  get metadata(): Record<string, unknown> | undefined {
    return this.spanData.metadata;
  }

  protected override decorateContext(ctx: Context): Context {
    return ctx.setValue(CURRENT_TRACE_KEY, this);
  }
}

const TRACE_OPTION_NAMES = ['groupId', 'metadata', 'traceId', 'newRoot', 'disabled', 'startTime'] as const;

/** The options read once into a plain object; an unreadable one (a revoked Proxy) is its default. */
function readTraceOptions(options: TraceOptions | undefined): TraceOptions | undefined {
  if (options == null) return undefined;
  return readOptions(options, TRACE_OPTION_NAMES, 'trace option') as TraceOptions;
}

function traceParent(options: TraceOptions | undefined): Context {
  const active = contextApi.active();
  return options?.newRoot ? traceApi.deleteSpan(active).deleteValue(CURRENT_SPAN_KEY) : active;
}

function workflowData(name: string, options: TraceOptions | undefined): WorkflowSpanData {
  return {
    type: 'workflow',
    name,
    groupId: options?.groupId,
    metadata: options?.metadata,
    sourceTraceId: options?.traceId,
  };
}

/**
 * Creates and starts a trace (workflow root span) for code that cannot use a callback; end it with
 * `end()` and run work inside it with `run(fn)`. When tracing is disabled the trace records nothing.
 */
export function startTrace(name: string, maybeOptions?: TraceOptions): Trace {
  const options = readTraceOptions(maybeOptions);
  const parent = traceParent(options);
  const trace = new Trace(workflowData(name, options), { parent, startTime: options?.startTime });
  if (options?.disabled || isTracingDisabled(parent)) return trace; // never started: a no-op
  return trace.start();
}

/**
 * Runs `fn` as one traced agent workflow: a root `invoke_workflow {name}` span is active while `fn`
 * runs and ends when its result (value, promise or async iterable) is done.
 */
export function withTrace<R>(name: string, fn: (trace: Trace) => R): R;
export function withTrace<R>(name: string, options: TraceOptions, fn: (trace: Trace) => R): R;
export function withTrace<R>(
  name: string,
  optionsOrFn: TraceOptions | ((trace: Trace) => R),
  maybeFn?: (trace: Trace) => R,
): R {
  const fn = (typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn) as (trace: Trace) => R;
  const options = readTraceOptions(typeof optionsOrFn === 'function' ? undefined : optionsOrFn);
  if (options?.disabled) {
    const quiet = contextApi
      .active()
      .setValue(SUPPRESS_TRACING_KEY, true)
      .setValue(TRACING_DISABLED_KEY, true);
    return contextApi.with(quiet, fn, undefined, new Trace(workflowData(name, options), { parent: quiet }));
  }
  const trace = startTrace(name, options);
  if (!trace.started) return fn(trace);
  let result: R;
  try {
    result = contextApi.with(trace.context, fn, undefined, trace);
  } catch (error) {
    trace.setError(error);
    trace.end();
    throw error;
  }
  return endWhenSettled(trace, result);
}

/** The trace (workflow) the current code runs in, if any. */
export function getCurrentTrace(ctx: Context = contextApi.active()): Trace | undefined {
  try {
    return ctx.getValue(CURRENT_TRACE_KEY) as Trace | undefined;
  } catch {
    return undefined;
  }
}

/** The innermost agent-otel span the current code runs in, if any. */
export function getCurrentSpan(ctx: Context = contextApi.active()): AgentSpan | undefined {
  try {
    return ctx.getValue(CURRENT_SPAN_KEY) as AgentSpan | undefined;
  } catch {
    return undefined;
  }
}
