import { processWide } from '../state.js';

/** Where the instances are kept: one list per process, shared by every copy of core. */
const SHAPE_ANCHORS = processWide<object[]>('agent_otel.shape_anchors', () => []);

/**
 * Keeps one inert instance of each class made per model call alive for the life of the process.
 * A full GC drops every hidden class no live object uses, and with it the optimised code compiled
 * against it; the next calls then re-learn and recompile the whole path. Kept because it saves more
 * than 5 % of a call's overhead by instruction count (bench/NOTES.md); the instances are never
 * started, observed or exported (test/calls/shape-anchors.test.ts).
 */
export function keepShapes(...instances: object[]): void {
  SHAPE_ANCHORS.get().push(...instances);
}

/** The `globalThis` key of the list (for tests). */
export const SHAPE_ANCHORS_KEY = SHAPE_ANCHORS.key;
