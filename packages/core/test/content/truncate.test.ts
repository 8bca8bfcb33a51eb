import { truncateJson, truncateJsonValue, truncateText } from '../../src/content/truncate';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every string inside a parsed JSON value, keys included. */
function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((item) => allStrings(item, out));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      allStrings(item, out);
    }
  }
  return out;
}

describe('truncateText', () => {
  it('returns a short string unchanged and not truncated', () => {
    expect(truncateText('hello', { maxLength: 5 })).toEqual({ value: 'hello', truncated: false });
  });

  it('cuts a long string to maxLength with a marker counting the removed characters', () => {
    const { value, truncated } = truncateText('a'.repeat(1000), { maxLength: 100 });
    expect(truncated).toBe(true);
    expect(value.length).toBeLessThanOrEqual(100);
    const match = /^(a*)…\[truncated (\d+) chars\]$/.exec(value);
    expect(match).not.toBeNull();
    expect(match![1]!.length + Number(match![2])).toBe(1000);
  });

  it('never splits a surrogate pair', () => {
    const emoji = '😀'.repeat(500); // 1000 code units
    for (let max = 20; max < 60; max++) {
      const { value } = truncateText(emoji, { maxLength: max });
      expect(value.length).toBeLessThanOrEqual(max);
      expect(LONE_SURROGATE.test(value)).toBe(false);
    }
  });

  it('falls back to an ellipsis when the marker does not fit, and to "" at zero', () => {
    expect(truncateText('abcdefghijklmnopqrstuvwxyz0123456789', { maxLength: 5 }).value).toBe('abcd…');
    expect(truncateText('abc', { maxLength: 0 })).toEqual({ value: '', truncated: true });
  });

  it('reports the original size when a cut string is cut again', () => {
    const once = truncateText('b'.repeat(10_000), { maxLength: 1000 }).value;
    const twice = truncateText(once, { maxLength: 100 }).value;
    const match = /^(b*)…\[truncated (\d+) chars\]$/.exec(twice);
    expect(match![1]!.length + Number(match![2])).toBe(10_000);
  });
});

