import { createContentPolicy } from '../../src/content/policy';
import { createRedactionEngine, isSensitiveKey, redactApiKeys, redactEmails } from '../../src/content/redact';
import type { Redactor } from '../../src/content/types';
import { useDiagCapture } from './diag-capture';

const context = { field: 'other' as const };

describe('redactApiKeys', () => {
  it.each([
    ['OpenAI', 'sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD'],
    ['OpenAI project', 'sk-proj-Ab3dEfGh1jKlMn0pQrStUvWxYz_0123456789-abc'],
    ['Anthropic', 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdefAA'],
    ['AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['GitHub', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['GitHub fine-grained', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'],
    ['JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ['Google', 'AIzaSyA1234567890abcdefghijklmnopqrstuv'],
    ['Stripe', 'sk_live_abcdefghijklmnop1234'],
  ])('replaces a %s key with [REDACTED:api_key]', (_name, secret) => {
    const out = redactApiKeys(`using key=${secret} now`, context);
    expect(out).toBe('using key=[REDACTED:api_key] now');
  });

  it('replaces the token of a Bearer credential and keeps the scheme', () => {
    expect(redactApiKeys('Authorization: Bearer abc123.def456-ghi', context)).toBe(
      'Authorization: Bearer [REDACTED:api_key]',
    );
  });

  it.each([
    'Bearer authentication is described in RFC 6750.',
    'max_tokens=1000 and input_tokens=20',
    'the task-management-system-overview document',
    'AKIA is a prefix',
    'skeleton sk-short',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(redactApiKeys(text, context)).toBe(text);
  });
});

describe('redactEmails', () => {
  it('replaces email addresses with [REDACTED:email]', () => {
    expect(redactEmails('mail jane.doe+ai@example.co.uk or bob@test.io.', context)).toBe(
      'mail [REDACTED:email] or [REDACTED:email].',
    );
  });

  it('leaves text without addresses alone and stays fast on a long run without a domain', () => {
    expect(redactEmails('@handle and user@', context)).toBe('@handle and user@');
    const long = `${'a'.repeat(200_000)}@`;
    const started = Date.now();
    expect(redactEmails(long, context)).toBe(long);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('isSensitiveKey', () => {
  it.each([
    'authorization',
    'Authorization',
    'api_key',
    'apiKey',
    'API-KEY',
    'x-api-key',
    'X-Api-Key',
    'password',
    'secret',
    'token',
    'TOKEN',
    'openaiApiKey',
    'client_secret',
    'access_token',
    'cookie',
  ])('treats %s as sensitive', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each(['max_tokens', 'input_tokens', 'tokens', 'next_page_token', 'name', 'content', 'secretary'])(
    'does not treat %s as sensitive',
    (key) => {
      expect(isSensitiveKey(key)).toBe(false);
    },
  );
});

describe('key-based redaction in a policy', () => {
  const policy = createContentPolicy({ captureMode: 'SPAN_ONLY', sensitiveKeys: ['ssn'] }, {});

  it('replaces any value under a sensitive key with [REDACTED]', () => {
    const value = {
      headers: { Authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': { nested: 'object' } },
      password: 12345,
      apiKey: ['a', 'b'],
      SSN: '123-45-6789',
      model: 'gpt-4o',
    };
    expect(JSON.parse(policy.serialize(value, 'tool.call.arguments').value)).toEqual({
      headers: { Authorization: '[REDACTED]', 'x-api-key': '[REDACTED]' },
      password: '[REDACTED]',
      apiKey: '[REDACTED]',
      SSN: '[REDACTED]',
      model: 'gpt-4o',
    });
  });

  it('applies to Map keys too', () => {
    const headers = new Map([
      ['authorization', 'Bearer x'],
      ['accept', 'json'],
    ]);
    expect(JSON.parse(policy.serialize(headers, 'other').value)).toEqual({
      authorization: '[REDACTED]',
      accept: 'json',
    });
  });
});

describe('redactors in the redaction engine', () => {
  const diagLog = useDiagCapture();

  it('runs redactors in order and passes the field and the nearest key', () => {
    const seen: unknown[] = [];
    const first: Redactor = (value, ctx) => {
      seen.push(ctx);
      return value.replace('a', 'b');
    };
    const second: Redactor = (value) => value.replace('b', 'c');
    const policy = createContentPolicy({ redactors: [first, second] }, {});
    expect(JSON.parse(policy.serialize({ note: 'a' }, 'custom.data').value)).toEqual({ note: 'c' });
    expect(seen).toEqual([{ field: 'custom.data', key: 'note' }]);
  });

  it('fails closed when a redactor throws, warning once per redactor', () => {
    const broken: Redactor = () => {
      throw new Error('regex bug');
    };
    const policy = createContentPolicy({ redactors: [broken] }, {});
    const out = JSON.parse(policy.serialize({ a: 'one', b: ['two', 'three'], n: 4 }, 'other').value);
    expect(out).toEqual({ a: '[REDACTED:error]', b: ['[REDACTED:error]', '[REDACTED:error]'], n: 4 });
    expect(policy.serialize('plain', 'other').value).toBe('[REDACTED:error]');
    const warnings = diagLog.warnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('broken');
  });

  it('fails closed when a redactor returns a non-string', () => {
    const wrong = (() => 42) as unknown as Redactor;
    const engine = createRedactionEngine({ redactors: [wrong] });
    expect(engine.redact('secret', { field: 'other' })).toBe('[REDACTED:error]');
    expect(diagLog.warnings()).toHaveLength(1);
  });

  it('makes a redactor result well-formed', () => {
    const engine = createRedactionEngine({ redactors: [(value) => `${value}\uD800`] });
    expect(engine.redact('x', { field: 'other' })).toBe('x\uFFFD');
  });
});
