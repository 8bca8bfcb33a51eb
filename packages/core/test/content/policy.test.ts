import {
  CAPTURE_MESSAGE_CONTENT_ENV,
  CONTENT_MAX_LENGTH_ENV,
  configureContent,
  createContentPolicy,
  getContentPolicy,
  parseCaptureMode,
  resetContentPolicy,
} from '../../src/content/policy';
import { redactApiKeys, redactEmails } from '../../src/content/redact';
import type { ContentCaptureMode } from '../../src/content/types';
import { useDiagCapture } from './diag-capture';

const diagLog = useDiagCapture();

describe('parseCaptureMode', () => {
  it.each<[string | boolean | undefined, ContentCaptureMode]>([
    ['NO_CONTENT', 'NO_CONTENT'],
    ['no_content', 'NO_CONTENT'],
    ['SPAN_ONLY', 'SPAN_ONLY'],
    ['Span_Only', 'SPAN_ONLY'],
    ['EVENT_ONLY', 'EVENT_ONLY'],
    ['event_only', 'EVENT_ONLY'],
    ['SPAN_AND_EVENT', 'SPAN_AND_EVENT'],
    [' span_and_event ', 'SPAN_AND_EVENT'],
    [true, 'SPAN_ONLY'],
    ['true', 'SPAN_ONLY'],
    ['TRUE', 'SPAN_ONLY'],
    ['1', 'SPAN_ONLY'],
    ['yes', 'SPAN_ONLY'],
    ['Yes', 'SPAN_ONLY'],
    [false, 'NO_CONTENT'],
    ['false', 'NO_CONTENT'],
    ['False', 'NO_CONTENT'],
    ['0', 'NO_CONTENT'],
    ['no', 'NO_CONTENT'],
    ['NO', 'NO_CONTENT'],
    [undefined, 'NO_CONTENT'],
    ['', 'NO_CONTENT'],
  ])('parses %j as %s without warning', (raw, expected) => {
    expect(parseCaptureMode(raw)).toBe(expected);
    expect(diagLog.warnings()).toEqual([]);
  });

  it('fails closed on an unknown value with one warning naming the variable, value and accepted values', () => {
    expect(parseCaptureMode('everything')).toBe('NO_CONTENT');
    const warnings = diagLog.warnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(CAPTURE_MESSAGE_CONTENT_ENV);
    expect(warnings[0]).toContain('"everything"');
    expect(warnings[0]).toContain('SPAN_AND_EVENT');
    expect(warnings[0]).toContain('true/false');
  });

  it('names the given source in the warning', () => {
    parseCaptureMode(42 as unknown as string, { source: 'captureMode option' });
    expect(diagLog.warnings()[0]).toContain('captureMode option=42');
  });
});

describe('createContentPolicy', () => {
  it('defaults to NO_CONTENT, 16384 characters and no warnings with an empty environment', () => {
    const policy = createContentPolicy(undefined, {});
    expect(policy).toMatchObject({
      mode: 'NO_CONTENT',
      captureOnSpan: false,
      captureOnEvent: false,
      maxAttributeLength: 16384,
    });
    expect(diagLog.warnings()).toEqual([]);
  });

  it.each<[ContentCaptureMode, boolean, boolean]>([
    ['NO_CONTENT', false, false],
    ['SPAN_ONLY', true, false],
    ['EVENT_ONLY', false, true],
    ['SPAN_AND_EVENT', true, true],
  ])('derives the destinations of %s', (mode, onSpan, onEvent) => {
    const policy = createContentPolicy({ captureMode: mode }, {});
    expect([policy.captureOnSpan, policy.captureOnEvent]).toEqual([onSpan, onEvent]);
  });

  it('reads the capture mode and max length from the environment', () => {
    const policy = createContentPolicy(undefined, {
      [CAPTURE_MESSAGE_CONTENT_ENV]: 'span_and_event',
      [CONTENT_MAX_LENGTH_ENV]: ' 100 ',
    });
    expect(policy.mode).toBe('SPAN_AND_EVENT');
    expect(policy.maxAttributeLength).toBe(100);
  });

  it('lets options override the environment', () => {
    const env = { [CAPTURE_MESSAGE_CONTENT_ENV]: 'true', [CONTENT_MAX_LENGTH_ENV]: '100' };
    const policy = createContentPolicy({ captureMode: 'EVENT_ONLY', maxAttributeLength: 50 }, env);
    expect(policy.mode).toBe('EVENT_ONLY');
    expect(policy.maxAttributeLength).toBe(50);
    expect(createContentPolicy({ captureMode: false }, env).mode).toBe('NO_CONTENT');
  });

  it.each(['abc', '0', '-5', '1.5', '1e3', '99999999999999999999'])(
    'warns naming the variable and keeps 16384 for %j',
    (bad) => {
      expect(createContentPolicy(undefined, { [CONTENT_MAX_LENGTH_ENV]: bad }).maxAttributeLength).toBe(
        16384,
      );
      const warnings = diagLog.warnings();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(CONTENT_MAX_LENGTH_ENV);
    },
  );

  it('warns about an invalid maxAttributeLength option and falls back to the environment', () => {
    const policy = createContentPolicy({ maxAttributeLength: -1 }, { [CONTENT_MAX_LENGTH_ENV]: '300' });
    expect(policy.maxAttributeLength).toBe(300);
    expect(diagLog.warnings()).toHaveLength(1);
  });

  it('returns a frozen policy', () => {
    expect(Object.isFrozen(createContentPolicy(undefined, {}))).toBe(true);
  });
});

