import { context, SpanStatusCode } from '@opentelemetry/api';
import {
  claimModelCallSpan,
  getModelCallClaim,
  modelCallOwnerContext,
  offerModelCallSpan,
  shouldTraceModelCall,
  startModelCallSpan,
  withoutModelCallMerge,
} from '../../src/calls/model-call-claim';
import { setTracingDisabled } from '../../src/api/disable';
import { isTracingDisabled } from '../../src/api/disable';
import { getTracer } from '../../src/api/tracer';
import { createSpan, startSpan, withSpan } from '../../src/api/with-span';
import { traceClientCall } from '../../src/calls/client-call';
import type { GenerationSpanData, ResponseSpanData } from '../../src/kinds/span-data';
import { setupTracing, type TestTracing } from '../helpers';

let tracing: TestTracing;
beforeEach(() => {
  tracing = setupTracing();
});
afterEach(() => tracing.shutdown());

describe('claimModelCallSpan', () => {
  it('lets a client record onto the open model-call span around it: one span, the data of both', async () => {
    const owner = startSpan({ type: 'response', responseId: 'resp_1', model: 'gpt-4o' });
    owner.run(() => {
      const claimed = claimModelCallSpan<ResponseSpanData>({
        type: 'response',
        model: 'gpt-4o-mini',
        serverAddress: 'api.test',
      })!;
      expect(claimed).toBeDefined();
      expect(claimed.spanId).toBe(owner.spanId);
      expect(context.active()).toBe(owner.context);
      claimed.update({ usage: { inputTokens: 10, outputTokens: 2 } });
      claimed.end();
      expect(claimed.ended).toBe(true);
      expect(owner.ended).toBe(false);
    });
    expect(getModelCallClaim(owner)?.fields).toEqual(new Set(['model', 'serverAddress', 'usage']));
    expect(getModelCallClaim(owner)?.ended).toBe(true);
    owner.end();
    const span = tracing.byName('chat gpt-4o-mini');
    expect(span.attributes).toMatchObject({
      'gen_ai.request.model': 'gpt-4o-mini',
      'server.address': 'api.test',
      'gen_ai.response.id': 'resp_1',
      'gen_ai.usage.input_tokens': 10,
    });
    expect(tracing.spans()).toHaveLength(1);
  });

  it("records the client's error on the owner's span and reports it", () => {
    const owner = startSpan({ type: 'generation', provider: 'openai', model: 'gpt-4o' });
    owner.run(() => claimModelCallSpan({ type: 'generation' })!.setError(new TypeError('boom')));
    expect(getModelCallClaim(owner)?.errored).toBe(true);
    owner.end();
    expect(tracing.spans()[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(tracing.spans()[0]!.attributes['error.type']).toBe('TypeError');
  });

  it('claims once per span, never a non-model or ended span, and not where the owner opted out', () => {
    const owner = startSpan({ type: 'response', model: 'gpt-4o' });
    owner.run(() => {
      expect(claimModelCallSpan({ type: 'response' })).toBeDefined();
      expect(claimModelCallSpan({ type: 'response' })).toBeUndefined();
    });
    owner.end();
    expect(claimModelCallSpan({ type: 'response' }, owner.context)).toBeUndefined();
    withSpan({ type: 'function', name: 'tool' }, () => {
      expect(claimModelCallSpan({ type: 'generation' })).toBeUndefined();
    });
    const optedOut = startSpan({ type: 'response', model: 'gpt-4o' });
    expect(claimModelCallSpan({ type: 'response' }, withoutModelCallMerge(optedOut.context))).toBeUndefined();
    optedOut.end();
    expect(claimModelCallSpan({ type: 'response' })).toBeUndefined();
  });
});

describe('a claimed span handle', () => {
  it("is what traceClientCall records onto: the owner's span gets the result and stays open", async () => {
    const owner = startSpan({ type: 'generation', provider: 'openai', model: 'gpt-4o' });
    const claimed = claimModelCallSpan<GenerationSpanData>(
      { type: 'generation', serverAddress: 'api.test' },
      owner.context,
    )!;
    expect(claimed.spanData).toBe(owner.spanData);
    expect(claimed.context).toBe(owner.context);
    const result = await traceClientCall(claimed, async () => ({ id: 'r1' }), {
      onResult: (span, value) => span.update({ responseId: (value as { id: string }).id }),
    });
    expect(result).toEqual({ id: 'r1' });
    expect(claimed.ended).toBe(true);
    expect(owner.ended).toBe(false);
    expect(tracing.spans()).toHaveLength(0);
    expect(getModelCallClaim(owner)?.fields).toEqual(new Set(['serverAddress', 'responseId']));
    owner.end();
    expect(tracing.spans()).toHaveLength(1);
    expect(tracing.spans()[0]!.attributes).toMatchObject({
      'server.address': 'api.test',
      'gen_ai.response.id': 'r1',
    });
  });
});

describe('modelCallOwnerContext', () => {
  it('lets a client claim, silences agent-otel spans that do not claim, and keeps other OTel spans nesting', () => {
    const owner = startSpan({ type: 'response', model: 'gpt-4o' });
    context.with(modelCallOwnerContext(owner.context), () => {
      expect(isTracingDisabled()).toBe(true);
      const unaware = createSpan({ type: 'response', model: 'gpt-4o' }).start();
      unaware.end();
      expect(unaware.otelSpan.isRecording()).toBe(false);
      const claimed = claimModelCallSpan({ type: 'response', serverAddress: 'api.test' })!;
      claimed.run(() => getTracer().startSpan('POST /v1/responses').end());
      claimed.end();
    });
    owner.end();
    expect(
      tracing
        .spans()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['POST /v1/responses', 'chat gpt-4o']);
    expect(tracing.byName('POST /v1/responses').parentSpanContext?.spanId).toBe(owner.spanId);
    expect(tracing.byName('chat gpt-4o').attributes['server.address']).toBe('api.test');
  });
});

describe('startModelCallSpan / shouldTraceModelCall', () => {
  afterEach(() => setTracingDisabled(false));

  it('starts a new span in the given context when there is nothing to claim', () => {
    const parent = startSpan({ type: 'agent', name: 'helper' });
    expect(shouldTraceModelCall(parent.context)).toBe(true);
    const span = startModelCallSpan(
      { type: 'generation', provider: 'openai', model: 'gpt-4o' },
      getTracer(),
      parent.context,
    )!;
    expect(span.started).toBe(true);
    expect(span.spanId).not.toBe(parent.spanId);
    span.end();
    parent.end();
    expect(tracing.byName('chat gpt-4o').parentSpanContext?.spanId).toBe(parent.spanId);
  });

  it('claims the open model-call span around the call instead of starting a second one', () => {
    const owner = startSpan({ type: 'response', model: 'gpt-4o' });
    const claimed = startModelCallSpan(
      { type: 'response', model: 'gpt-4o', serverAddress: 'api.test' },
      undefined,
      owner.context,
    )!;
    expect(claimed.spanId).toBe(owner.spanId);
    claimed.end();
    owner.end();
    expect(tracing.spans()).toHaveLength(1);
    expect(tracing.spans()[0]!.attributes['server.address']).toBe('api.test');
  });

  it('never claims for kinds that cannot be claimed (embeddings start their own span)', () => {
    const owner = startSpan({ type: 'response', model: 'gpt-4o' });
    const span = startModelCallSpan(
      { type: 'embeddings', provider: 'openai', model: 'text-embedding-3-small' },
      undefined,
      owner.context,
    )!;
    expect(span.spanId).not.toBe(owner.spanId);
    span.end();
    owner.end();
    expect(tracing.spans()).toHaveLength(2);
  });

  it('returns undefined, and reports nothing to trace, when tracing is off and nothing can be claimed', () => {
    setTracingDisabled(true);
    expect(shouldTraceModelCall(context.active())).toBe(false);
    expect(startModelCallSpan({ type: 'generation', model: 'gpt-4o' }, undefined)).toBeUndefined();
    expect(tracing.spans()).toHaveLength(0);
  });

  it('still claims inside a model-call owner context, where tracing is off for everything else', () => {
    const owner = startSpan({ type: 'generation', provider: 'openai', model: 'gpt-4o' });
    const ctx = modelCallOwnerContext(owner.context);
    expect(isTracingDisabled(ctx)).toBe(true);
    expect(shouldTraceModelCall(ctx)).toBe(true);
    const claimed = startModelCallSpan({ type: 'generation', model: 'gpt-4o' }, undefined, ctx)!;
    expect(claimed.spanId).toBe(owner.spanId);
    expect(startModelCallSpan({ type: 'generation', model: 'gpt-4o' }, undefined, ctx)).toBeUndefined();
    claimed.end();
    owner.end();
    expect(tracing.spans()).toHaveLength(1);
  });
});

describe('offerModelCallSpan', () => {
  it('lets the client call made beside the span (in its parent context) claim it: one span', () => {
    withSpan({ type: 'task', name: 'node' }, () => {
      const parent = context.active();
      const owner = startSpan({ type: 'generation', provider: 'openai', model: 'gpt-4o' }, { parent });
      offerModelCallSpan(owner, parent, 'gpt-4o');
      const span = startModelCallSpan<GenerationSpanData>(
        { type: 'generation', model: 'gpt-4o', serverAddress: 'api.test' },
        undefined,
      );
      expect(span?.spanId).toBe(owner.spanId);
      span!.end();
      owner.end();
    });
    expect(tracing.spans().map((span) => span.name)).toEqual(['chat gpt-4o', 'task node']);
    expect(tracing.byName('chat gpt-4o').attributes['server.address']).toBe('api.test');
  });

  it('matches the model, skips an offer whose client call is still running, and lets a retry claim again', () => {
    withSpan({ type: 'task', name: 'node' }, () => {
      const parent = context.active();
      const first = startSpan({ type: 'generation', provider: 'openai', model: 'gpt-4o' }, { parent });
      const second = startSpan({ type: 'generation', provider: 'openai', model: 'gpt-4o' }, { parent });
      const other = startSpan({ type: 'generation', provider: 'openai', model: 'o3' }, { parent });
      offerModelCallSpan(first, parent, 'gpt-4o');
      offerModelCallSpan(second, parent, 'gpt-4o');
      offerModelCallSpan(other, parent, 'o3');
      const a = claimModelCallSpan({ type: 'generation', provider: 'openai', model: 'gpt-4o' })!;
      const b = claimModelCallSpan({ type: 'generation', provider: 'openai', model: 'gpt-4o' })!;
      const c = claimModelCallSpan({ type: 'generation', provider: 'openai', model: 'o3' })!;
      expect([a.spanId, b.spanId, c.spanId]).toEqual([first.spanId, second.spanId, other.spanId]);
      // Every offer is being claimed by a running call: a third concurrent call starts its own span.
      expect(claimModelCallSpan({ type: 'generation', provider: 'openai', model: 'gpt-4o' })).toBeUndefined();
      const failure = new Error('500');
      a.setError(failure, '500');
      a.end();
      // Kept for the owner, not recorded: the owner's call may still succeed.
      expect(getModelCallClaim(first)?.error).toEqual({ error: failure, errorType: '500' });
      // The first attempt ended: its retry records onto the same span again, with a clean claim.
      expect(claimModelCallSpan({ type: 'generation', provider: 'openai', model: 'gpt-4o' })?.spanId).toBe(
        first.spanId,
      );
      expect(getModelCallClaim(first)?.error).toBeUndefined();
      for (const span of [first, second, other]) span.end();
    });
    expect(tracing.spans().every((span) => span.status.code !== SpanStatusCode.ERROR)).toBe(true);
  });

  it('is not claimed from another parent, once withdrawn, once ended, or where merging is off', () => {
    const parent = startSpan({ type: 'task', name: 'parent' });
    const elsewhere = startSpan({ type: 'task', name: 'elsewhere' });
    const owner = startSpan(
      { type: 'generation', provider: 'openai', model: 'gpt-4o' },
      { parent: parent.context },
    );
    const withdraw = offerModelCallSpan(owner, parent.context, 'gpt-4o');
    expect(claimModelCallSpan({ type: 'generation' }, elsewhere.context)).toBeUndefined();
    expect(claimModelCallSpan({ type: 'generation' }, withoutModelCallMerge(parent.context))).toBeUndefined();
    withdraw();
    expect(claimModelCallSpan({ type: 'generation' }, parent.context)).toBeUndefined();
    const ended = startSpan(
      { type: 'generation', provider: 'openai', model: 'gpt-4o' },
      { parent: parent.context },
    );
    offerModelCallSpan(ended, parent.context);
    ended.end();
    expect(claimModelCallSpan({ type: 'generation' }, parent.context)).toBeUndefined();
    for (const span of [owner, elsewhere, parent]) span.end();
  });

  it('pairs offers and calls made where no span is active', () => {
    const root = context.active();
    const owner = startSpan({ type: 'generation', provider: 'openai', model: 'gpt-4o' }, { parent: root });
    offerModelCallSpan(owner, root);
    expect(
      claimModelCallSpan({ type: 'generation', provider: 'openai', model: 'gpt-4o' }, root)?.spanId,
    ).toBe(owner.spanId);
    owner.end();
  });
});
