// The JSON API over a TraceSource (GET /api/...), and the JSON answers shared by every route.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TraceSource } from '../model.js';
import { FilterError, parseConversationQuery, parseStatsQuery, parseTraceQuery } from '../query/filters.js';
import type { EventHub } from './events.js';

/** Conversation ids longer than this are refused (400). */
const MAX_CONVERSATION_ID_CHARS = 1024;
const TRACE_ID = /^[0-9a-fA-F]{32}$/;

/** Sends `body` as JSON with `status` (no body for HEAD). */
export function sendJson(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const data = Buffer.from(JSON.stringify(body), 'utf8');
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(data.length),
    ...headers,
  });
  response.end(request.method === 'HEAD' ? undefined : data);
}

/** Sends `{"error": message}` with `status`. */
export function sendError(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(request, response, status, { error: message }, headers);
}

/** What the API routes need. */
export interface ApiContext {
  readonly source: TraceSource;
  readonly events: EventHub;
  /** Whether this server receives spans (POST /v1/traces). */
  readonly receiving: boolean;
  readonly log: (line: string) => void;
}

/**
 * Answers a request under /api/. Bad query parameters → 400 naming the parameter; a source that
 * fails (a remote that is down) → 502 with its message; anything else unexpected → 500.
 */
export async function handleApi(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  context: ApiContext,
): Promise<void> {
  const path = url.pathname;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return sendError(request, response, 405, `${path} answers GET only`, { Allow: 'GET, HEAD' });
  }
  const { source } = context;
  const params = url.searchParams;
  try {
    if (path === '/api/traces')
      return sendJson(request, response, 200, await source.listTraces(parseTraceQuery(params)));
    if (path.startsWith('/api/traces/')) {
      const id = path.slice('/api/traces/'.length);
      if (!TRACE_ID.test(id)) {
        return sendError(
          request,
          response,
          400,
          `trace id ${quoted(id)}: expected 32 hexadecimal characters`,
        );
      }
      const detail = await source.getTrace(id.toLowerCase());
      if (detail === undefined)
        return sendError(request, response, 404, `trace ${id.toLowerCase()} not found`);
      return sendJson(request, response, 200, detail);
    }
    if (path === '/api/conversations') {
      return sendJson(request, response, 200, await source.listConversations(parseConversationQuery(params)));
    }
    if (path.startsWith('/api/conversations/')) {
      let id: string;
      try {
        id = decodeURIComponent(path.slice('/api/conversations/'.length));
      } catch {
        return sendError(request, response, 400, 'conversation id: not a valid percent-encoded string');
      }
      if (id === '' || id.length > MAX_CONVERSATION_ID_CHARS) {
        return sendError(
          request,
          response,
          400,
          `conversation id: expected 1 to ${MAX_CONVERSATION_ID_CHARS} characters`,
        );
      }
      const query = { ...parseTraceQuery(params), conversationId: id };
      return sendJson(request, response, 200, await source.listTraces(query));
    }
    if (path === '/api/stats') {
      return sendJson(request, response, 200, { rows: await source.stats(parseStatsQuery(params)) });
    }
    if (path === '/api/facets') return sendJson(request, response, 200, await source.facets());
    if (path === '/api/source') {
      return sendJson(request, response, 200, { ...source.description, receiving: context.receiving });
    }
    if (path === '/api/events') {
      if (request.method === 'HEAD') return sendJson(request, response, 200, {});
      context.events.open(response);
      return;
    }
  } catch (error) {
    if (error instanceof FilterError) return sendError(request, response, 400, error.message);
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.name === 'RemoteSourceError') {
      return sendError(request, response, 502, message);
    }
    context.log(`agent-otel viewer: ${request.method} ${path} failed: ${message}`);
    return sendError(request, response, 500, `the request failed: ${message}`);
  }
  return sendError(request, response, 404, `no API route ${path}`);
}

function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
