// The scripted model server: an HTTP server on 127.0.0.1 that answers OpenAI and Anthropic requests
// from a script, in the providers' real wire formats, and records every request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { renderAnthropicMessages } from './anthropic-messages.js';
import { defaultStreamError, errorBody } from './errors.js';
import { IdGenerator } from './IdGenerator.js';
import { renderSpeech, renderTranscription } from './openai-audio.js';
import { renderChat } from './openai-chat.js';
import { renderCompletions } from './openai-completions.js';
import { renderEmbeddings } from './openai-embeddings.js';
import { renderResponses } from './openai-responses.js';
import { ScriptQueue } from './queue.js';
import { BodyTooLargeError, isPlainObject, parseBody, readBody, requestPath } from './request.js';
import type { BytesReply, JsonReply, Renderer } from './reply.js';
import { matchRoute, providerOf } from './routes.js';
import type {
  Provider,
  RecordedRequest,
  RouteId,
  ScriptEntry,
  ScriptedError,
  ScriptedResponse,
  ScriptOptions,
} from './script.js';
import { sleep } from './sleep.js';
import { writeSse } from './sse.js';

/** Options of {@link startScriptedServer}. */
export interface ScriptedServerOptions {
  /** Port to listen on. Default 0: a random free port. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
}

/** A running scripted model server. */
export interface ScriptedServer {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Bound host. */
  readonly host: string;
  /** Bound port. */
  readonly port: number;
  /** `baseURL` for the OpenAI SDK: `${url}/v1`. */
  readonly openaiBaseURL: string;
  /** `baseURL` for the Anthropic SDK: `url` (the SDK appends `/v1`). */
  readonly anthropicBaseURL: string;
  /** A snapshot of the requests received so far, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Queues one entry (or several, in order). Each request takes one entry: from its route's queue when
   * `options.route` was given, else from the shared FIFO queue that any route consumes.
   */
  enqueue(entry: ScriptEntry | readonly ScriptEntry[], options?: ScriptOptions): ScriptedServer;
  /** The entry used when the queues are empty (per route with `options.route`). Default: text `ok`. */
  setDefault(entry: ScriptEntry, options?: ScriptOptions): ScriptedServer;
  /** Number of entries still queued (with a route: in that route's own queue). */
  pending(route?: RouteId): number;
  /** Clears the queues, the defaults, the recorded requests and the id counters. */
  reset(): void;
  /** Stops listening and destroys every open connection (keep-alive ones included). Idempotent. */
  close(): Promise<void>;
}

const RENDERERS: Readonly<Record<RouteId, Renderer>> = {
  'openai.chat': renderChat,
  'openai.completions': renderCompletions,
  'openai.responses': renderResponses,
  'openai.embeddings': renderEmbeddings,
  'openai.audio.speech': renderSpeech,
  'openai.audio.transcriptions': renderTranscription,
  'anthropic.messages': renderAnthropicMessages,
};

const STREAMING_ROUTES: ReadonlySet<RouteId> = new Set([
  'openai.chat',
  'openai.completions',
  'openai.responses',
  'anthropic.messages',
]);

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': payload.length });
  res.end(payload);
}

function sendReply(
  res: ServerResponse,
  reply: JsonReply | BytesReply,
  headers: Record<string, string>,
): void {
  if (reply.kind === 'json') {
    sendJson(res, reply.status, reply.body, headers);
    return;
  }
  res.writeHead(reply.status, {
    ...headers,
    'content-type': reply.contentType,
    'content-length': reply.body.length,
  });
  res.end(reply.body);
}

/** One request being answered. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  request: RecordedRequest;
  route: RouteId;
  script: ScriptedResponse;
  provider: Provider;
  /** Headers every response to this request carries (the request id). */
  headers: Record<string, string>;
  /** Answers with a provider error body. */
  fail: (error: ScriptedError) => void;
  signal: AbortSignal;
}

