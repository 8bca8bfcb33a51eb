import {
  boundedAttributeValue,
  capJsonText,
  capText,
  MAX_ARRAY_ITEMS,
  MAX_VALUE_LENGTH,
} from '../../src/content/attribute-limits';

const MARKER = /…\[truncated (\d+) chars\]$/;

describe('boundedAttributeValue', () => {
  it('returns values within bounds themselves (same identity)', () => {
    const short = 'a'.repeat(MAX_VALUE_LENGTH);
    const array = ['stop', 'length'];
    const numbers = [1, 2, 3];
    expect(boundedAttributeValue(short)).toBe(short);
    expect(boundedAttributeValue(array)).toBe(array);
    expect(boundedAttributeValue(numbers)).toBe(numbers);
    expect(boundedAttributeValue(42)).toBe(42);
    expect(boundedAttributeValue(false)).toBe(false);
  });

  it('cuts a long string to the cap with the content truncation marker', () => {
    const long = 'x'.repeat(MAX_VALUE_LENGTH * 3);
    const bounded = boundedAttributeValue(long) as string;
    expect(bounded.length).toBeLessThanOrEqual(MAX_VALUE_LENGTH);
    const removed = Number(MARKER.exec(bounded)?.[1]);
    expect(bounded.length - MARKER.exec(bounded)![0].length + removed).toBe(long.length);
  });

  it('never splits a surrogate pair', () => {
    const emoji = '😀'.repeat(MAX_VALUE_LENGTH);
    const bounded = capText(emoji);
    expect(bounded.replace(MARKER, '')).toMatch(/^(😀)+$/u);
  });

  it('keeps at most MAX_ARRAY_ITEMS items, each capped, in a copy', () => {
    const items = Array.from({ length: MAX_ARRAY_ITEMS * 4 }, () => 'y'.repeat(MAX_VALUE_LENGTH + 10));
    const bounded = boundedAttributeValue(items) as string[];
    expect(bounded).not.toBe(items);
    expect(bounded).toHaveLength(MAX_ARRAY_ITEMS);
    for (const item of bounded) expect(item).toMatch(MARKER);
    expect(items).toHaveLength(MAX_ARRAY_ITEMS * 4);
    expect(items[0]).toHaveLength(MAX_VALUE_LENGTH + 10);
  });

  it('leaves out array items that are not primitives or not finite', () => {
    expect(boundedAttributeValue(['a', { b: 1 }, NaN, 'c', () => 1])).toEqual(['a', 'c']);
  });

  it('records nothing for NaN, ±Infinity, null, undefined, functions and symbols', () => {
    for (const value of [NaN, Infinity, -Infinity, null, undefined, () => 1, Symbol('s')]) {
      expect(boundedAttributeValue(value)).toBeUndefined();
    }
  });

  it('records nothing for a revoked Proxy or an array Proxy whose traps throw', () => {
    const { proxy, revoke } = Proxy.revocable([], {});
    revoke();
    const throwing = new Proxy([], {
      get() {
        throw new Error('trap');
      },
    });
    expect(boundedAttributeValue(proxy)).toBeUndefined();
    expect(boundedAttributeValue(throwing)).toBeUndefined();
  });

  it('records a bigint as its digits and a plain object as capped, valid JSON', () => {
    expect(boundedAttributeValue(10n ** 20n)).toBe('100000000000000000000');
    const json = boundedAttributeValue({ text: 'z'.repeat(MAX_VALUE_LENGTH * 2) }) as string;
    expect(json.length).toBeLessThanOrEqual(MAX_VALUE_LENGTH);
    expect(() => JSON.parse(json) as unknown).not.toThrow();
  });
});

describe('capJsonText', () => {
  it('keeps JSON valid when it cuts', () => {
    const json = JSON.stringify({ list: Array.from({ length: 2000 }, (_, i) => `item ${i}`) });
    const capped = capJsonText(json);
    expect(capped.length).toBeLessThanOrEqual(MAX_VALUE_LENGTH);
    expect(() => JSON.parse(capped) as unknown).not.toThrow();
    expect(capJsonText('{"a":1}')).toBe('{"a":1}');
  });
});
