import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceQuery } from '../../src/model';
import {
  FilterError,
  formatAttributeFilter,
  parseAttributeFilter,
  parseConversationQuery,
  parseStatsQuery,
  parseTime,
  parseTraceQuery,
  traceQueryToParams,
} from '../../src/query/filters';

const parse = (query: string) => parseTraceQuery(new URLSearchParams(query));

function failure(query: string): FilterError {
  try {
    parse(query);
  } catch (error) {
    expect(error).toBeInstanceOf(FilterError);
    return error as FilterError;
  }
  throw new Error(`${query} was accepted`);
}

describe('parseTraceQuery', () => {
  it('reads every parameter', () => {
    const q = parse(
      [
        'traceId=0123456789ABCDEF0123456789abcdef',
        'service=checkout',
        'name=Support',
        'operation=chat',
        'spanKind=agent',
        'model=gpt-4o',
        'provider=openai',
        'agent=Triage',
        'tool=lookup',
        'conversationId=c-1',
        'status=error',
        'minDurationMs=1.5',
        'maxDurationMs=2000',
        'minTokens=10',
        'maxTokens=1e4',
        'minCostUsd=0.01',
        'maxCostUsd=2',
        'from=1767225600000',
        'to=2026-01-02T00:00:00Z',
        `attr=${encodeURIComponent('agent_otel.metadata.tenant=acme')}`,
        `attr=${encodeURIComponent('agent_otel.metadata.priority >= 3')}`,
        `attr=${encodeURIComponent('user.id exists')}`,
        'sort=cost',
        'order=asc',
        'limit=20',
        'offset=40',
        'unknown=ignored',
      ].join('&'),
    );
    expect(q).toEqual({
      traceId: '0123456789abcdef0123456789abcdef',
      service: 'checkout',
      name: 'Support',
      operation: 'chat',
      spanKind: 'agent',
      model: 'gpt-4o',
      provider: 'openai',
      agent: 'Triage',
      tool: 'lookup',
      conversationId: 'c-1',
      status: 'error',
      minDurationMs: 1.5,
      maxDurationMs: 2000,
      minTokens: 10,
      maxTokens: 10_000,
      minCostUsd: 0.01,
      maxCostUsd: 2,
      fromMs: 1767225600000,
      toMs: Date.UTC(2026, 0, 2),
      attributes: [
        { key: 'agent_otel.metadata.tenant', op: '=', value: 'acme' },
        { key: 'agent_otel.metadata.priority', op: '>=', value: 3 },
        { key: 'user.id', op: 'exists' },
      ],
      sort: 'cost',
      order: 'asc',
      limit: 20,
      offset: 40,
    });
  });

  it('treats empty values as absent', () => {
    expect(parse('service=&attr=&limit=&from=')).toEqual({});
  });

  it.each([
    ['traceId=xyz', 'traceId', 'traceId: expected 32 hexadecimal characters, got "xyz"'],
    ['status=failed', 'status', 'status: expected `error` or `ok`, got "failed"'],
    ['minDurationMs=abc', 'minDurationMs', 'minDurationMs: expected a number of milliseconds ≥ 0, got "abc"'],
    ['maxTokens=-1', 'maxTokens', 'maxTokens: expected a number of tokens ≥ 0, got "-1"'],
    ['minCostUsd=NaN', 'minCostUsd', 'minCostUsd: expected a number of US dollars ≥ 0, got "NaN"'],
    [
      'from=yesterday',
      'from',
      'from: expected milliseconds since the epoch or an ISO 8601 date/time (e.g. 2026-01-31T12:00:00Z), got "yesterday"',
    ],
    [
      'to=2026-13-45',
      'to',
      'to: expected milliseconds since the epoch or an ISO 8601 date/time (e.g. 2026-01-31T12:00:00Z), got "2026-13-45"',
    ],
    [
      'sort=random',
      'sort',
      'sort: expected one of start, duration, spans, tokens, cost, errors, name, got "random"',
    ],
    ['order=up', 'order', 'order: expected `asc` or `desc`, got "up"'],
    ['limit=0', 'limit', 'limit: expected an integer from 1 to 500, got "0"'],
    ['limit=501', 'limit', 'limit: expected an integer from 1 to 500, got "501"'],
    ['limit=2.5', 'limit', 'limit: expected an integer from 1 to 500, got "2.5"'],
    ['offset=-1', 'offset', 'offset: expected an integer from 0 to 10000000, got "-1"'],
    ['service=a&service=b', 'service', 'service: given 2 times; give it once'],
    [
      `attr=${encodeURIComponent('tenant')}`,
      'attr',
      'attr: no operator in "tenant"; expected `key=value`, `key!=value`, `key>n`, `key>=n`, `key<n`, `key<=n` or `key exists`',
    ],
    [
      `attr=${encodeURIComponent('priority>high')}`,
      'attr',
      'attr: `>` needs a number in "priority>high"; expected `key=value`, `key!=value`, `key>n`, `key>=n`, `key<n`, `key<=n` or `key exists`',
    ],
    [
      `attr=${encodeURIComponent('=x')}`,
      'attr',
      'attr: no key in "=x"; expected `key=value`, `key!=value`, `key>n`, `key>=n`, `key<n`, `key<=n` or `key exists`',
    ],
    [
      `attr=${encodeURIComponent('a!b')}`,
      'attr',
      'attr: unknown operator in "a!b"; expected `key=value`, `key!=value`, `key>n`, `key>=n`, `key<n`, `key<=n` or `key exists`',
    ],
  ])('rejects %s naming the parameter and the accepted form', (query, parameter, message) => {
    const error = failure(query);
    expect(error.parameter).toBe(parameter);
    expect(error.message).toBe(message);
    expect(error.name).toBe('FilterError');
  });

  it('bounds what it echoes, and how much it takes', () => {
    const long = 'x'.repeat(5000);
    expect(failure(`status=${long}`).message.length).toBeLessThan(200);
    expect(failure(`service=${long}`).message).toBe('service: longer than 1024 characters');
    const many = Array.from({ length: 21 }, (_, i) => `attr=k${i}%3D1`).join('&');
    expect(failure(many).message).toBe('attr: at most 20 conditions, got 21');
  });

  it('keeps markup in values as text', () => {
    const script = '<script>alert(1)</script>';
    expect(parse(`service=${encodeURIComponent(script)}&attr=${encodeURIComponent(`k=${script}`)}`)).toEqual({
      service: script,
      attributes: [{ key: 'k', op: '=', value: script }],
    });
  });
});

