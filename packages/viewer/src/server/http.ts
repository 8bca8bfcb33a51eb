// The viewer's one HTTP server (node:http): the OTLP/HTTP trace receiver (POST /v1/traces), the JSON
// API over a TraceSource (/api/...), live updates (/api/events) and the web UI's files.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Span, TraceSource } from '../model.js';
import { resolveLimits, type Limits } from '../limits.js';
import { decodeTraceRequest, otlpEncodingOf } from '../otlp/decode.js';
import { OtlpDecodeError, OtlpLimitError, UnsupportedMediaTypeError } from '../otlp/errors.js';
import { EventHub } from './events.js';
import { handleApi, sendError } from './routes.js';
import { bearerMatches, isLoopbackHostHeader, setSecurityHeaders } from './security.js';
import { defaultUiDir, serveUi } from './static.js';

/** Where received spans go: the store's `insert` (one transaction per call). */
export interface SpanSink {
  insert(spans: Span[]): void;
}

/** Options of {@link createViewerServer}. */
export interface ViewerServerOptions {
  /** What the API and the UI show: the local store, or a Jaeger / Tempo query API. */
  readonly source: TraceSource;
  /**
   * Where spans received on POST /v1/traces go. Without one the server is a read-only view (a
   * remote source) and /v1/traces answers 404 saying so.
   */
  readonly sink?: SpanSink;
  /**
   * The access token. With one, every /api and /v1 request needs `Authorization: Bearer <token>`
   * (401 otherwise); without one, only requests whose Host header is a loopback name are answered.
   */
  readonly token?: string;
  /** The built UI's directory; default this package's `dist/ui`. */
  readonly uiDir?: string;
  /** Overrides of the bounds of `limits.ts` (tests). */
  readonly limits?: Partial<Limits>;
  /** Least time between two live-update events, ms (default 250: at most 4 per second). */
  readonly eventIntervalMs?: number;
  /** One line per notable event (refused exports, failures); default: nothing is written. */
  readonly log?: (line: string) => void;
}

/** A created server; see {@link createViewerServer}. */
export interface ViewerServer {
  /** The node:http server (not listening until {@link ViewerServer.listen}). */
  readonly server: Server;
  /** `http://host:port` once listening. */
  readonly url: string | undefined;
  /**
   * Starts listening (default 127.0.0.1:4318; port 0 picks a free one) and resolves with the URL.
   * Rejects with the listen error (`code: 'EADDRINUSE'` when the port is taken).
   */
  listen(port?: number, host?: string): Promise<string>;
  /**
   * Stops listening, ends the event streams and closes open connections (after in-flight
   * requests). Does not close the source or the sink.
   */
  close(): Promise<void>;
  /** Announces new spans of these traces to open pages (what an ingest does; for imports). */
  publish(traceIds: Iterable<string>): void;
}

/** The default port: the one OTLP/HTTP exporters send to. */
export const DEFAULT_PORT = 4318;
/** The default bind address. */
export const DEFAULT_HOST = '127.0.0.1';
/** Refused exports are logged at most this often. */
const LOG_INTERVAL_MS = 1000;

