import { context, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { extractFromMeta, injectIntoRequest, MAX_META_VALUE_LENGTH } from '../src/propagation';
import { setupTracing } from './helpers';

const tracing = setupTracing();
afterAll(() => tracing.shutdown());

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;

function activeContext() {
  const withSpan = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    traceFlags: TraceFlags.SAMPLED,
  });
  return propagation.setBaggage(withSpan, propagation.createBaggage({ 'user.id': { value: 'u1' } }));
}

describe('injectIntoRequest', () => {
  it('adds the propagation fields to a copy of params._meta, keeping its other keys', () => {
    const request = { method: 'tools/call', params: { name: 'x', _meta: { progressToken: 3 } } };
    const injected = injectIntoRequest(request, activeContext());
    expect(injected).not.toBe(request);
    expect(injected.params).toEqual({
      name: 'x',
      _meta: { progressToken: 3, traceparent: TRACEPARENT, baggage: 'user.id=u1' },
    });
    expect(request.params._meta).toEqual({ progressToken: 3 });
  });

  it('creates params and _meta for a request without params', () => {
    expect(injectIntoRequest({ method: 'ping' }, activeContext()).params).toEqual({
      _meta: { traceparent: TRACEPARENT, baggage: 'user.id=u1' },
    });
  });

  it('returns the request itself when there is nothing to propagate', () => {
    const request = { method: 'ping' };
    expect(injectIntoRequest(request, ROOT_CONTEXT)).toBe(request);
  });

  it('leaves requests whose params or _meta are not objects alone', () => {
    for (const request of [
      { method: 'x', params: ['positional'] },
      { method: 'x', params: { _meta: 'text' } },
      { method: 'x', params: { _meta: [1, 2] } },
    ]) {
      expect(injectIntoRequest(request, activeContext())).toBe(request);
    }
  });
});

describe('extractFromMeta', () => {
  it('finds a remote parent and baggage', () => {
    const { context: extracted, remoteParent } = extractFromMeta(
      { traceparent: TRACEPARENT, baggage: 'user.id=u2', 'example.com/other': { nested: 1 } },
      ROOT_CONTEXT,
    );
    expect(remoteParent).toBe(true);
    expect(trace.getSpanContext(extracted)).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      isRemote: true,
    });
    expect(propagation.getBaggage(extracted)?.getEntry('user.id')?.value).toBe('u2');
  });

  it('keeps valid baggage without a traceparent, but reports no remote parent', () => {
    const { context: extracted, remoteParent } = extractFromMeta({ baggage: 'user.id=u3' }, ROOT_CONTEXT);
    expect(remoteParent).toBe(false);
    expect(propagation.getBaggage(extracted)?.getEntry('user.id')?.value).toBe('u3');
  });

  it.each([
    ['no _meta', undefined],
    ['a string', 'traceparent'],
    ['an array', [TRACEPARENT]],
    ['a number traceparent', { traceparent: 1 }],
    ['an invalid traceparent', { traceparent: '00-zz-yy-01' }],
    ['an oversized value', { traceparent: TRACEPARENT + ' '.repeat(MAX_META_VALUE_LENGTH) }],
    ['an oversized key', { ['k'.repeat(1000)]: TRACEPARENT }],
  ])('returns the base context for %s', (_label, meta) => {
    const base = context.active();
    expect(extractFromMeta(meta, base)).toEqual({ context: base, remoteParent: false });
  });

  it('survives getters that throw and proxies that refuse to list their keys', () => {
    const throwing = Object.defineProperty({}, 'traceparent', {
      enumerable: true,
      get() {
        throw new Error('nope');
      },
    });
    const refusing = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('nope');
        },
      },
    );
    expect(extractFromMeta(throwing, ROOT_CONTEXT).remoteParent).toBe(false);
    expect(extractFromMeta(refusing, ROOT_CONTEXT)).toEqual({ context: ROOT_CONTEXT, remoteParent: false });
  });

  it('reads only the first keys of a _meta with very many', () => {
    const meta: Record<string, string> = {};
    for (let i = 0; i < 100; i++) meta[`k${i}`] = 'v';
    meta.traceparent = TRACEPARENT;
    expect(extractFromMeta(meta, ROOT_CONTEXT).remoteParent).toBe(false);
  });
});
