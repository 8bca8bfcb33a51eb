// The viewer's HTTP API client: JSON GETs with the access token, and live updates (Server-Sent
// Events, or polling when a token is set: EventSource cannot send an Authorization header).
import type { ConversationSummary, StatsRow, TraceDetail, TracePage, TraceSource } from '../model.js';

const TOKEN_KEY = 'agent-otel-viewer-token';

/** An API error: the HTTP status and the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Takes a token from `#token=...` in the page's URL into sessionStorage (then removes it from the
 * address bar, so it is not copied with a link), and returns the stored token, if any.
 */
export function initToken(): string | undefined {
  const hash = location.hash.startsWith('#') ? location.hash.slice(1) : '';
  const fromHash = new URLSearchParams(hash).get('token');
  if (fromHash !== null) {
    try {
      if (fromHash) sessionStorage.setItem(TOKEN_KEY, fromHash);
      else sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      // Storage disabled: the token then lives for this page only.
      memoryToken = fromHash || undefined;
    }
    history.replaceState(history.state, '', location.pathname + location.search);
  }
  return token();
}

let memoryToken: string | undefined;

/** The access token for the API, if one was given. */
export function token(): string | undefined {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? memoryToken;
  } catch {
    return memoryToken;
  }
}

/** GETs `path` (with `params`) and parses the JSON answer; throws an ApiError on a non-2xx status. */
export async function getJson<T>(path: string, params?: URLSearchParams, signal?: AbortSignal): Promise<T> {
  const query = params && [...params.keys()].length > 0 ? `?${params.toString()}` : '';
  const headers: Record<string, string> = { Accept: 'application/json' };
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let response: Response;
  try {
    response = await fetch(path + query, { headers, signal, cache: 'no-store' });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'The viewer is not reachable (is agent-otel-viewer still running?)');
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { error?: unknown };
      if (typeof body.error === 'string') message = body.error;
    } catch {
      // Not JSON: keep the status line.
    }
    if (response.status === 401) {
      message = bearer
        ? 'The access token was refused. Open the viewer with the right #token=… at the end of its URL.'
        : 'This viewer needs an access token: open it with #token=<token> at the end of its URL.';
    }
    throw new ApiError(response.status, message);
  }
  return (await response.json()) as T;
}

export type Facets = Awaited<ReturnType<TraceSource['facets']>>;

export const api = {
  traces: (params: URLSearchParams, signal?: AbortSignal) =>
    getJson<TracePage>('/api/traces', params, signal),
  trace: (traceId: string, signal?: AbortSignal) =>
    getJson<TraceDetail>(`/api/traces/${encodeURIComponent(traceId)}`, undefined, signal),
  conversations: (params: URLSearchParams, signal?: AbortSignal) =>
    getJson<{ conversations: ConversationSummary[]; total: number }>('/api/conversations', params, signal),
  conversation: (id: string, params: URLSearchParams, signal?: AbortSignal) =>
    getJson<TracePage>(`/api/conversations/${encodeURIComponent(id)}`, params, signal),
  stats: (params: URLSearchParams, signal?: AbortSignal) =>
    getJson<{ rows: StatsRow[] }>('/api/stats', params, signal),
  facets: (signal?: AbortSignal) => getJson<Facets>('/api/facets', undefined, signal),
  source: (signal?: AbortSignal) => getJson<TraceSource['description']>('/api/source', undefined, signal),
};

/** How the page learns about new traces. */
export type LiveMode = 'events' | 'polling' | 'offline';

type Listener = (traceIds: readonly string[] | undefined) => void;

const listeners = new Set<Listener>();
const modeListeners = new Set<(mode: LiveMode) => void>();
let started = false;
let mode: LiveMode = 'offline';

/** How live updates currently arrive. */
export function liveMode(): LiveMode {
  return mode;
}

/** Calls `listener` on mode changes; returns the unsubscribe function. */
export function onLiveMode(listener: (mode: LiveMode) => void): () => void {
  modeListeners.add(listener);
  return () => modeListeners.delete(listener);
}

/**
 * Calls `listener` when new spans arrived: with the trace ids from the server's `traces` event, or
 * with `undefined` on a polling tick (every 2 s, when a token is set). Returns the unsubscribe
 * function.
 */
export function onNewTraces(listener: Listener): () => void {
  listeners.add(listener);
  start();
  return () => listeners.delete(listener);
}

function setMode(next: LiveMode): void {
  if (next === mode) return;
  mode = next;
  for (const listener of modeListeners) listener(mode);
}

function notify(traceIds: readonly string[] | undefined): void {
  for (const listener of [...listeners]) listener(traceIds);
}

function start(): void {
  if (started) return;
  started = true;
  if (token() || typeof EventSource === 'undefined') startPolling();
  else startEvents();
}

function startPolling(): void {
  setMode('polling');
  setInterval(() => {
    if (listeners.size > 0 && document.visibilityState !== 'hidden') notify(undefined);
  }, 2000);
}

function startEvents(): void {
  const source = new EventSource('/api/events');
  source.addEventListener('open', () => setMode('events'));
  source.addEventListener('error', () => {
    // EventSource retries by itself; when it gives up (the server refused the stream, e.g. too
    // many open pages), fall back to polling.
    if (source.readyState === EventSource.CLOSED) startPolling();
    else setMode('offline');
  });
  source.addEventListener('traces', (event) => {
    let ids: readonly string[] | undefined;
    try {
      const data = JSON.parse((event as MessageEvent<string>).data) as { traceIds?: unknown };
      if (Array.isArray(data.traceIds)) ids = data.traceIds.filter((id) => typeof id === 'string');
    } catch {
      ids = undefined;
    }
    notify(ids ?? []);
  });
}
