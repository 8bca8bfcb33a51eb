import { toChatMessages, toOutputMessages, type ChatMessage } from '../../src/content/messages';

describe('toChatMessages', () => {
  it('turns a bare string into one user text message', () => {
    expect(toChatMessages('hi')).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }]);
  });

  it('returns no messages for null and undefined', () => {
    expect(toChatMessages(null)).toEqual([]);
    expect(toChatMessages(undefined)).toEqual([]);
  });

  it('converts {role, content: string} messages and keeps the name', () => {
    expect(
      toChatMessages([
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hello', name: 'ann' },
      ]),
    ).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'be brief' }] },
      { role: 'user', parts: [{ type: 'text', content: 'hello' }], name: 'ann' },
    ]);
  });

  it('converts content part arrays with {type: "text", text}', () => {
    expect(
      toChatMessages({
        role: 'user',
        content: [{ type: 'text', text: 'a' }, { type: 'input_text', text: 'b' }, 'c'],
      }),
    ).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'a' },
          { type: 'text', content: 'b' },
          { type: 'text', content: 'c' },
        ],
      },
    ]);
  });

  it('keeps messages that already have GenAI parts', () => {
    const messages: ChatMessage[] = [
      {
        role: 'assistant',
        parts: [
          { type: 'text', content: 'calling' },
          { type: 'tool_call', id: 'c1', name: 'search', arguments: { q: 'x' } },
          { type: 'uri', modality: 'image', uri: 'https://example.com/a.png' },
        ],
      },
    ];
    expect(toChatMessages(messages)).toEqual(messages);
  });

  it('parses JSON-string tool-call arguments into objects and keeps other strings', () => {
    const [message] = toChatMessages({
      role: 'assistant',
      parts: [
        { type: 'tool_call', id: '1', name: 'a', arguments: '{"city":"Paris"}' },
        { type: 'tool_call', id: '2', name: 'b', arguments: '{"partial": ' },
        { type: 'tool_call', id: '3', name: 'c', arguments: 'plain' },
      ],
    });
    expect(message!.parts.map((part) => (part as { arguments?: unknown }).arguments)).toEqual([
      { city: 'Paris' },
      '{"partial": ',
      'plain',
    ]);
  });

  it('does not pollute prototypes when parsing tool-call arguments', () => {
    const [message] = toChatMessages({
      role: 'assistant',
      parts: [{ type: 'tool_call', name: 'x', arguments: '{"__proto__":{"polluted":true}}' }],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys((message!.parts[0] as { arguments: object }).arguments)).toEqual(['__proto__']);
  });

  it('converts OpenAI tool_calls and tool messages', () => {
    expect(
      toChatMessages([
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"c":"Oslo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'rainy' },
      ]),
    ).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { c: 'Oslo' } }],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'rainy' }] },
    ]);
  });

  it('converts Anthropic tool_use, tool_result and thinking blocks', () => {
    const [assistant, user] = toChatMessages([
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'hmm' },
          { type: 'tool_use', id: 'tu1', name: 'calc', input: { x: 1 } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tu1', content: '2' }] },
    ]);
    expect(assistant!.parts).toEqual([
      { type: 'reasoning', content: 'hmm' },
      { type: 'tool_call', id: 'tu1', name: 'calc', arguments: { x: 1 } },
    ]);
    expect(user!.parts).toEqual([{ type: 'tool_call_response', id: 'tu1', response: '2' }]);
  });

  it('replaces base64 blobs longer than 1024 characters with a size and mime placeholder', () => {
    const big = 'A'.repeat(4000);
    const [message] = toChatMessages({
      role: 'user',
      parts: [
        { type: 'blob', mime_type: 'audio/wav', modality: 'audio', content: big },
        { type: 'blob', mime_type: 'image/png', modality: 'image', content: 'iVBORw0KGgo=' },
        { type: 'blob', modality: 'image', content: new Uint8Array(10) },
      ],
    });
    expect(message!.parts).toEqual([
      { type: 'blob', mime_type: 'audio/wav', modality: 'audio', content: '[binary 3000 bytes, audio/wav]' },
      { type: 'blob', mime_type: 'image/png', modality: 'image', content: 'iVBORw0KGgo=' },
      { type: 'blob', modality: 'image', content: '[binary 10 bytes]' },
    ]);
  });

  it('converts OpenAI image_url parts into uri or blob parts', () => {
    const dataUrl = `data:image/jpeg;base64,${'B'.repeat(2000)}`;
    const [message] = toChatMessages({
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        { type: 'image_url', image_url: { url: dataUrl } },
      ],
    });
    expect(message!.parts).toEqual([
      { type: 'uri', modality: 'image', uri: 'https://example.com/cat.jpg' },
      {
        type: 'blob',
        mime_type: 'image/jpeg',
        modality: 'image',
        content: '[binary 1500 bytes, image/jpeg]',
      },
    ]);
  });

  it('wraps anything else in one message with a generic part holding the JSON-safe value', () => {
    const circular: Record<string, unknown> = { id: 7 };
    circular.self = circular;
    expect(toChatMessages(42)).toEqual([{ role: 'user', parts: [{ type: 'generic', content: 42 }] }]);
    expect(toChatMessages(circular)).toEqual([
      { role: 'user', parts: [{ type: 'generic', content: { id: 7, self: '[Circular]' } }] },
    ]);
  });

  it('keeps unknown typed parts with their fields', () => {
    const [message] = toChatMessages({ role: 'user', content: [{ type: 'video_frame', ts: 1.5, big: 10n }] });
    expect(message!.parts).toEqual([{ type: 'video_frame', ts: 1.5, big: '10' }]);
  });

  it('never throws, and keeps the good messages next to one whose getters throw', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('nope');
        },
        has: () => {
          throw new Error('nope');
        },
        ownKeys: () => {
          throw new Error('nope');
        },
      },
    );
    const messages = toChatMessages(['ok', hostile]);
    expect(messages[0]).toEqual({ role: 'user', parts: [{ type: 'text', content: 'ok' }] });
    expect(messages[1]!.parts[0]).toEqual({
      type: 'generic',
      content: expect.stringMatching(/^\[Unserializable: /),
    });
    expect(() => toChatMessages(hostile)).not.toThrow();
  });
});

describe('toOutputMessages', () => {
  it('turns a string into one assistant message that finished with "stop"', () => {
    expect(toOutputMessages('hello')).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'hello' }], finish_reason: 'stop' },
    ]);
  });

  it('uses the given finish reason unless the message has its own, mapping provider values', () => {
    expect(toOutputMessages('cut', 'length')[0]!.finish_reason).toBe('length');
    expect(
      toOutputMessages({ role: 'assistant', content: 'x', stop_reason: 'tool_use' })[0]!.finish_reason,
    ).toBe('tool_call');
    expect(
      toOutputMessages({ content: 'x', finish_reason: 'content_filter' }, 'length')[0]!.finish_reason,
    ).toBe('content_filter');
  });

  it('reads an OpenAI Chat Completions response through its choices', () => {
    const response = {
      id: 'chatcmpl-1',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
        },
      ],
    };
    expect(toOutputMessages(response)).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 't', name: 'f', arguments: {} }],
        finish_reason: 'tool_call',
      },
    ]);
  });

  it('returns no messages for undefined and a generic message for anything else', () => {
    expect(toOutputMessages(undefined)).toEqual([]);
    expect(toOutputMessages(3.5)).toEqual([
      { role: 'assistant', parts: [{ type: 'generic', content: 3.5 }], finish_reason: 'stop' },
    ]);
  });
});
