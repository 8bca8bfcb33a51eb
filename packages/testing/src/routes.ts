// Maps request paths onto routes and providers.
import type { IncomingHttpHeaders } from 'node:http';
import type { Provider, RouteId } from './script.js';

const ROUTES: Readonly<Record<string, RouteId>> = {
  '/v1/chat/completions': 'openai.chat',
  '/v1/completions': 'openai.completions',
  '/v1/responses': 'openai.responses',
  '/v1/embeddings': 'openai.embeddings',
  '/v1/audio/speech': 'openai.audio.speech',
  '/v1/audio/transcriptions': 'openai.audio.transcriptions',
  '/v1/messages': 'anthropic.messages',
};

/**
 * Azure OpenAI's paths for the same APIs: `/openai/deployments/{deployment}/chat/completions` and
 * `/openai/responses` (what the SDK's `AzureOpenAI` client sends), `/openai/v1/chat/completions`
 * (Azure's v1 API, used with the plain `OpenAI` client).
 */
const AZURE_OPENAI_PATH = /^\/openai(?:\/deployments\/[^/]+|\/v1)?(\/.+)$/;

/** The route of a `POST` to `path`, or `unknown`. */
export function matchRoute(method: string, path: string): RouteId | 'unknown' {
  let normalized = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const azure = AZURE_OPENAI_PATH.exec(normalized);
  if (azure) normalized = `/v1${azure[1]}`;
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
