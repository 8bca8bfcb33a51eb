import { isRecord, isThenable, numberOf, stringOf } from '../src/values';

describe('values', () => {
  it('isRecord: non-null objects that are not arrays', () => {
    expect([{}, { a: 1 }, new Date(0)].map(isRecord)).toEqual([true, true, true]);
    expect([null, undefined, [], 'x', 1, () => {}].map(isRecord)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('stringOf: non-empty strings only', () => {
    expect(stringOf('a')).toBe('a');
    expect([undefined, null, '', 1, {}].map(stringOf)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('numberOf: finite numbers only', () => {
    expect(numberOf(0)).toBe(0);
    expect(numberOf(-1.5)).toBe(-1.5);
    expect([NaN, Infinity, '1', null, undefined].map(numberOf)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('isThenable: anything with a then method', () => {
    const thenableFunction = Object.assign(() => {}, { then: () => {} });
    expect([Promise.resolve(), { then: () => {} }, thenableFunction].map(isThenable)).toEqual([
      true,
      true,
      true,
    ]);
    expect([null, {}, { then: 1 }, 'then'].map(isThenable)).toEqual([false, false, false, false]);
  });
});
