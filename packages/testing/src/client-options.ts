// Client options pointing the real SDKs at a scripted server (no SDK is imported here).
import type { ScriptedServer } from './server.js';

/** Options accepted by both `new OpenAI(...)` and `new Anthropic(...)`. */
export interface ScriptedClientOptions {
  baseURL: string;
  apiKey: string;
  maxRetries: number;
}

/** `{ baseURL: server.openaiBaseURL, apiKey: 'test-key', maxRetries: 0 }`, with `overrides` applied. */
export function createOpenAIClientOptions(
  server: Pick<ScriptedServer, 'openaiBaseURL'>,
  overrides: Partial<ScriptedClientOptions> = {},
): ScriptedClientOptions {
  return { baseURL: server.openaiBaseURL, apiKey: 'test-key', maxRetries: 0, ...overrides };
}

/** `{ baseURL: server.anthropicBaseURL, apiKey: 'test-key', maxRetries: 0 }`, with `overrides` applied. */
export function createAnthropicClientOptions(
  server: Pick<ScriptedServer, 'anthropicBaseURL'>,
  overrides: Partial<ScriptedClientOptions> = {},
): ScriptedClientOptions {
  return { baseURL: server.anthropicBaseURL, apiKey: 'test-key', maxRetries: 0, ...overrides };
}
