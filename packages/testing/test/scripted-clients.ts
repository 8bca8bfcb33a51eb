import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import {
  createAnthropicClientOptions,
  createOpenAIClientOptions,
  startScriptedServer,
  type ScriptedServer,
} from '../src/index.js';

// The real `openai` and `@anthropic-ai/sdk` clients against one scripted server, shared by the tests
// of a file (live bindings: set once `useScriptedClients`' `beforeAll` has run).
export let server: ScriptedServer;
export let openai: OpenAI;
export let anthropic: Anthropic;

/** Starts the server and both clients before the file's tests, resets it after each, closes it after all. */
export function useScriptedClients(): void {
  beforeAll(async () => {
    server = await startScriptedServer();
    openai = new OpenAI(createOpenAIClientOptions(server));
    anthropic = new Anthropic(createAnthropicClientOptions(server));
  });
  afterEach(() => server.reset());
  afterAll(() => server.close());
}

/** A minimal Chat Completions request. */
export const chat = { model: 'gpt-test', messages: [{ role: 'user' as const, content: 'hi' }] };

/** A minimal Messages request. */
export const messages = {
  model: 'claude-test',
  max_tokens: 64,
  messages: [{ role: 'user' as const, content: 'hi' }],
};
