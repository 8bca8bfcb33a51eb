// The workload every configuration runs: the same requests, the same scripted replies, the same
// consumer code. Shared by the server child (the reply) and the worker children (the requests).

export const OPENAI_MODEL = 'gpt-4o-mini';
export const ANTHROPIC_MODEL = 'claude-sonnet-4-6';

const SYSTEM = 'You are a concise support assistant for an online shop. Answer in one short paragraph.';
const USER = 'Where is my order A-1001? It was supposed to arrive yesterday and the tracking page is empty.';

/** The scripted reply: ~190 characters, streamed 4 characters per delta (~48 content chunks). */
export const REPLY = {
  text:
    'Your order A-1001 left our warehouse on Monday and is with the carrier. Tracking pages can lag by a ' +
    'day; you should see an update by tonight. If not, reply here and I will open a claim.',
  chunkSize: 4,
};

export const OPERATIONS = ['chat', 'chat-stream', 'anthropic', 'anthropic-stream'];
export const PROVIDER_OF = {
  chat: 'openai',
  'chat-stream': 'openai',
  anthropic: 'anthropic',
  'anthropic-stream': 'anthropic',
};

export function chatParams(stream) {
  const params = {
    model: OPENAI_MODEL,
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: USER },
    ],
    temperature: 0.2,
    max_completion_tokens: 256,
  };
  if (stream) {
    params.stream = true;
    params.stream_options = { include_usage: true };
  }
  return params;
}

export function anthropicParams(stream) {
  const params = {
    model: ANTHROPIC_MODEL,
    max_tokens: 256,
    temperature: 0.2,
    system: SYSTEM,
    messages: [{ role: 'user', content: USER }],
  };
  if (stream) params.stream = true;
  return params;
}
