/*
 * One model call, one span. When two layers trace the same model call — a framework bridge whose
 * framework already reports each call (e.g. @agent-otel/openai-agents: the Agents SDK's
 * `response`/`generation` spans) and a client instrumentation running inside it (e.g.
 * @agent-otel/instrumentation-openai) — the client claims the enclosing span instead of nesting a
 * second `chat` span under it. The claimed span then carries the attributes of both layers.
 *
 * The owner runs the call in `modelCallOwnerContext(span.context)`. There, a client that claims
 * records onto the owner's span; agent-otel spans started without claiming (a client that predates
 * this protocol) are not started at all, so the call still appears once; spans of other OTel
 * instrumentations (HTTP) are unaffected and nest under the owner's span.
 */
import {
  context as contextApi,
  diag,
  trace,
  type AttributeValue,
  type Context,
  type Span,
  type TimeInput,
  type Tracer,
} from '@opentelemetry/api';
import { AgentSpan, isAgentSpan } from '../api/AgentSpan.js';
import type { SpanHandle } from '../api/span-handle.js';
import { CURRENT_SPAN_KEY, NO_MERGE_KEY, TRACING_DISABLED_KEY, USAGE_ROLLUP_KEY } from '../context-keys.js';
import { isTracingDisabled } from '../api/disable.js';
import type { SpanData } from '../kinds/span-data.js';
import { isClaimableModelCallType, type ClaimableModelCallData } from '../kinds/model-call.js';
import { processWide } from '../state.js';

export type { ClaimableModelCallData };

/** What a claim recorded, for the owner of the claimed span to read when it ends the span. */
export interface ModelCallClaim {
  /** Data fields the client set; the owner should not overwrite them with its own values. */
  readonly fields: ReadonlySet<string>;
  /** True once the client recorded an error on the span. */
  readonly errored: boolean;
  /** True once the client's call is done (its handle was ended). */
  readonly ended: boolean;
  /**
   * A claim of an offered span ({@link offerModelCallSpan}) does not record the client's error on the
   * span: the owner's call may still succeed (a retry). The error and its type are kept here for the
   * owner to record when its call fails.
   */
  readonly error?: { readonly error: unknown; readonly errorType: string | undefined };
}

interface MutableClaim {
  fields: Set<string>;
  errored: boolean;
  ended: boolean;
  /** Claimed from an offer: errors are kept for the owner (see {@link ModelCallClaim.error}). */
  readonly offered: boolean;
  error?: { error: unknown; errorType: string | undefined };
}

// Claims per span. Weak, so a claim never keeps a span alive. One table per process: two copies of
// core (ESM + CommonJS) must see each other's claims.
const CLAIMS = processWide('agent_otel.model_call_claims', () => new WeakMap<object, MutableClaim>());

function isClaimable(span: unknown): span is AgentSpan<ClaimableModelCallData> {
  if (!isAgentSpan(span)) return false;
  return isClaimableModelCallType((span.spanData as { type?: unknown }).type) && span.started && !span.ended;
}

/**
 * A client's handle on a claimed span: every record goes to the owner's span, and `end()` ends only
 * the client's part — the owner ends the span itself, when its own (longer) operation ends.
 */
class ClaimedModelCallSpan<T extends ClaimableModelCallData> implements SpanHandle<T> {
  private clientEnded = false;

  constructor(
    private readonly owner: AgentSpan<ClaimableModelCallData>,
    private readonly claim: MutableClaim,
  ) {}

  get spanData(): T {
    return this.owner.spanData as T;
  }

  get otelSpan(): Span {
    return this.owner.otelSpan;
  }

  get context(): Context {
    return this.owner.context;
  }

  get traceId(): string {
    return this.owner.traceId;
  }

  get spanId(): string {
    return this.owner.spanId;
  }

  get started(): boolean {
    return true;
  }

  get ended(): boolean {
    return this.clientEnded || this.owner.ended;
  }

  update(patch: Partial<Omit<T, 'type'>>): this {
    if (this.ended) return this;
    try {
      for (const key of Object.keys(patch)) {
        if ((patch as Record<string, unknown>)[key] !== undefined) this.claim.fields.add(key);
      }
      this.owner.update(patch as Partial<Omit<ClaimableModelCallData, 'type'>>);
    } catch (error) {
      diag.warn('agent-otel: could not record onto a claimed model-call span', error);
    }
    return this;
  }