class ScriptedServerImpl implements ScriptedServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly openaiBaseURL: string;
  readonly anthropicBaseURL: string;

  readonly #server: Server;
  readonly #sockets: Set<Socket>;
  readonly #queue = new ScriptQueue();
  readonly #ids = new IdGenerator();
  readonly #requestIds = new IdGenerator();
  readonly #closing = new AbortController();
  #requests: RecordedRequest[] = [];
  #closed: Promise<void> | undefined;

  constructor(server: Server, sockets: Set<Socket>) {
    this.#server = server;
    this.#sockets = sockets;
    const address = server.address() as AddressInfo;
    this.host = address.address;
    this.port = address.port;
    this.url = `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
    this.openaiBaseURL = `${this.url}/v1`;
    this.anthropicBaseURL = this.url;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.#handle(req, res).catch((error: unknown) => {
        // Never crash the process: answer 500 in the provider's shape, or drop a half-sent response.
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const path = requestPath(req.url);
        const provider = providerOf(matchRoute(req.method ?? 'GET', path), path, req.headers);
        const message = `Scripted server error: ${error instanceof Error ? error.message : String(error)}`;
        sendJson(res, 500, errorBody(provider, { status: 500, message }, ''), {});
      });
    });
  }

  get requests(): readonly RecordedRequest[] {
    return [...this.#requests];
  }

  enqueue(entry: ScriptEntry | readonly ScriptEntry[], options: ScriptOptions = {}): ScriptedServer {
    this.#queue.enqueue(Array.isArray(entry) ? entry : [entry as ScriptEntry], options.route);
    return this;
  }

  setDefault(entry: ScriptEntry, options: ScriptOptions = {}): ScriptedServer {
    this.#queue.setDefault(entry, options.route);
    return this;
  }

  pending(route?: RouteId): number {
    return this.#queue.pending(route);
  }

  reset(): void {
    this.#queue.reset();
    this.#requests = [];
    this.#ids.reset();
    this.#requestIds.reset();
  }

  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      this.#closing.abort();
      this.#server.close(() => resolve());
      for (const socket of this.#sockets) socket.destroy();
    });
    return this.#closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const method = req.method ?? 'GET';
    const path = requestPath(req.url);
    const route = matchRoute(method, path);
    const provider = providerOf(route, path, req.headers);
    const requestId = this.#requestIds.next('req_');
    const headers: Record<string, string> =
      provider === 'anthropic' ? { 'request-id': requestId } : { 'x-request-id': requestId };
    const fail = (error: ScriptedError) =>
      sendJson(res, error.status, errorBody(provider, error, requestId), { ...headers, ...error.headers });

    let rawBody: Buffer;
    try {
      rawBody = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLargeError) fail({ status: 413, message: 'Request body too large.' });
      else res.destroy();
      return;
    }

    const { body, form, malformed } = parseBody(rawBody, req.headers['content-type']);
    const request: RecordedRequest = {
      route,
      provider,
      method,
      path,
      headers: { ...req.headers },
      body,
      rawBody,
      ...(form === undefined ? {} : { form }),
      stream: isPlainObject(body) && body['stream'] === true,
      receivedAt,
    };
    this.#requests.push(request);

    if (route === 'unknown') {
      const message =
        provider === 'anthropic' ? `Not found: ${method} ${path}` : `Invalid URL (${method} ${path})`;
      fail({ status: 404, message });
      return;
    }
    if (malformed) {
      fail({
        status: 400,
        message: 'We could not parse the JSON body of your request: expected a JSON object.',
      });
      return;
    }

    const entry = this.#queue.take(route);
    let script: ScriptedResponse;
    try {
      script = typeof entry === 'function' ? await entry(request) : entry;
    } catch (error) {
      fail({
        status: 500,
        message: `Scripted handler threw: ${error instanceof Error ? error.message : String(error)}`,
      });
      return;
    }

    const signal = AbortSignal.any([this.#closing.signal, abortOnClose(res)]);
    if (!(await sleep(script.delayMs ?? 0, signal))) return;
    await this.#respond({ req, res, request, route, script, provider, headers, fail, signal });
  }

  /** Sends the scripted response: an error, a dropped connection, JSON/bytes, or a paced stream. */
  async #respond({
    req,
    res,
    request,
    route,
    script,
    provider,
    headers,
    fail,
    signal,
  }: Exchange): Promise<void> {
    const streamed = request.stream && STREAMING_ROUTES.has(route);
    const inStreamError = streamed && script.streamErrorAfterChunks !== undefined;
    if (script.error && !inStreamError) {
      fail({ ...script.error, headers: { ...script.headers, ...script.error.headers } });
      return;
    }
    if (!streamed && script.cutAfterChunks !== undefined) {
      req.socket.destroy();
      return;
    }
    const responseHeaders = { ...headers, ...script.headers };
    const body = isPlainObject(request.body) ? request.body : {};
    const reply = RENDERERS[route]({ request, body, script, ids: this.#ids });
    if (reply.kind !== 'sse') {
      sendReply(res, reply, responseHeaders);
      return;
    }
    await writeSse(res, responseHeaders, reply, {
      chunkDelayMs: script.chunkDelayMs ?? 0,
      cutAfterChunks: script.cutAfterChunks,
      streamErrorAfterChunks: script.streamErrorAfterChunks,
      streamError: script.error ?? defaultStreamError(provider),
      signal,
    });
  }
}

/** An AbortSignal that aborts when the response closes (client gone, socket destroyed, or done). */
function abortOnClose(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}

/**
 * Starts a scripted model server on 127.0.0.1 (random free port by default).
 *
 * ```ts
 * const server = await startScriptedServer();
 * server.enqueue({ text: 'Hello!' });
 * const client = new OpenAI(createOpenAIClientOptions(server));
 * ```
 */
export async function startScriptedServer(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const sockets = new Set<Socket>();
  const server = createServer();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return new ScriptedServerImpl(server, sockets);
}
