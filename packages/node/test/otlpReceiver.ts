import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A minimal OTLP/HTTP collector on 127.0.0.1 that records every request and answers 200. */
export interface OtlpReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

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

/** A port on 127.0.0.1 where nothing listens (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface JsonAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number | string };
}

/** A span as found in an OTLP/JSON export request. */
export interface JsonSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  resource: Record<string, string | number | undefined>;
}

/** Flattens OTLP/JSON export bodies into spans with their resource attributes. */
export function jsonSpans(requests: readonly ReceivedRequest[]): JsonSpan[] {
  const spans: JsonSpan[] = [];
  for (const request of requests) {
    const body = JSON.parse(request.body.toString('utf8')) as {
      resourceSpans: {
        resource: { attributes: JsonAttribute[] };
        scopeSpans: { spans: Omit<JsonSpan, 'resource'>[] }[];
      }[];
    };
    for (const resourceSpans of body.resourceSpans) {
      const resource = Object.fromEntries(
        resourceSpans.resource.attributes.map((attribute) => [
          attribute.key,
          attribute.value.stringValue ?? attribute.value.intValue,
        ]),
      );
      for (const scopeSpans of resourceSpans.scopeSpans) {
        for (const span of scopeSpans.spans) spans.push({ ...span, resource });
      }
    }
  }
  return spans;
}
