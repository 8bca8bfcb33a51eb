import { context, SpanStatusCode } from '@opentelemetry/api';
import {
  claimModelCallSpan,
  getModelCallClaim,
  modelCallOwnerContext,
  withoutModelCallMerge,
} from '../src/model-call-claim';
import { isTracingDisabled } from '../src/disable';
import { getTracer } from '../src/tracer';
import { createSpan, startSpan, withSpan } from '../src/with-span';
import type { ResponseSpanData } from '../src/span-data';
import { setupTracing, type TestTracing } from './helpers';

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
    const owner = startSpan({ type: 'generation', model: 'gpt-4o' });
    owner.run(() => claimModelCallSpan({ type: 'generation' })!.setError(new TypeError('boom')));
    expect(getModelCallClaim(owner)?.errored).toBe(true);
    owner.end();
    expect(tracing.spans()[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(tracing.spans()[0]!.attributes['error.type']).toBe('TypeError');
  });

  it('claims once per span, never a non-model or ended span, and not where the owner opted out', () => {
    const owner = startSpan({ type: 'response' });
    owner.run(() => {
      expect(claimModelCallSpan({ type: 'response' })).toBeDefined();
      expect(claimModelCallSpan({ type: 'response' })).toBeUndefined();
    });
    owner.end();
    expect(claimModelCallSpan({ type: 'response' }, owner.context)).toBeUndefined();
    withSpan({ type: 'function', name: 'tool' }, () => {
      expect(claimModelCallSpan({ type: 'generation' })).toBeUndefined();
    });
    const optedOut = startSpan({ type: 'response' });
    expect(claimModelCallSpan({ type: 'response' }, withoutModelCallMerge(optedOut.context))).toBeUndefined();
    optedOut.end();
    expect(claimModelCallSpan({ type: 'response' })).toBeUndefined();
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
