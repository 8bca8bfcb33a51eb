import { SPAN_TYPES } from '../../src/kinds/mapping';
import { isClaimableModelCallType, isModelCall } from '../../src/kinds/model-call';
import type { SpanData } from '../../src/kinds/span-data';

describe('model-call predicates', () => {
  it('counts exactly the kinds that are one model call', () => {
    const modelCalls = SPAN_TYPES.filter((type) => isModelCall({ type } as SpanData));
    expect(modelCalls.sort()).toEqual([
      'embeddings',
      'generation',
      'rerank',
      'response',
      'speech',
      'transcription',
    ]);
  });

  it('lets only chat-model kinds be claimed, and no other value', () => {
    expect(SPAN_TYPES.filter((type) => isClaimableModelCallType(type)).sort()).toEqual([
      'generation',
      'response',
    ]);
    for (const value of [undefined, null, 'Generation', 1, {}])
      expect(isClaimableModelCallType(value)).toBe(false);
  });
});