/** Creates the viewer's HTTP server; call `listen()` to start it. */
export function createViewerServer(options: ViewerServerOptions): ViewerServer {
  const limits = resolveLimits(options.limits);
  const uiDir = options.uiDir ?? defaultUiDir();
  const token = options.token === '' ? undefined : options.token;
  const log = options.log ?? (() => undefined);
  const events = new EventHub({ intervalMs: options.eventIntervalMs });
  const sockets = new Set<Socket>();
  let url: string | undefined;
  let lastRefusalLog = 0;
  let refusalsNotLogged = 0;
  let droppedSignalsLogged = false;

  const logRefusal = (line: string) => {
    const now = Date.now();
    if (now - lastRefusalLog < LOG_INTERVAL_MS) {
      refusalsNotLogged++;
      return;
    }
    const more = refusalsNotLogged > 0 ? ` (and ${refusalsNotLogged} more refused since the last line)` : '';
    lastRefusalLog = now;
    refusalsNotLogged = 0;
    log(`agent-otel viewer: ${line}${more}`);
  };

  const ingest = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const respondError = (status: number, message: string, headers: Record<string, string> = {}) => {
      logRefusal(`refused an export (${status}): ${message}`);
      sendError(request, response, status, message, headers);
    };
    if (options.sink === undefined) {
      request.resume();
      return respondError(
        404,
        `this viewer shows a remote source (${options.source.description.kind}) read-only: ` +
          'send spans to that system, not to the viewer',
      );
    }
    if (request.method !== 'POST') {
      request.resume();
      return sendError(request, response, 405, '/v1/traces takes POST (OTLP/HTTP)', { Allow: 'POST' });
    }
    const format = otlpEncodingOf(request.headers['content-type']);
    if (format === undefined) {
      request.resume();
      return respondError(
        415,
        `Content-Type ${JSON.stringify(String(request.headers['content-type'] ?? '').slice(0, 80))} is not OTLP: ` +
          'send application/x-protobuf or application/json',
      );
    }
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxRequestBytes) {
      return respondError(
        413,
        `the body is larger than ${limits.maxRequestBytes} bytes: send smaller batches`,
        {
          Connection: 'close',
        },
      );
    }
    let body: Buffer;
    try {
      body = await readBody(request, limits.maxRequestBytes);
    } catch (error) {
      if (error instanceof OtlpLimitError) {
        return respondError(413, `${error.message}: send smaller batches`, { Connection: 'close' });
      }
      throw error;
    }
    let spans: Span[];
    try {
      spans = await decodeTraceRequest(body, {
        contentType: request.headers['content-type'],
        contentEncoding: request.headers['content-encoding'],
        limits,
      });
    } catch (error) {
      if (error instanceof OtlpDecodeError) return respondError(400, error.message);
      if (error instanceof OtlpLimitError) return respondError(413, error.message);
      if (error instanceof UnsupportedMediaTypeError) return respondError(415, error.message);
      throw error;
    }
    if (spans.length > 0) {
      try {
        options.sink.insert(spans);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`agent-otel viewer: storing ${spans.length} spans failed: ${message}`);
        return sendError(request, response, 500, `storing the spans failed: ${message}`);
      }
      const traceIds = new Set<string>();
      for (const span of spans) traceIds.add(span.traceId);
      events.publish(traceIds);
    }
    if (format === 'json') {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '2' });
      response.end('{}');
    } else {
      response.writeHead(200, { 'Content-Type': 'application/x-protobuf', 'Content-Length': '0' });
      response.end();
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    setSecurityHeaders(response);
    let target: URL;
    try {
      target = new URL(request.url ?? '/', 'http://viewer.invalid');
    } catch {
      return sendError(request, response, 400, 'the request target is not a valid URL');
    }
    const path = target.pathname;
    const protectedRoute =
      path === '/api' || path.startsWith('/api/') || path === '/v1' || path.startsWith('/v1/');
    if (protectedRoute) response.setHeader('Cache-Control', 'no-store');
    if (token === undefined && !isLoopbackHostHeader(request.headers.host)) {
      request.resume();
      return sendError(
        request,
        response,
        403,
        `Host ${JSON.stringify(String(request.headers.host ?? '').slice(0, 80))} is not a loopback name: ` +
          'without a token the viewer answers requests to localhost / 127.0.0.1 only',
      );
    }
    if (protectedRoute && token !== undefined && !bearerMatches(request.headers.authorization, token)) {
      request.resume();
      return sendError(request, response, 401, 'this viewer needs Authorization: Bearer <token>', {
        'WWW-Authenticate': 'Bearer',
      });
    }
    if (path === '/v1/traces') return ingest(request, response);
    if ((path === '/v1/metrics' || path === '/v1/logs') && request.method === 'POST') {
      // An app set up by register() exports metrics and logs to the same endpoint: accepted and dropped,
      // so it reports no failed export; said once.
      request.resume();
      if (!droppedSignalsLogged) {
        droppedSignalsLogged = true;
        log('agent-otel viewer: received metrics or logs; the viewer keeps traces only, so they are dropped');
      }
      const json = otlpEncodingOf(request.headers['content-type']) === 'json';
      response.writeHead(200, {
        'Content-Type': json ? 'application/json' : 'application/x-protobuf',
        'Content-Length': json ? '2' : '0',
      });
      response.end(json ? '{}' : undefined);
      return;
    }
    if (path === '/v1' || path.startsWith('/v1/')) {
      request.resume();
      return sendError(
        request,
        response,
        404,
        `${path.slice(0, 80)}: the viewer receives traces only (POST /v1/traces); ` +
          'metrics and logs are accepted and dropped (POST /v1/metrics, /v1/logs)',
      );
    }
    if (protectedRoute) {
      return handleApi(request, response, target, {
        source: options.source,
        events,
        receiving: options.sink !== undefined,
        log,
      });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      request.resume();
      return sendError(request, response, 405, `${path.slice(0, 80)} answers GET only`, {
        Allow: 'GET, HEAD',
      });
    }
    return serveUi(request, response, uiDir, path);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      log(`agent-otel viewer: ${request.method} ${request.url?.slice(0, 200)} failed: ${message}`);
      if (!response.headersSent) sendError(request, response, 500, `the request failed: ${message}`);
      else response.destroy();
    });
  });
  // Slow or stalled senders do not hold a connection forever.
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  return {
    server,
    get url() {
      return url;
    },
    listen(port = DEFAULT_PORT, host = DEFAULT_HOST) {
      return new Promise<string>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          const address = server.address() as AddressInfo;
          const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          url = `http://${shown}:${address.port}`;
          resolve(url);
        });
      });
    },
    close() {
      events.close();
      return new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests still running get a moment; then their connections go too.
        setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, 2000).unref();
      });
    },
    publish: (traceIds) => events.publish(traceIds),
  };
}

/** Reads a request body of at most `maxBytes`. @throws OtlpLimitError past it. */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    request.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > maxBytes) {
        over = true;
        chunks.length = 0;
        reject(new OtlpLimitError(`the body is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!over) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    request.on('error', (error) => reject(error));
    request.on('close', () => {
      if (!request.complete) reject(new Error('the client closed the request before sending all of it'));
    });
  });
}
