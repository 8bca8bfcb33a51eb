import { safeString, safeStringify, toJsonSafe } from '../../src/content/safe-serialize';
import { createRedactionEngine, redactApiKeys } from '../../src/content/redact';

const parse = (text: string): any => JSON.parse(text);

describe('safeStringify', () => {
  it('matches JSON.stringify for plain JSON-able values', () => {
    const value = { a: 1, b: 'two', c: [true, null, { d: 1.5 }], e: {} };
    expect(safeStringify(value)).toBe(JSON.stringify(value));
  });

  it('records a cycle as "[Circular]" and keeps the rest', () => {
    const node: any = { name: 'root', list: [] };
    node.self = node;
    node.list.push(node, 1);
    expect(parse(safeStringify(node))).toEqual({ name: 'root', list: ['[Circular]', 1], self: '[Circular]' });
  });

  it('serialises a shared but acyclic reference every time it appears', () => {
    const shared = { x: 1 };
    expect(parse(safeStringify({ a: shared, b: shared }))).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  it('records BigInt as its exact decimal string', () => {
    expect(parse(safeStringify({ big: 12345678901234567890n, neg: -5n }))).toEqual({
      big: '12345678901234567890',
      neg: '-5',
    });
  });

  it.each([
    ['Buffer', Buffer.from('hello'), 5],
    ['Uint8Array', new Uint8Array(7), 7],
    ['Float64Array', new Float64Array(3), 24],
    ['DataView', new DataView(new ArrayBuffer(9)), 9],
    ['ArrayBuffer', new ArrayBuffer(11), 11],
    ['SharedArrayBuffer', new SharedArrayBuffer(4), 4],
  ])('records %s as its size, never its bytes', (_name, value, bytes) => {
    expect(parse(safeStringify({ data: value }))).toEqual({ data: `[binary ${bytes} bytes]` });
  });

  it('records a Map as an object of its entries, stringifying non-string keys', () => {
    const map = new Map<unknown, unknown>([
      ['a', 1],
      [2, 'two'],
      [{ k: 1 }, true],
    ]);
    expect(parse(safeStringify(map))).toEqual({ a: 1, '2': 'two', '{"k":1}': true });
  });

  it('records a Set as an array', () => {
    expect(parse(safeStringify(new Set([1, 'a', undefined])))).toEqual([1, 'a', null]);
  });

  it('records dates as ISO strings, invalid dates and RegExps by name', () => {
    const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(parse(safeStringify({ date, bad: new Date(NaN), re: /a+b/gi }))).toEqual({
      date: '2024-01-02T03:04:05.000Z',
      bad: 'Invalid Date',
      re: '/a+b/gi',
    });
  });

  it('records an Error as name, message, stack, cause and its own fields', () => {
    const error = Object.assign(new TypeError('bad thing', { cause: new Error('root') }), { code: 'E42' });
    const out = parse(safeStringify(error));
    expect(out).toMatchObject({ name: 'TypeError', message: 'bad thing', code: 'E42' });
    expect(out.stack).toContain('bad thing');
    expect(out.cause).toMatchObject({ name: 'Error', message: 'root' });
  });

  it('records a Proxy of an Error whose message getter throws, keeping its other fields', () => {
    const hostile = new Proxy(new RangeError('hidden'), {
      get(target, key) {
        if (key === 'message' || key === 'stack') throw new Error('getter exploded');
        return Reflect.get(target, key);
      },
    });
    expect(parse(safeStringify(hostile))).toEqual({
      name: 'RangeError',
      message: '[Unserializable: getter exploded]',
      stack: '[Unserializable: getter exploded]',
    });
  });

  it('records functions and classes by name', () => {
    function namedFn(): void {}
    class Widget {}
    const anonymous = [(): number => 1][0];
    expect(parse(safeStringify({ f: namedFn, c: Widget, a: anonymous }))).toEqual({
      f: '[Function namedFn]',
      c: '[Function Widget]',
      a: '[Function anonymous]',
    });
  });

  it('records symbols by description and skips symbol keys', () => {
    const value = { s: Symbol('tag'), [Symbol('hidden')]: 1, kept: 2 };
    expect(parse(safeStringify(value))).toEqual({ s: 'Symbol(tag)', kept: 2 });
  });

  it('records undefined as null in arrays, omits it in objects and at the root', () => {
    expect(safeStringify([1, undefined, 3])).toBe('[1,null,3]');
    expect(safeStringify({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(safeStringify(undefined)).toBe('null');
  });

  it('records NaN and infinities by name instead of null', () => {
    expect(parse(safeStringify([NaN, Infinity, -Infinity, -0]))).toEqual(['NaN', 'Infinity', '-Infinity', 0]);
  });

  it('records a throwing getter as "[Unserializable: …]" and keeps the other properties', () => {
    const value = {
      before: 1,
      get broken(): never {
        throw new Error('getter exploded');
      },
      after: 2,
    };
    expect(parse(safeStringify(value))).toEqual({
      before: 1,
      broken: '[Unserializable: getter exploded]',
      after: 2,
    });
  });

  it('records a Proxy whose traps all throw as unserializable, for that property only', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('get trap');
        },
        ownKeys: () => {
          throw new Error('ownKeys trap');
        },
        getPrototypeOf: () => {
          throw new Error('proto trap');
        },
        has: () => {
          throw new Error('has trap');
        },
      },
    );
    const out = parse(safeStringify({ ok: 'yes', hostile, list: [hostile, 2] }));
    expect(out.ok).toBe('yes');
    expect(out.hostile).toMatch(/^\[Unserializable: .*trap\]$/);
    expect(out.list[0]).toMatch(/^\[Unserializable: /);
    expect(out.list[1]).toBe(2);
  });

  it('records only the keys whose Proxy get trap throws', () => {
    const proxy = new Proxy(
      { a: 1, secretish: 2, c: 3 },
      {
        get(target, key, receiver) {
          if (key === 'secretish') throw new Error('no access');
          return Reflect.get(target, key, receiver);
        },
      },
    );
    expect(parse(safeStringify(proxy))).toEqual({ a: 1, secretish: '[Unserializable: no access]', c: 3 });
  });

  it('records a revoked Proxy as unserializable', () => {
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
    revoke();
    expect(parse(safeStringify({ p: proxy, q: 1 }))).toEqual({
      p: expect.stringMatching(/^\[Unserializable: /),
      q: 1,
    });
  });

  it('uses toJSON, and records a throwing toJSON as unserializable', () => {
    const good = { toJSON: () => ({ via: 'toJSON' }) };
    const bad = {
      toJSON: () => {
        throw new Error('toJSON failed');
      },
    };
    expect(parse(safeStringify({ good, bad }))).toEqual({
      good: { via: 'toJSON' },
      bad: '[Unserializable: toJSON failed]',
    });
  });

  it('keeps __proto__ and constructor as plain keys without polluting any prototype', () => {
    const input = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}',
    );
    const text = safeStringify(input);
    const tree = toJsonSafe(input) as Record<string, unknown>;

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(tree)).toBe(Object.prototype);
    expect(Object.keys(tree)).toEqual(['__proto__', 'constructor']);
    expect(text).toBe('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    expect((tree as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('replaces lone surrogates with U+FFFD so the output is valid UTF-8', () => {
    const text = safeStringify({ high: 'a\uD800b', low: '\uDC00', pair: '😀', key: 'x' });
    expect(parse(text)).toEqual({ high: 'a\uFFFDb', low: '\uFFFD', pair: '😀', key: 'x' });
    // A string survives a UTF-8 round trip only if it is well-formed.
    expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
  });

  it('replaces objects nested deeper than maxDepth with "[MaxDepth]"', () => {
    let deep: any = { leaf: true };
    for (let i = 0; i < 100; i++) deep = { child: deep };
    const text = safeStringify(deep);
    expect(text).toContain('"[MaxDepth]"');
    let node = parse(text);
    let depth = 0;
    while (typeof node === 'object') {
      node = node.child;
      depth++;
    }
    expect(depth).toBe(32);
    expect(parse(safeStringify({ a: { b: { c: 1 } } }, { maxDepth: 2 }))).toEqual({ a: { b: '[MaxDepth]' } });
  });

  it('caps huge arrays, objects, Maps and Sets with a "[… N more]" marker', () => {
    const array = Array.from({ length: 5000 }, (_, i) => i);
    const outArray = parse(safeStringify(array));
    expect(outArray).toHaveLength(1001);
    expect(outArray[999]).toBe(999);
    expect(outArray[1000]).toBe('[… 4000 more]');

    const object = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`k${i}`, i]));
    const outObject = parse(safeStringify(object));
    expect(Object.keys(outObject)).toHaveLength(1001);
    expect(outObject['…']).toBe('[… 500 more]');

    expect(parse(safeStringify(new Set([1, 2, 3]), { maxEntries: 2 }))).toEqual([1, 2, '[… 1 more]']);
    expect(
      parse(
        safeStringify(
          new Map([
            ['a', 1],
            ['b', 2],
          ]),
          { maxEntries: 1 },
        ),
      ),
    ).toEqual({ a: 1, '…': '[… 1 more]' });
  });

  it('keeps a huge string whole by default and cuts it with a marker under maxStringLength', () => {
    const huge = 'x'.repeat(1_000_000);
    expect(parse(safeStringify({ huge })).huge).toHaveLength(1_000_000);
    expect(parse(safeStringify({ huge }, { maxStringLength: 10 })).huge).toBe(
      `${'x'.repeat(10)}…[truncated 999990 chars]`,
    );
  });

  it('produces parseable JSON for every awkward value', () => {
    const circular: any = {};
    circular.me = circular;
    const awkward: unknown[] = [
      circular,
      1n,
      Buffer.from('x'),
      new Map([[circular, circular]]),
      new Set([circular]),
      () => 1,
      Symbol('s'),
      NaN,
      '\uD800',
      new Proxy([], {
        get: () => {
          throw new Error('x');
        },
      }),
      Object.create(null),
      [undefined],
    ];
    for (const value of awkward) expect(() => JSON.parse(safeStringify(value))).not.toThrow();
  });
});

