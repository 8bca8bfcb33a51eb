// A minimal HTTP client instrumentation for tests, working the way @opentelemetry/instrumentation-undici
// does: it subscribes to undici's diagnostics channels (Node's fetch), starts a CLIENT span under
// whatever context is active when the request is created, and injects `traceparent`.
import diagnosticsChannel from 'node:diagnostics_channel';
import { context, propagation, SpanKind, trace, type Span, type Tracer } from '@opentelemetry/api';

interface UndiciRequest {
  method: string;
  origin: string;
  path: string;
  addHeader(name: string, value: string): void;
}

export interface FetchTracing {
  uninstall(): void;
}

export function installFetchTracing(tracer: Tracer): FetchTracing {
  const spans = new WeakMap<object, Span>();
  const onCreate = (message: unknown) => {
    const { request } = message as { request: UndiciRequest };
    const span = tracer.startSpan(`${request.method} ${request.path.split('?')[0]}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'http.request.method': request.method, 'url.full': `${request.origin}${request.path}` },
    });
    spans.set(request, span);
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), carrier);
    for (const [name, value] of Object.entries(carrier)) request.addHeader(name, value);
  };
  const onHeaders = (message: unknown) => {
    const { request, response } = message as { request: object; response: { statusCode: number } };
    const span = spans.get(request);
    span?.setAttribute('http.response.status_code', response.statusCode);
  };
  const onEnd = (message: unknown) => {
    const { request } = message as { request: object };
    spans.get(request)?.end();
    spans.delete(request);
  };
  diagnosticsChannel.subscribe('undici:request:create', onCreate);
  diagnosticsChannel.subscribe('undici:request:headers', onHeaders);
  diagnosticsChannel.subscribe('undici:request:trailers', onEnd);
  diagnosticsChannel.subscribe('undici:request:error', onEnd);
  return {
    uninstall() {
      diagnosticsChannel.unsubscribe('undici:request:create', onCreate);
      diagnosticsChannel.unsubscribe('undici:request:headers', onHeaders);
      diagnosticsChannel.unsubscribe('undici:request:trailers', onEnd);
      diagnosticsChannel.unsubscribe('undici:request:error', onEnd);
    },
  };
}