  setError(error: unknown, errorType?: string): this {
    if (this.ended) return this;
    this.claim.errored = true;
    if (this.claim.offered) this.claim.error = { error, errorType };
    else this.owner.setError(error, errorType);
    return this;
  }

  setAttribute(key: string, value: AttributeValue): this {
    if (!this.ended) this.owner.setAttribute(key, value);
    return this;
  }

  run<R>(fn: () => R): R {
    return this.owner.run(fn);
  }

  end(_endTime?: TimeInput): void {
    this.clientEnded = true;
    this.claim.ended = true;
  }
}

/**
 * For the owner of a model-call span (e.g. a framework bridge): the context to run the model call in
 * (`ownerContext` is the span's own context). A client instrumentation calling
 * {@link claimModelCallSpan} records onto the span; agent-otel spans started there without claiming
 * (`createSpan`, `withSpan`, ... see core's per-context tracing switch) are no-ops, so a client that
 * does not claim cannot add a second span for the call; usage is counted once, by the owner's span.
 * Spans of other OTel instrumentations (HTTP) still nest under the owner's span.
 */
export function modelCallOwnerContext(ownerContext: Context): Context {
  return ownerContext.setValue(TRACING_DISABLED_KEY, true).deleteValue(USAGE_ROLLUP_KEY);
}

/**
 * For a client instrumentation, before it starts its own model-call span: when the active context's
 * innermost agent-otel span is an open, not yet claimed `generation` or `response` span (one a
 * framework bridge or the user started around this call), returns a handle that records onto that
 * span — `data` is merged in at once, later `update`s, `setError`s and attributes go there too — and
 * whose `end()` leaves the span for its owner to end. Otherwise returns `undefined`, and the client
 * starts its own span as usual:
 *
 * ```ts
 * const span = claimModelCallSpan(data) ?? startSpan(data, { tracer });
 * ```
 *
 * Call it before checking `isTracingDisabled()`: inside {@link modelCallOwnerContext} tracing is
 * switched off for everything that does not claim. Only the first call inside an enclosing span
 * claims it (a retry inside the same span is then not recorded separately). An owner opts out with
 * {@link withoutModelCallMerge}. Never throws.
 */
export function claimModelCallSpan<T extends ClaimableModelCallData>(
  data: T,
  ctx: Context = contextApi.active(),
): SpanHandle<T> | undefined {
  try {
    if (ctx.getValue(NO_MERGE_KEY) === true) return undefined;
    const current = ctx.getValue(CURRENT_SPAN_KEY);
    const table = CLAIMS.get();
    let owner: AgentSpan<ClaimableModelCallData> | undefined;
    const offered = !isClaimable(current);
    if (!offered) {
      if (table.has(current)) return undefined;
      owner = current;
    } else {
      owner = takeOffer(ctx, data.model);
      if (owner === undefined) return undefined;
    }
    const claim: MutableClaim = { fields: new Set(), errored: false, ended: false, offered };
    table.set(owner, claim);
    const { type: _type, ...fields } = data;
    return new ClaimedModelCallSpan<T>(owner, claim).update(fields as Partial<Omit<T, 'type'>>);
  } catch (error) {
    diag.warn('agent-otel: could not claim the enclosing model-call span; starting a new one', error);
    return undefined;
  }
}

/** For the owner of a model-call span: what a client recorded on it, if the span was claimed. */
export function getModelCallClaim(span: AgentSpan): ModelCallClaim | undefined {
  return CLAIMS.get().get(span);
}

/**
 * For the owner of a model-call span that wants client spans nested under it rather than merged
 * into it: a context in which {@link claimModelCallSpan} claims nothing (the owner's span still
 * counts the call's usage; a nested client span does not count it again).
 */
export function withoutModelCallMerge(ctx: Context): Context {
  return ctx.setValue(NO_MERGE_KEY, true).deleteValue(USAGE_ROLLUP_KEY);
}

function isClaimableData(data: SpanData): data is ClaimableModelCallData {
  return isClaimableModelCallType(data.type);
}

/**
 * Whether a model-client call made in `ctx` is to be traced: agent-otel tracing is on there, or an
 * enclosing model-call span can be claimed (a framework bridge switches tracing off inside its
 * model-call spans for everything that does not claim). A client instrumentation checks this before
 * it builds any span data, so an untraced call costs one context lookup.
 */
