import { configureContent, resetContentPolicy } from '../../src/content/policy';
import { MAX_METADATA_ATTRIBUTES, setMetadataAttributes } from '../../src/calls/metadata-attributes';

function recorder(): {
  attributes: Record<string, unknown>;
  setAttribute(key: string, value: unknown): void;
} {
  const attributes: Record<string, unknown> = {};
  return { attributes, setAttribute: (key, value) => void (attributes[key] = value) };
}

afterEach(() => resetContentPolicy());

describe('setMetadataAttributes', () => {
  it('writes primitives as they are and other values serialised, skipping null and undefined', () => {
    const span = recorder();
    setMetadataAttributes(span, {
      user: 'u1',
      tries: 2,
      vip: true,
      tags: ['a', 'b'],
      none: null,
      gone: undefined,
    });
    expect(span.attributes).toEqual({
      'agent_otel.metadata.user': 'u1',
      'agent_otel.metadata.tries': 2,
      'agent_otel.metadata.vip': true,
      'agent_otel.metadata.tags': '["a","b"]',
    });
  });

  it('skips what the parent already carries with the same value, and redacts secrets in serialised values', () => {
    const span = recorder();
    setMetadataAttributes(
      span,
      { user: 'u1', step: 2, auth: { api_key: 'sk-secret-value-123456' } },
      { user: 'u1', step: 1 },
    );
    expect(Object.keys(span.attributes).sort()).toEqual([
      'agent_otel.metadata.auth',
      'agent_otel.metadata.step',
    ]);
    expect(span.attributes['agent_otel.metadata.auth']).not.toContain('sk-secret-value-123456');
  });

  it(`writes at most ${MAX_METADATA_ATTRIBUTES} attributes, and caps serialised values by the content policy`, () => {
    configureContent({ maxAttributeLength: 64 });
    const span = recorder();
    const many = Object.fromEntries(
      Array.from({ length: 100 }, (_, index) => [`k${index}`, { text: 'x'.repeat(500) }]),
    );
    setMetadataAttributes(span, many);
    const values = Object.values(span.attributes) as string[];
    expect(values).toHaveLength(MAX_METADATA_ATTRIBUTES);
    expect(values.every((value) => value.length < 200)).toBe(true);
  });
});