describe('safeStringify with redaction', () => {
  const redaction = createRedactionEngine({ redactors: [redactApiKeys] }).forField('other');

  it('redacts string leaves and sensitive keys in the same walk', () => {
    const out = parse(
      safeStringify(
        { note: 'key sk-abcdefghijklmnopqrstuvwxyz123456', headers: { Authorization: 'x' } },
        { redaction },
      ),
    );
    expect(out).toEqual({ note: 'key [REDACTED:api_key]', headers: { Authorization: '[REDACTED]' } });
  });

  it('never reads the value under a sensitive key', () => {
    const getter = jest.fn(() => 'hunter2');
    const value = Object.defineProperty({}, 'password', { get: getter, enumerable: true });
    expect(parse(safeStringify(value, { redaction }))).toEqual({ password: '[REDACTED]' });
    expect(getter).not.toHaveBeenCalled();
  });
});

describe('safeString', () => {
  it('passes strings through unquoted and serialises everything else', () => {
    expect(safeString('hello "world"')).toBe('hello "world"');
    expect(safeString(42)).toBe('42');
    expect(safeString({ a: [1] })).toBe('{"a":[1]}');
    expect(safeString(undefined)).toBe('null');
  });

  it('makes strings well-formed', () => {
    expect(safeString('bad\uDBFF')).toBe('bad\uFFFD');
  });
});
