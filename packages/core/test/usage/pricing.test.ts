import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import {
  DEFAULT_PRICE_TABLE,
  DEFAULT_PRICE_TABLE_DATE,
  DEFAULT_PRICE_TABLE_SOURCES,
  estimateCost,
  extendPriceTable,
  getModelPrice,
  resetPriceTable,
  setModelPrice,
} from '../../src/usage/pricing.js';

function mockLogger(): DiagLogger & { warn: jest.Mock } {
  return { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn(), verbose: jest.fn() };
}

afterEach(() => {
  resetPriceTable();
  diag.disable();
});

describe('price table', () => {
  it('is dated and names its sources', () => {
    expect(DEFAULT_PRICE_TABLE_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(DEFAULT_PRICE_TABLE_SOURCES.some((s) => s.includes('openai.com'))).toBe(true);
    expect(DEFAULT_PRICE_TABLE_SOURCES.some((s) => s.includes('claude.com'))).toBe(true);
    for (const model of [
      'gpt-4o',
      'gpt-4.1-mini',
      'gpt-5',
      'o4-mini',
      'text-embedding-3-small',
      'claude-sonnet-4',
    ]) {
      expect(DEFAULT_PRICE_TABLE[model]).toBeDefined();
    }
    expect(Object.isFrozen(DEFAULT_PRICE_TABLE)).toBe(true);
    expect(Object.isFrozen(getModelPrice('gpt-4o'))).toBe(true);
  });
});

describe('estimateCost', () => {
  it('bills input and output at list price', () => {
    // gpt-4o: $2.50 in, $10 out per 1M
    expect(estimateCost('gpt-4o', { inputTokens: 1000, outputTokens: 500 })).toBeCloseTo(0.0075, 12);
  });

  it('bills cached input at the cache-read price and takes it out of regular input', () => {
    // 600 uncached * 2.5 + 400 cached * 1.25 + 100 out * 10 = 3000 per 1M
    expect(
      estimateCost('gpt-4o', { inputTokens: 1000, cacheReadInputTokens: 400, outputTokens: 100 }),
    ).toBeCloseTo(0.003, 12);
  });

  it('bills cache writes at the write price (Anthropic)', () => {
    // claude-sonnet-4: in 3, write 3.75, read 0.3, out 15
    const cost = estimateCost('claude-sonnet-4-20250514', {
      inputTokens: 10_000,
      cacheReadInputTokens: 2000,
      cacheWriteInputTokens: 3000,
      outputTokens: 1000,
    });
    expect(cost).toBeCloseTo((5000 * 3 + 2000 * 0.3 + 3000 * 3.75 + 1000 * 15) / 1e6, 12);
  });

  it('falls back to the input price for cache writes when the model has no write price (OpenAI)', () => {
    expect(estimateCost('gpt-4.1', { inputTokens: 1000, cacheWriteInputTokens: 1000 })).toBeCloseTo(
      0.002,
      12,
    );
  });

  it('never bills negative uncached input when cache counts exceed input', () => {
    expect(estimateCost('gpt-4o', { inputTokens: 100, cacheReadInputTokens: 400 })).toBeCloseTo(
      (400 * 1.25) / 1e6,
      12,
    );
  });

  it('counts reasoning tokens once, as part of output', () => {
    expect(estimateCost('o3', { outputTokens: 1000, reasoningOutputTokens: 800 })).toBeCloseTo(0.008, 12);
  });

  it('returns a rounded number without floating-point noise', () => {
    expect(estimateCost('gpt-4o-mini', { inputTokens: 3, outputTokens: 7 })).toBe(0.00000465);
  });

  it('resolves dated snapshots and variants by longest prefix', () => {
    expect(getModelPrice('gpt-4o-2024-08-06')).toBe(getModelPrice('gpt-4o'));
    expect(getModelPrice('gpt-4o-mini-2024-07-18')).toBe(getModelPrice('gpt-4o-mini'));
    expect(getModelPrice('claude-sonnet-4-20250514')).toBe(getModelPrice('claude-sonnet-4'));
    expect(getModelPrice('claude-sonnet-4-5@20250929')).toBe(getModelPrice('claude-sonnet-4-5'));
    expect(getModelPrice('claude-opus-4-5-20251101')?.input).toBe(5);
    expect(getModelPrice('claude-opus-4-20250514')?.input).toBe(15);
    expect(getModelPrice('o3-pro-2025-06-10')?.input).toBe(20);
    expect(getModelPrice('o3-2025-04-16')?.input).toBe(2);
  });

  it('does not price a different model version through a shorter prefix', () => {
    expect(getModelPrice('claude-opus-4-9')).toBeUndefined();
    expect(getModelPrice('gpt-5.9')).toBeUndefined();
    expect(getModelPrice('gpt-4')).toBeUndefined();
  });

  it('serves repeated lookups of an id as given from its cache, and follows later table changes', () => {
    const before = getModelPrice(' OpenAI/GPT-4o ');
    expect(before).toBe(getModelPrice('gpt-4o'));
    expect(getModelPrice(' OpenAI/GPT-4o ')).toBe(before);
    setModelPrice('gpt-4o', { input: 1, output: 2 });
    expect(getModelPrice(' OpenAI/GPT-4o ')).toEqual({ input: 1, output: 2 });
    expect(getModelPrice('   ')).toBeUndefined();
    expect(getModelPrice('   ')).toBeUndefined();
  });

  it('matches case-insensitively and ignores a routing prefix', () => {
    expect(getModelPrice('GPT-4o')).toBe(getModelPrice('gpt-4o'));
    expect(getModelPrice('openai/gpt-4o-mini')).toBe(getModelPrice('gpt-4o-mini'));
  });

  it('is undefined for unpriced models, a missing model, or usage without tokens', () => {
    expect(estimateCost('my-local-llama', { inputTokens: 10 })).toBeUndefined();
    expect(estimateCost(undefined, { inputTokens: 10 })).toBeUndefined();
    expect(estimateCost('gpt-4o', {})).toBeUndefined();
    expect(estimateCost('gpt-4o', undefined)).toBeUndefined();
    expect(estimateCost('gpt-4o', { inputTokens: 0 })).toBe(0);
  });
});

describe('user price entries', () => {
  it('setModelPrice adds a model, and its snapshots resolve to it', () => {
    setModelPrice('acme-1', { input: 1, output: 2, cacheRead: 0.5 });
    expect(
      estimateCost('acme-1', { inputTokens: 1e6, outputTokens: 1e6, cacheReadInputTokens: 5e5 }),
    ).toBeCloseTo(0.5 + 0.25 + 2, 12);
    expect(estimateCost('acme-1-20260101', { outputTokens: 1e6 })).toBe(2);
  });

  it('setModelPrice overrides a default and invalidates resolved lookups', () => {
    expect(estimateCost('gpt-4o-2024-08-06', { inputTokens: 1e6 })).toBe(2.5);
    setModelPrice('gpt-4o', { input: 1, output: 1 });
    expect(estimateCost('gpt-4o-2024-08-06', { inputTokens: 1e6 })).toBe(1);
    resetPriceTable();
    expect(estimateCost('gpt-4o-2024-08-06', { inputTokens: 1e6 })).toBe(2.5);
  });

  it('extendPriceTable adds several entries; a more specific user prefix wins', () => {
    extendPriceTable({ 'gpt-4o-special': { input: 9, output: 9 }, 'other-model': { input: 1, output: 0 } });
    expect(getModelPrice('gpt-4o-special-2026-01-01')?.input).toBe(9);
    expect(getModelPrice('gpt-4o-2024-08-06')?.input).toBe(2.5);
    expect(getModelPrice('other-model')?.input).toBe(1);
  });

  it('ignores invalid prices with a warning and never throws', () => {
    const logger = mockLogger();
    diag.setLogger(logger, DiagLogLevel.WARN);
    expect(() => setModelPrice('bad', { input: -1, output: 1 })).not.toThrow();
    expect(() => setModelPrice('bad', { input: Number.NaN, output: 1 })).not.toThrow();
    expect(() => setModelPrice('', { input: 1, output: 1 })).not.toThrow();
    expect(() => extendPriceTable(null as unknown as Record<string, never>)).not.toThrow();
    expect(getModelPrice('bad')).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(4);
  });

  it('copies and freezes the stored price', () => {
    const price = { input: 1, output: 1 };
    setModelPrice('mutable', price);
    price.input = 100;
    expect(getModelPrice('mutable')?.input).toBe(1);
    expect(Object.isFrozen(getModelPrice('mutable'))).toBe(true);
  });

  it('keeps the table on a global symbol, shared by every copy of the module', () => {
    let other: typeof import('../../src/usage/pricing.js') | undefined;
    jest.isolateModules(() => {
      other = jest.requireActual('../../src/usage/pricing.ts');
    });
    expect(other).toBeDefined();
    expect(other!.setModelPrice).not.toBe(setModelPrice);
    other!.setModelPrice('shared-model', { input: 3, output: 3 });
    expect(getModelPrice('shared-model')?.input).toBe(3);
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('agent_otel.core.price_table')]).toBeDefined();
  });
});
