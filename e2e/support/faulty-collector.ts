import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What the endpoint does with each OTLP request. */
export type CollectorMode =
  /** Forward to the real collector (Jaeger) and relay its answer. */
  | { readonly kind: 'forward' }
  /** Answer with this status, body `{}`; nothing is forwarded. */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds?: number }
  /** Answer 200 only after `delayMillis` (longer than the export timeout); nothing is forwarded. */
  | { readonly kind: 'slow'; readonly delayMillis: number };

/** One request the endpoint answered. */
export interface CollectorRequest {
  readonly mode: CollectorMode['kind'];
  readonly status: number;
  readonly bytes: number;
}

/**
 * A loopback OTLP/HTTP endpoint that misbehaves on purpose, in front of a real collector. It can
 * also stop listening (connections are then refused) and listen again on the same port.
 */
export interface FaultyCollector {
  readonly url: string;
  readonly port: number;
  readonly requests: CollectorRequest[];
  setMode(mode: CollectorMode): void;
  /** Stops listening and drops open connections: new connections are refused. */
  refuse(): Promise<void>;
  /** Listens again on the same port. */
  accept(): Promise<void>;
  close(): Promise<void>;
}

function forward(
  target: URL,
  request: IncomingMessage,
  body: Buffer,
  response: ServerResponse,
  record: (status: number) => void,
): void {
  const upstream = httpRequest(
    {
      hostname: target.hostname,
      port: target.port,
      path: request.url,
      method: 'POST',
      headers: {
        'content-type': request.headers['content-type'] ?? 'application/x-protobuf',
        'content-length': body.length,
      },
    },
    (upstreamResponse) => {
      const chunks: Buffer[] = [];
      upstreamResponse.on('data', (chunk: Buffer) => chunks.push(chunk));
      upstreamResponse.on('end', () => {
        const status = upstreamResponse.statusCode ?? 502;
        record(status);
        response.writeHead(status, {
          'content-type': upstreamResponse.headers['content-type'] ?? 'application/json',
        });
        response.end(Buffer.concat(chunks));
      });
    },
  );
  upstream.on('error', () => {
    record(502);
    response.writeHead(502).end();
  });
  upstream.end(body);
}

/** Starts the endpoint on a free 127.0.0.1 port, in `initialMode`, in front of `targetUrl`. */
export async function startFaultyCollector(
  targetUrl: string,
  initialMode: CollectorMode,
): Promise<FaultyCollector> {
  const target = new URL(targetUrl);
  let mode: CollectorMode = initialMode;
  const requests: CollectorRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const current = mode;
      const record = (status: number) => requests.push({ mode: current.kind, status, bytes: body.length });
      if (current.kind === 'forward') return forward(target, request, body, response, record);
      if (current.kind === 'status') {
        record(current.status);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (current.retryAfterSeconds !== undefined)
          headers['retry-after'] = String(current.retryAfterSeconds);
        response.writeHead(current.status, headers).end('{}');
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        record(200);
        if (!response.destroyed) response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }, current.delayMillis);
      timers.add(timer);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as { port: number }).port;
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    setMode: (next) => {
      mode = next;
    },
    refuse: stopListening,
    accept: () => listen(port),
    close: stopListening,
  };
}
