import { anchorShapes } from '../../src/instrumentation.js';
import { anchoredShapeCount } from '../../src/calls/shape-anchors.js';
import { captureDiag } from '../helpers.js';

describe('anchorShapes', () => {
  it('keeps the per-call objects of core (trackers, watches, observed iterators, spans, content writers)', () => {
    // Loading core made them: CallTracker, AgentSpan, LazyCall, Finisher, ObservedIterator, ContentWriter.
    expect(anchoredShapeCount()).toBeGreaterThanOrEqual(6);
  });

  it('keeps one object or each of a list', () => {
    const before = anchoredShapeCount();
    anchorShapes(() => ({ a: 1 }));
    anchorShapes(() => [{ b: 1 }, { c: 1 }]);
    expect(anchoredShapeCount()).toBe(before + 3);
  });

  it('logs a failing factory through diag and never throws', () => {
    const diagnostics = captureDiag();
    try {
      const before = anchoredShapeCount();
      expect(() =>
        anchorShapes(() => {
          throw new Error('constructor failed');
        }),
      ).not.toThrow();
      expect(anchoredShapeCount()).toBe(before);
      expect(diagnostics.messages.some((m) => m.text.includes('could not keep a per-call shape alive'))).toBe(
        true,
      );
    } finally {
      diagnostics.restore();
    }
  });
});