export function shouldTraceModelCall(ctx: Context = contextApi.active()): boolean {
  return !isTracingDisabled(ctx) || isClaimable(ctx.getValue(CURRENT_SPAN_KEY));
}

/**
 * The span of one model-client call made in `ctx`: the enclosing model-call span when it can be
 * claimed ({@link claimModelCallSpan}, generation and response data only), else a new span started
 * with `tracer`; `undefined` when the call is not to be traced. One lookup of the active context
 * serves every check.
 */
export function startModelCallSpan<T extends SpanData>(
  data: T,
  tracer: Tracer | undefined,
  ctx: Context = contextApi.active(),
): SpanHandle<T> | undefined {
  if (isClaimableData(data)) {
    const claimed = claimModelCallSpan(data, ctx);
    if (claimed) return claimed as SpanHandle<SpanData> as SpanHandle<T>;
  }
  if (isTracingDisabled(ctx)) return undefined;
  return new AgentSpan(data, { tracer, parent: ctx }).start();
}

// ---- offered model-call spans ----

/** An open model-call span offered to the client call that will run beside it (see {@link offerModelCallSpan}). */
interface Offer {
  readonly span: AgentSpan<ClaimableModelCallData>;
  readonly model: string | undefined;
}

/** At most this many offers are kept per parent; beyond it the oldest is dropped. */
const MAX_OFFERS_PER_PARENT = 64;
/** The parent key of offers made where no span is active. */
const NO_PARENT: object = Object.freeze({});

// Offers per parent (the innermost agent-otel span, else the active OTel span). Weak keys; one table per process.
const OFFERS = processWide('agent_otel.model_call_offers', () => new WeakMap<object, Offer[]>());

/** The parent an offer made in `ctx` (or a claim looked for in it) is filed under. */
function offerParent(ctx: Context): object {
  const current = ctx.getValue(CURRENT_SPAN_KEY);
  if (typeof current === 'object' && current !== null) return current;
  return trace.getSpan(ctx) ?? NO_PARENT;
}

/**
 * For the owner of a model-call span whose client call does not run in the span's context (a
 * framework that reports a model call through callbacks before it calls the client in the caller's
 * context, e.g. LangChain): offers the open `span` to the next client instrumentation that calls
 * {@link claimModelCallSpan} in `parentContext` — the context the span was started in, where the
 * client call runs — for a request of the same `model` (any model when either is unknown). The
 * oldest open offer is taken first; one whose client call ended may be claimed again (a retry); one
 * whose client call is still running is not (a concurrent call). The offer lapses when the span ends;
 * the returned function withdraws it sooner. Never throws.
 */
export function offerModelCallSpan(
  span: AgentSpan<ClaimableModelCallData>,
  parentContext: Context,
  model?: string,
): () => void {
  try {
    if (!isClaimable(span)) return () => undefined;
    const parent = offerParent(parentContext);
    const table = OFFERS.get();
    let offers = table.get(parent);
    if (offers === undefined) {
      offers = [];
      table.set(parent, offers);
    } else {
      pruneOffers(offers);
      if (offers.length >= MAX_OFFERS_PER_PARENT) offers.shift();
    }
    const offer: Offer = { span, model: typeof model === 'string' && model ? model : undefined };
    offers.push(offer);
    const list = offers;
    return () => {
      const index = list.indexOf(offer);
      if (index >= 0) list.splice(index, 1);
    };
  } catch (error) {
    diag.warn('agent-otel: could not offer a model-call span', error);
    return () => undefined;
  }
}

function pruneOffers(offers: Offer[]): void {
  for (let index = offers.length - 1; index >= 0; index--) {
    if (!isClaimable(offers[index]!.span)) offers.splice(index, 1);
  }
}

/** The offered span a client call in `ctx` for `model` claims, if any. */
function takeOffer(ctx: Context, model: unknown): AgentSpan<ClaimableModelCallData> | undefined {
  const offers = OFFERS.get().get(offerParent(ctx));
  if (offers === undefined || offers.length === 0) return undefined;
  pruneOffers(offers);
  const requested = typeof model === 'string' && model ? model : undefined;
  const claims = CLAIMS.get();
  for (const offer of offers) {
    if (requested !== undefined && offer.model !== undefined && offer.model !== requested) continue;
    const claim = claims.get(offer.span);
    if (claim !== undefined && !claim.ended) continue;
    return offer.span;
  }
  return undefined;
}
