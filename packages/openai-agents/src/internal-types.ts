// Types used across the bridge's modules; not exported from the package.
import type { Context } from '@opentelemetry/api';
import type { AgentSpan, Trace as CoreTrace } from '@agent-otel/core';
import type { Span, SpanData, SpanError, Trace } from '@openai/agents';

/** Any SDK span. */
export type SdkSpan = Span<SpanData>;
/** An SDK trace. */
export type SdkTrace = Trace;

/** The SDK's span id of a no-op span or trace (`NoopSpan`, `NoopTrace`). */
export const NOOP_ID = 'no-op';

/**
 * The store the SDK keeps in its tracing context storage (`context.ts` `ContextState`): read-only
 * here, and read defensively, as it is not a public type.
 */
export interface SdkContextStore {
  trace?: SdkTrace | null;
  span?: SdkSpan | null;
  active?: boolean;
}

/** A tool call a model asked for, kept until a `function` or `handoff` span claims its id. */
export interface RequestedToolCall {
  name: string;
  callId: string;
}

/** One SDK trace the bridge follows. */
export interface TraceEntry {
  readonly sdkTraceId: string;
  /** The `invoke_workflow` root span. */
  readonly root: CoreTrace;
  readonly groupId: string | undefined;
  /** Ids of this trace's SDK spans still open. */
  readonly openSpans: Set<string>;
  /** Latest end time seen among its spans (epoch ms), so the root never ends before a child. */
  lastEndMs: number;
  /** The error of the last top-level SDK span (a run's `task`) that ended, if it failed. */
  lastRunError: SpanError | undefined;
  /** Whether the root already carries an error. */
  rootErrored: boolean;
}

/** One open SDK span the bridge follows. */
export interface SpanEntry {
  readonly sdkSpanId: string;
  readonly sdkTraceId: string;
  /** SDK `type` of the span. */
  readonly type: string;
  /** The span recorded for it; `undefined` for a model call left to a client instrumentation. */
  readonly span: AgentSpan | undefined;
  /** The context of work running inside the SDK span (its span active; merge settings applied). */
  readonly context: Context;
  /** Name of the agent the span belongs to. */
  readonly agentName: string | undefined;
  /** The enclosing `agent` span's entry (for any other span), while open. */
  readonly agent: SpanEntry | undefined;
  /** The model's tool call this `function` / `handoff` span executes, when known. */
  readonly toolCall: RequestedToolCall | undefined;
  /** The SDK span itself, while open (agent spans' tool lists are read at handoff time). */
  readonly sdkSpan: SdkSpan;
  /** Tool calls the last model call inside this span asked for. */
  requestedToolCalls: RequestedToolCall[] | undefined;
}