describe('ContentPolicy.serialize', () => {
  const policy = createContentPolicy({ captureMode: 'SPAN_ONLY' }, {});

  it('records a string as itself, not JSON-quoted', () => {
    expect(policy.serialize('hello "there"', 'input.messages')).toEqual({
      value: 'hello "there"',
      truncated: false,
    });
  });

  it('records other values as JSON', () => {
    expect(policy.serialize({ a: [1, 2n] }, 'custom.data')).toEqual({
      value: '{"a":[1,"2"]}',
      truncated: false,
    });
    expect(policy.serialize(undefined, 'other').value).toBe('null');
  });

  it('redacts API keys by default but not emails', () => {
    const text = 'key sk-abcdefghijklmnopqrstuvwxyz0123456789 for jane@example.com';
    expect(policy.serialize(text, 'other').value).toBe('key [REDACTED:api_key] for jane@example.com');
  });

  it('redacts emails when opted in', () => {
    const withEmails = createContentPolicy({ redactors: [redactApiKeys, redactEmails] }, {});
    expect(withEmails.serialize({ to: 'jane@example.com' }, 'other').value).toBe('{"to":"[REDACTED:email]"}');
  });

  it('caps a value to maxAttributeLength, keeps it parseable and flags it', () => {
    const small = createContentPolicy({ maxAttributeLength: 200 }, {});
    const result = small.serialize({ items: Array.from({ length: 100 }, (_, i) => `item-${i}`) }, 'other');
    expect(result.truncated).toBe(true);
    expect(result.value.length).toBeLessThanOrEqual(200);
    expect(() => JSON.parse(result.value)).not.toThrow();
  });

  it('cuts a huge string and reports how much of the original was removed', () => {
    const small = createContentPolicy({ maxAttributeLength: 1000 }, {});
    const result = small.serialize('z'.repeat(1_000_000), 'tool.call.result');
    expect(result.truncated).toBe(true);
    expect(result.value.length).toBeLessThanOrEqual(1000);
    const match = /^(z+)…\[truncated (\d+) chars\]$/.exec(result.value);
    expect(match![1]!.length + Number(match![2])).toBe(1_000_000);
  });

  it('still redacts a key that straddles the cut of a huge string', () => {
    const small = createContentPolicy({ maxAttributeLength: 100 }, {});
    const text = `${'a '.repeat(30)}sk-abcdefghijklmnopqrstuvwxyz0123456789 ${'b'.repeat(100_000)}`;
    const { value } = small.serialize(text, 'other');
    expect(value).not.toContain('sk-abc');
    expect(value.length).toBeLessThanOrEqual(100);
  });

  it('never throws on hostile input', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(JSON.parse(policy.serialize(proxy, 'other').value)).toMatch(/^\[Unserializable: /);
  });
});

describe('the process-wide policy', () => {
  const key = Symbol.for('agent_otel.core.content_policy');
  const saved = process.env[CAPTURE_MESSAGE_CONTENT_ENV];

  afterEach(() => {
    resetContentPolicy();
    if (saved === undefined) delete process.env[CAPTURE_MESSAGE_CONTENT_ENV];
    else process.env[CAPTURE_MESSAGE_CONTENT_ENV] = saved;
  });

  it('is created from the environment on first use and cached', () => {
    resetContentPolicy();
    process.env[CAPTURE_MESSAGE_CONTENT_ENV] = 'EVENT_ONLY';
    const first = getContentPolicy();
    expect(first.mode).toBe('EVENT_ONLY');
    process.env[CAPTURE_MESSAGE_CONTENT_ENV] = 'SPAN_ONLY';
    expect(getContentPolicy()).toBe(first);
  });

  it('is replaced by configureContent and stored in the box under the shared global symbol', () => {
    const configured = configureContent({ captureMode: 'SPAN_AND_EVENT', maxAttributeLength: 77 });
    expect(getContentPolicy()).toBe(configured);
    expect((globalThis as Record<symbol, { value?: unknown }>)[key]?.value).toBe(configured);
    expect(configured.maxAttributeLength).toBe(77);
  });

  it('is re-read from the environment after resetContentPolicy', () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    resetContentPolicy();
    expect((globalThis as Record<symbol, { value?: unknown }>)[key]?.value).toBeUndefined();
    process.env[CAPTURE_MESSAGE_CONTENT_ENV] = 'no';
    expect(getContentPolicy().mode).toBe('NO_CONTENT');
  });
});