describe('truncateJson', () => {
  it('returns a document within the limit unchanged', () => {
    const json = JSON.stringify({ a: [1, 2, 3] });
    expect(truncateJson(json, { maxLength: json.length })).toEqual({ value: json, truncated: false });
  });

  it('shortens the longest string first and leaves short strings whole', () => {
    const json = JSON.stringify({ short: 'keep me', long: 'y'.repeat(5000), medium: 'z'.repeat(200) });
    const { value, truncated } = truncateJson(json, { maxLength: 1000 });
    expect(truncated).toBe(true);
    expect(value.length).toBeLessThanOrEqual(1000);
    const out = JSON.parse(value);
    expect(out.short).toBe('keep me');
    expect(out.medium).toBe('z'.repeat(200));
    expect(out.long).toMatch(/^y+…\[truncated \d+ chars\]$/);
  });

  it('drops trailing array items with a "[… N more]" marker when shortening strings is not enough', () => {
    const json = JSON.stringify(Array.from({ length: 500 }, (_, i) => i));
    const out = JSON.parse(truncateJson(json, { maxLength: 100 }).value) as unknown[];
    expect(out[0]).toBe(0);
    expect(out[out.length - 1]).toMatch(/^\[… \d+ more\]$/);
    const kept = out.length - 1;
    expect(out[out.length - 1]).toBe(`[… ${500 - kept} more]`);
  });

  it('drops trailing object entries with a "…" marker entry', () => {
    const json = JSON.stringify(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`key${i}`, i])));
    const out = JSON.parse(truncateJson(json, { maxLength: 120 }).value);
    expect(out.key0).toBe(0);
    expect(out['…']).toMatch(/^\[… \d+ more\]$/);
  });

  it('returns a JSON string literal for text that is not JSON', () => {
    const { value } = truncateJson(`not json ${'x'.repeat(500)}`, { maxLength: 60 });
    expect(value.length).toBeLessThanOrEqual(60);
    expect(JSON.parse(value)).toMatch(/^not json x+…\[truncated \d+ chars\]$/);
  });

  it('records a placeholder when not even the first entry fits', () => {
    const json = JSON.stringify({ [`k${'x'.repeat(100)}`]: 1 });
    expect(truncateJson(json, { maxLength: 40 }).value).toBe(`"[truncated: ${json.length} chars]"`);
  });

  it('drops a nested container whose first entry cannot fit instead of recording it empty', () => {
    const json = JSON.stringify({ text: 'x'.repeat(60), list: ['y'.repeat(80)] });
    const out = JSON.parse(truncateJson(json, { maxLength: 90 }).value);
    expect(out).toEqual({ text: expect.stringMatching(/^x+…\[truncated \d+ chars\]$/), '…': '[… 1 more]' });
  });

  it('falls back to ever smaller placeholders for a scalar that cannot be cut', () => {
    const digits = '1'.repeat(40);
    expect(truncateJson(digits, { maxLength: 30 }).value).toBe('"[truncated: 40 chars]"');
    expect(truncateJson(digits, { maxLength: 15 }).value).toBe('"[truncated]"');
    expect(truncateJson(digits, { maxLength: 5 }).value).toBe('""');
  });

  const shapes: Record<string, (n: number) => unknown> = {
    'array of strings': (n) => Array.from({ length: n }, (_, i) => `item ${i} ${'s'.repeat(i % 50)}`),
    'array of numbers': (n) => Array.from({ length: n * 3 }, (_, i) => i * 1.5),
    'nested objects': (n) => {
      let node: unknown = { leaf: 'L'.repeat(n) };
      for (let i = 0; i < 20; i++) node = { [`level${i}`]: node, sibling: [i, `v${i}`] };
      return node;
    },
    'escape-heavy strings': (n) => ({ text: '"\\\n\t\u0001'.repeat(n), more: ['\u0000'.repeat(n)] }),
    'emoji strings': (n) => ({ text: '😀a'.repeat(n), list: ['🎉'.repeat(n), 'b'] }),
    'long keys': (n) => Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`${'k'.repeat(n)}${i}`, i])),
    'mixed messages': (n) =>
      Array.from({ length: 10 }, (_, i) => ({
        role: i % 2 ? 'assistant' : 'user',
        parts: [
          { type: 'text', content: 'm'.repeat(n * i) },
          { type: 'tool_call', arguments: { q: 'x'.repeat(n) } },
        ],
      })),
    'single long string': (n) => 'q'.repeat(n * 10),
  };
  const sizes = [2, 3, 5, 8, 13, 20, 30, 50, 64, 100, 257, 1000, 4096];

  it.each(Object.entries(shapes))('keeps %s parseable and within every limit', (_name, make) => {
    for (const n of [1, 10, 100, 1000]) {
      const json = JSON.stringify(make(n));
      for (const maxLength of sizes) {
        const { value, truncated } = truncateJson(json, { maxLength });
        expect(value.length).toBeLessThanOrEqual(maxLength);
        expect(truncated).toBe(json.length > maxLength);
        const parsed: unknown = JSON.parse(value);
        for (const text of allStrings(parsed)) expect(LONE_SURROGATE.test(text)).toBe(false);
      }
    }
  });
});

describe('truncateJsonValue', () => {
  it('serialises a tree within the limit without cutting anything', () => {
    expect(truncateJsonValue({ a: 'b' }, { maxLength: 100 })).toEqual({
      value: '{"a":"b"}',
      truncated: false,
    });
  });

  it('treats an invalid maxLength as the default instead of throwing', () => {
    const { value } = truncateJsonValue({ a: 'x'.repeat(20_000) }, { maxLength: Number.NaN });
    expect(value.length).toBeLessThanOrEqual(16384);
    expect(value.length).toBeGreaterThan(16000);
  });
});
