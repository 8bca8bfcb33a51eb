import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A minimal OTLP/HTTP (JSON) collector on 127.0.0.1 that keeps every request body. */
export interface OtlpReceiver {
  readonly url: string;
  readonly bodies: string[];
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const bodies: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
}

/** A span from an OTLP/JSON export, with its attributes as plain values. */
export interface ExportedSpan {
  name: string;
  kind: number;
  spanId: string;
  parentSpanId?: string;
  scope: string;
  attributes: Record<string, unknown>;
}

function plain(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(plain);
  return undefined;
}

/** Flattens OTLP/JSON export bodies into spans. */
export function exportedSpans(bodies: readonly string[]): ExportedSpan[] {
  const spans: ExportedSpan[] = [];
  for (const body of bodies) {
    const parsed = JSON.parse(body) as {
      resourceSpans: {
        scopeSpans: {
          scope: { name: string };
          spans: {
            name: string;
            kind: number;
            spanId: string;
            parentSpanId?: string;
            attributes?: { key: string; value: AnyValue }[];
          }[];
        }[];
      }[];
    };
    for (const resourceSpans of parsed.resourceSpans) {
      for (const scopeSpans of resourceSpans.scopeSpans) {
        for (const span of scopeSpans.spans) {
          const attributes = Object.fromEntries((span.attributes ?? []).map((a) => [a.key, plain(a.value)]));
          spans.push({
            name: span.name,
            kind: span.kind,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId,
            scope: scopeSpans.scope.name,
            attributes,
          });
        }
      }
    }
  }
  return spans;
}
