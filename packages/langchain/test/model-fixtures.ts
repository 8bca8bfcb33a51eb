// The real LangChain model classes, pointed at the scripted server (chat-models.test.ts).
import { ChatAnthropic } from '@langchain/anthropic';
import { ChatOpenAI, OpenAI, OpenAIEmbeddings } from '@langchain/openai';
import type { Harness } from './helpers';

type ChatOpenAIFields = ConstructorParameters<typeof ChatOpenAI>[0] & object;
type ChatAnthropicFields = ConstructorParameters<typeof ChatAnthropic>[0] & object;
type OpenAIFields = ConstructorParameters<typeof OpenAI>[0] & object;

/** A ChatOpenAI (Chat Completions) on the scripted server; no retries unless `fields` asks for them. */
export function chatOpenAI(h: Harness, fields: ChatOpenAIFields = {}): ChatOpenAI {
  return new ChatOpenAI({
    model: 'gpt-4o-mini',
    apiKey: 'sk-test',
    maxRetries: 0,
    configuration: { baseURL: h.server.openaiBaseURL },
    ...fields,
  });
}

/** A ChatAnthropic (Messages API) on the scripted server; no retries. */
export function chatAnthropic(h: Harness, fields: ChatAnthropicFields = {}): ChatAnthropic {
  return new ChatAnthropic({
    model: 'claude-3-5-haiku-latest',
    apiKey: 'sk-ant-test',
    maxRetries: 0,
    anthropicApiUrl: h.server.anthropicBaseURL,
    ...fields,
  });
}

/** The OpenAI LLM (legacy completions endpoint) on the scripted server; no retries. */
export function openAILLM(h: Harness, fields: OpenAIFields = {}): OpenAI {
  return new OpenAI({
    model: 'gpt-3.5-turbo-instruct',
    apiKey: 'sk-test',
    maxRetries: 0,
    configuration: { baseURL: h.server.openaiBaseURL },
    ...fields,
  });
}

/** OpenAIEmbeddings on the scripted server; no retries. */
export function openAIEmbeddings(h: Harness): OpenAIEmbeddings {
  return new OpenAIEmbeddings({
    model: 'text-embedding-3-small',
    apiKey: 'sk-test',
    maxRetries: 0,
    configuration: { baseURL: h.server.openaiBaseURL },
  });
}

/** Two OpenAI-format tool definitions (bound with `bindTools`). */
export const WEATHER_TOOLS = [
  {
    type: 'function' as const,
    function: {
      name: 'get_weather',
      description: 'The weather in a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
  {
    type: 'function' as const,
    function: {
      name: 'get_time',
      description: 'The time in a time zone',
      parameters: { type: 'object', properties: { tz: { type: 'string' } }, required: ['tz'] },
    },
  },
];
