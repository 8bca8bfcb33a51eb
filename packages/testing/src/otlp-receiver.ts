// A minimal OTLP/HTTP collector on 127.0.0.1 for tests of what a child process exports.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One export request the receiver got. */
export interface ReceivedRequest {
  /** The request path, e.g. `/v1/traces`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body as sent: OTLP/JSON text or OTLP/protobuf bytes. */
  readonly body: Buffer;
}

/** A running receiver; see {@link startOtlpReceiver}. */
export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>`: the value for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly url: string;
  /** Every request so far, in arrival order. */
  readonly requests: ReceivedRequest[];
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/**
 * Starts an OTLP/HTTP receiver on a free 127.0.0.1 port. It records every request, whatever its
 * path, and answers 200 with an empty export response in the request's encoding (`{}` for JSON, an
 * empty body for protobuf).
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) });
      const json = String(request.headers['content-type']).includes('json');
      response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      response.end(json ? '{}' : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An OTLP/JSON `AnyValue`. */
interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
}

interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

/** A span of an OTLP/JSON export request, its attributes and resource as plain values. */
export interface OtlpJsonSpan {
  readonly name: string;
  /** The OTLP span kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly traceId: string;
  readonly spanId: string;
  /** Absent or empty on a root span. */
  readonly parentSpanId?: string;
  /** The instrumentation scope name. */
  readonly scope: string;
  readonly attributes: Record<string, unknown>;
  readonly resource: Record<string, unknown>;
}

function plain(value: OtlpAnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(plain);
  return undefined;
}

function plainAttributes(attributes: readonly OtlpKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((attributes ?? []).map((attribute) => [attribute.key, plain(attribute.value)]));
}

/**
 * The spans of OTLP/JSON export requests (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`), in the order
 * they were sent. 64-bit integers become numbers.
 */
export function otlpJsonSpans(requests: readonly ReceivedRequest[]): OtlpJsonSpan[] {
  const spans: OtlpJsonSpan[] = [];
  for (const request of requests) {
    const body = JSON.parse(request.body.toString('utf8')) as {
      resourceSpans?: {
        resource?: { attributes?: OtlpKeyValue[] };
        scopeSpans?: {
          scope?: { name: string };
          spans?: {
            name: string;
            kind: number;
            traceId: string;
            spanId: string;
            parentSpanId?: string;
            attributes?: OtlpKeyValue[];
          }[];
        }[];
      }[];
    };
    for (const resourceSpans of body.resourceSpans ?? []) {
      const resource = plainAttributes(resourceSpans.resource?.attributes);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          spans.push({
            name: span.name,
            kind: span.kind,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId,
            scope: scopeSpans.scope?.name ?? '',
            attributes: plainAttributes(span.attributes),
            resource,
          });
        }
      }
    }
  }
  return spans;
}
