// Every value agent-otel records is bounded, cut values are marked, and the caller's values are
// never changed. The bounds are in src/content/attribute-limits.ts and the README's "Limits".
import { SpanStatusCode } from '@opentelemetry/api';
import { ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED } from '../../src/semconv';
import {
  MAX_ARRAY_ITEMS,
  MAX_METADATA_ENTRIES,
  MAX_METADATA_KEY_LENGTH,
  MAX_STACKTRACE_LENGTH,
  MAX_VALUE_LENGTH,
} from '../../src/content/attribute-limits';
import { DEFAULT_MAX_ATTRIBUTE_LENGTH } from '../../src/content/truncate';
import { withAgentSpan, withCustomSpan, withGenerationSpan, withToolSpan } from '../../src/kinds/factories';
import { withTrace } from '../../src/api/trace';
import { setupTracing, type TestTracing } from '../helpers';

const MARKER = /…\[truncated (\d+) chars\]$/;
const FIVE_MB = 5 * 1024 * 1024;

/** Asserts `value` is `original` cut to at most `max` with a marker that counts what was removed. */
function expectCut(value: unknown, original: string, max = MAX_VALUE_LENGTH): void {
  expect(typeof value).toBe('string');
  const text = value as string;
  expect(text.length).toBeLessThanOrEqual(max);
  const marker = MARKER.exec(text);
  expect(marker).not.toBeNull();
  const kept = text.slice(0, text.length - marker![0].length);
  expect(original.startsWith(kept)).toBe(true);
  expect(kept.length + Number(marker![1])).toBe(original.length);
}

let t: TestTracing;
beforeEach(() => {
  t = setupTracing('spans with huge or cut values, and model calls without a provider, on purpose');
});
afterEach(async () => {
  await t.shutdown();
});

describe('metadata', () => {
  it('caps a 5 MB metadata string and marks the span; the caller keeps the whole string', () => {
    const huge = 'm'.repeat(FIVE_MB);
    const metadata = { note: huge, tier: 'gold' };
    withTrace('run', { metadata }, () => undefined);
    const root = t.byName('invoke_workflow run');
    expectCut(root.attributes['agent_otel.metadata.note'], huge);
    expect(root.attributes['agent_otel.metadata.tier']).toBe('gold');
    expect(root.attributes[ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED]).toBe(true);
    expect(metadata.note).toBe(huge);
  });

  it('caps a metadata object as valid JSON', () => {
    withTrace('run', { metadata: { doc: { text: 'd'.repeat(FIVE_MB), list: [1, 2, 3] } } }, () => undefined);
    const value = t.byName('invoke_workflow run').attributes['agent_otel.metadata.doc'] as string;
    expect(value.length).toBeLessThanOrEqual(MAX_VALUE_LENGTH);
    expect(() => JSON.parse(value) as unknown).not.toThrow();
  });

  it(`records at most ${MAX_METADATA_ENTRIES} entries and caps long keys`, () => {
    const metadata: Record<string, string> = {};
    for (let i = 0; i < MAX_METADATA_ENTRIES * 3; i++) metadata[`k${i}`] = 'v';
    metadata['k'.repeat(FIVE_MB)] = 'long key';
    withTrace('many', { metadata }, () => undefined);
    const root = t.byName('invoke_workflow many');
    const keys = Object.keys(root.attributes).filter((key) => key.startsWith('agent_otel.metadata.'));
    expect(keys).toHaveLength(MAX_METADATA_ENTRIES);
    expect(root.attributes[ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED]).toBe(true);

    withTrace('long-key', { metadata: { ['k'.repeat(FIVE_MB)]: 'v' } }, () => undefined);
    const [longKey] = Object.keys(t.byName('invoke_workflow long-key').attributes).filter((key) =>
      key.startsWith('agent_otel.metadata.'),
    );
    expect(longKey!.length).toBeLessThanOrEqual('agent_otel.metadata.'.length + MAX_METADATA_KEY_LENGTH);
    expect(longKey).toMatch(MARKER);
    expect(t.byName('invoke_workflow long-key').attributes[ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED]).toBe(true);
  });
});

describe('names and ids', () => {
  it('caps span names, name attributes and ids, and marks the span', () => {
    const name = 'n'.repeat(100_000);
    const id = 'i'.repeat(100_000);
    withTrace(name, { groupId: id, traceId: id }, () => withAgentSpan({ name, id }, () => undefined));
    const [agent, root] = t.spans();
    expect(agent!.name.length).toBeLessThanOrEqual('invoke_agent '.length + MAX_VALUE_LENGTH);
    expect(agent!.name).toMatch(MARKER);
    expectCut(agent!.attributes['gen_ai.agent.name'], name);
    expectCut(agent!.attributes['agent_otel.agent.id'], id);
    expect(agent!.attributes[ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED]).toBe(true);
    expect(root!.name.length).toBeLessThanOrEqual('invoke_workflow '.length + MAX_VALUE_LENGTH);
    expectCut(root!.attributes['gen_ai.agent.name'], name);
    expectCut(root!.attributes['gen_ai.conversation.id'], id);
    expectCut(root!.attributes['agent_otel.source.trace_id'], id);
  });

  it('caps values a model call records when it ends', () => {
    const long = 'r'.repeat(50_000);
    withGenerationSpan({ model: 'm' }, (span) => span.update({ responseId: long, responseModel: long }));
    const span = t.byName('chat m');
    expectCut(span.attributes['gen_ai.response.id'], long);
    expectCut(span.attributes['gen_ai.response.model'], long);
    expect(span.attributes[ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED]).toBe(true);
  });
});

