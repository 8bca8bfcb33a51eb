// Maps request paths onto routes and providers.
import type { IncomingHttpHeaders } from 'node:http';
import type { Provider, RouteId } from './script.js';

const ROUTES: Readonly<Record<string, RouteId>> = {
  '/v1/chat/completions': 'openai.chat',
  '/v1/responses': 'openai.responses',
  '/v1/embeddings': 'openai.embeddings',
  '/v1/audio/speech': 'openai.audio.speech',
  '/v1/audio/transcriptions': 'openai.audio.transcriptions',
  '/v1/messages': 'anthropic.messages',
};

/** The route of a `POST` to `path`, or `unknown`. */
export function matchRoute(method: string, path: string): RouteId | 'unknown' {
  const normalized = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return method === 'POST' ? (ROUTES[normalized] ?? 'unknown') : 'unknown';
}

/** The provider of a route; for unknown routes, guessed from the path and the Anthropic headers. */
export function providerOf(route: RouteId | 'unknown', path: string, headers: IncomingHttpHeaders): Provider {
  if (route !== 'unknown') return route.startsWith('anthropic.') ? 'anthropic' : 'openai';
  const anthropicLike =
    path.startsWith('/v1/messages') ||
    headers['anthropic-version'] !== undefined ||
    headers['x-api-key'] !== undefined;
  return anthropicLike ? 'anthropic' : 'openai';
}