describe('attribute conditions', () => {
  it.each([
    ['k=v', { key: 'k', op: '=', value: 'v' }],
    ['k = v w ', { key: 'k', op: '=', value: 'v w' }],
    ['k!=v', { key: 'k', op: '!=', value: 'v' }],
    ['k=', { key: 'k', op: '=', value: '' }],
    ['k=a=b', { key: 'k', op: '=', value: 'a=b' }],
    ['k>1', { key: 'k', op: '>', value: 1 }],
    ['k>=-2.5', { key: 'k', op: '>=', value: -2.5 }],
    ['k<1e3', { key: 'k', op: '<', value: 1000 }],
    ['k<=0', { key: 'k', op: '<=', value: 0 }],
    ['my key exists', { key: 'my key', op: 'exists' }],
    ['agent_otel.metadata.user id=u 1', { key: 'agent_otel.metadata.user id', op: '=', value: 'u 1' }],
  ] as const)('%j', (text, filter) => {
    expect(parseAttributeFilter(text)).toEqual(filter);
    expect(parseAttributeFilter(formatAttributeFilter(filter))).toEqual(filter);
  });
});

describe('traceQueryToParams', () => {
  it('is the reverse of parseTraceQuery', () => {
    const query: TraceQuery = {
      traceId: 'ab'.repeat(16),
      service: 'a&b=c',
      name: 'Run ✓',
      model: 'gpt-4o',
      status: 'ok',
      minDurationMs: 0,
      maxCostUsd: 0.25,
      fromMs: 1767225600000,
      toMs: 1767225600001.5,
      attributes: [
        { key: 'agent_otel.metadata.tenant', op: '!=', value: 'x&y' },
        { key: 'n', op: '<', value: 1e21 },
        { key: 'flag', op: 'exists' },
      ],
      sort: 'name',
      order: 'asc',
      limit: 1,
      offset: 0,
    };
    const params = traceQueryToParams(query);
    expect(params.getAll('attr')).toEqual(['agent_otel.metadata.tenant!=x&y', 'n<1e+21', 'flag exists']);
    expect(parseTraceQuery(new URLSearchParams(params.toString()))).toEqual(query);
    expect(traceQueryToParams({}).toString()).toBe('');
  });
});

describe('other queries', () => {
  it('reads the time window and page of conversations and stats', () => {
    expect(parseConversationQuery(new URLSearchParams('from=1000&to=2026-01-01&limit=5&offset=10'))).toEqual({
      fromMs: 1000,
      toMs: Date.UTC(2026, 0, 1),
      limit: 5,
      offset: 10,
    });
    const expected = { fromMs: Date.UTC(2026, 0, 1, 8, 0, 0, 123) };
    expect(parseStatsQuery(new URLSearchParams('from=2026-01-01T10:00:00.123456%2B02:00'))).toEqual(expected);
    // The `+` left unencoded (a space once decoded).
    expect(parseStatsQuery(new URLSearchParams('from=2026-01-01T10:00:00.123456+02:00'))).toEqual(expected);
    expect(() => parseStatsQuery(new URLSearchParams('to=soon'))).toThrow(FilterError);
  });

  it.each([
    ['0', 0],
    ['1767225600000', 1767225600000],
    ['2026-01-01', Date.UTC(2026, 0, 1)],
    ['2026-01-01T00:00:01Z', Date.UTC(2026, 0, 1, 0, 0, 1)],
    ['2026-01-01 00:00:01z', Date.UTC(2026, 0, 1, 0, 0, 1)],
    ['2026-01-01T00:00+0100', Date.UTC(2025, 11, 31, 23)],
  ])('time %j', (text, ms) => expect(parseTime(text)).toBe(ms));
});

describe('the module', () => {
  it('uses no Node API (the UI compiles it for the browser)', () => {
    const source = readFileSync(join(__dirname, '../../src/query/filters.ts'), 'utf8');
    expect(source).not.toMatch(/from 'node:|require\(|process\.|Buffer/);
    expect(source.match(/^import .*$/gm)).toEqual([
      "import type { AttributeFilter, TraceQuery, TraceSortKey } from '../model.js';",
    ]);
  });
});