describe('error data', () => {
  it('caps the status message, exception message and stack; the error is not changed', () => {
    const error = new Error('e'.repeat(FIVE_MB));
    const stack = `Error: x\n${'    at frame (file.js:1:1)\n'.repeat(5000)}`;
    error.stack = stack;
    expect(() =>
      withToolSpan('fails', () => {
        throw error;
      }),
    ).toThrow(error);
    const span = t.byName('execute_tool fails');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expectCut(span.status.message, error.message);
    const exception = span.events.find((event) => event.name === 'exception')!;
    expectCut(exception.attributes!['exception.message'], error.message);
    expectCut(exception.attributes!['exception.stacktrace'], stack, MAX_STACKTRACE_LENGTH);
    expect(exception.attributes!['exception.type']).toBe('Error');
    expect(span.attributes[ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED]).toBe(true);
    expect(error.message).toHaveLength(FIVE_MB);
    expect(error.stack).toBe(stack);
  });

  it('caps a thrown string, a long error type and SpanError data', () => {
    const text = 's'.repeat(FIVE_MB);
    withCustomSpan('manual', (span) => {
      span.setError(text, 't'.repeat(10_000));
    });
    const span = t.byName('manual');
    expectCut(span.status.message, text);
    expectCut(span.attributes['error.type'], 't'.repeat(10_000));

    withCustomSpan('span-error', (s) =>
      s.setError({ message: 'failed', data: { body: 'b'.repeat(FIVE_MB) } }),
    );
    const data = t.byName('span-error').attributes['agent_otel.error.data'] as string;
    // Error data is content-like: capped by the content policy (default 16384), as valid JSON.
    expect(data.length).toBeLessThanOrEqual(DEFAULT_MAX_ATTRIBUTE_LENGTH);
    expect(() => JSON.parse(data) as unknown).not.toThrow();
  });
});

describe('arrays', () => {
  it(`keeps at most ${MAX_ARRAY_ITEMS} items, each capped; the caller's array is unchanged`, () => {
    const tools = Array.from({ length: 1000 }, (_, i) => `${i}:${'t'.repeat(MAX_VALUE_LENGTH)}`);
    const copy = [...tools];
    withAgentSpan({ name: 'a', tools }, () => undefined);
    const recorded = t.byName('invoke_agent a').attributes['agent_otel.agent.tools'] as string[];
    expect(recorded).toHaveLength(MAX_ARRAY_ITEMS);
    recorded.forEach((item, i) => expectCut(item, tools[i]!));
    expect(tools).toEqual(copy);
  });
});

describe('setAttribute', () => {
  it('caps a long string and marks the span; short values and arrays pass as they are', () => {
    const long = 'a'.repeat(FIVE_MB);
    withCustomSpan('attrs', (span) => {
      span.setAttribute('user.long', long);
      span.setAttribute('user.short', 'ok');
      span.setAttribute('user.list', ['x', 'y']);
    });
    const span = t.byName('attrs');
    expectCut(span.attributes['user.long'], long);
    expect(span.attributes['user.short']).toBe('ok');
    expect(span.attributes['user.list']).toEqual(['x', 'y']);
    expect(span.attributes[ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED]).toBe(true);
  });
});

describe('values within bounds', () => {
  it('are recorded whole, and the span is not marked', () => {
    const name = 'n'.repeat(MAX_VALUE_LENGTH);
    withTrace('ok', { metadata: { note: name } }, () =>
      withAgentSpan({ name, tools: ['a', 'b'] }, () => undefined),
    );
    for (const span of t.spans()) {
      expect(span.attributes[ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED]).toBeUndefined();
    }
    expect(t.byName(`invoke_agent ${name}`).attributes['gen_ai.agent.name']).toBe(name);
    expect(t.byName('invoke_workflow ok').attributes['agent_otel.metadata.note']).toBe(name);
  });

  it('custom data is capped by the content policy, not the shorter cap for names', () => {
    const text = 'c'.repeat(MAX_VALUE_LENGTH * 2);
    withCustomSpan({ name: 'data', data: { text } }, () => undefined);
    expect(t.byName('data').attributes['agent_otel.custom.data']).toBe(JSON.stringify({ text }));
  });
});
