// GET /api/events: Server-Sent Events telling open pages which traces got new spans. Ingests are
// coalesced: at most one `traces` event per interval (default 250 ms, so at most 4 per second),
// carrying the distinct trace ids since the last one (at most MAX_EVENT_TRACE_IDS of them).
import type { ServerResponse } from 'node:http';

/** Trace ids in one event; past this the event says `"truncated": true`. */
export const MAX_EVENT_TRACE_IDS = 500;
/** Open event streams; more get 503. */
export const MAX_EVENT_CLIENTS = 64;
/** Bytes waiting to be sent to one client before it is dropped as too slow. */
const MAX_CLIENT_BACKLOG = 1024 * 1024;
const KEEP_ALIVE_MS = 25_000;

/** Options of {@link EventHub}. */
export interface EventHubOptions {
  /** Least time between two `traces` events (ms); default 250. */
  readonly intervalMs?: number;
  readonly maxClients?: number;
}

/** The open event streams and the trace ids waiting to be announced. */
export class EventHub {
  readonly #clients = new Set<ServerResponse>();
  readonly #pending = new Set<string>();
  readonly #intervalMs: number;
  readonly #maxClients: number;
  #truncated = false;
  #lastSent = 0;
  #timer: NodeJS.Timeout | undefined;
  #keepAlive: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: EventHubOptions = {}) {
    this.#intervalMs = Math.max(0, options.intervalMs ?? 250);
    this.#maxClients = options.maxClients ?? MAX_EVENT_CLIENTS;
  }

  /** Open streams. */
  get clientCount(): number {
    return this.#clients.size;
  }

  /**
   * Starts an event stream on `response` (headers, a first comment). Returns false, having
   * answered 503, when MAX_EVENT_CLIENTS streams are open.
   */
  open(response: ServerResponse): boolean {
    if (this.#closed || this.#clients.size >= this.#maxClients) {
      response.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '10' });
      response.end(JSON.stringify({ error: `too many open event streams (${this.#maxClients})` }));
      return false;
    }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.write('retry: 2000\n: connected\n\n');
    this.#clients.add(response);
    const drop = () => this.#clients.delete(response);
    response.on('close', drop);
    response.on('error', drop);
    this.#keepAlive ??= setInterval(() => this.#broadcast(': keep-alive\n\n'), KEEP_ALIVE_MS).unref();
    return true;
  }

  /** Announces new spans of these traces (in the next coalesced event). */
  publish(traceIds: Iterable<string>): void {
    if (this.#closed) return;
    for (const id of traceIds) {
      if (this.#pending.size >= MAX_EVENT_TRACE_IDS) {
        if (!this.#pending.has(id)) this.#truncated = true;
        continue;
      }
      this.#pending.add(id);
    }
    if (this.#pending.size === 0 || this.#timer !== undefined) return;
    const wait = Math.max(0, this.#lastSent + this.#intervalMs - Date.now());
    this.#timer = setTimeout(() => this.#flush(), wait);
    this.#timer.unref();
  }

  /** Ends every stream; later publishes are ignored. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearInterval(this.#keepAlive);
    this.#timer = undefined;
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  #flush(): void {
    this.#timer = undefined;
    this.#lastSent = Date.now();
    const data: { traceIds: string[]; truncated?: true } = { traceIds: [...this.#pending] };
    if (this.#truncated) data.truncated = true;
    this.#pending.clear();
    this.#truncated = false;
    this.#broadcast(`event: traces\ndata: ${JSON.stringify(data)}\n\n`);
  }

  #broadcast(text: string): void {
    for (const client of this.#clients) {
      if (client.writableLength > MAX_CLIENT_BACKLOG) {
        this.#clients.delete(client);
        client.destroy();
        continue;
      }
      client.write(text);
    }
  }
}
