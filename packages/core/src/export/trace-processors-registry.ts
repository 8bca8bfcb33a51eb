import { diag } from '@opentelemetry/api';
import { processWide } from '../state.js';
import { readArray } from '../values.js';
import type { TraceProcessor } from './trace-processor.js';

interface RegistryState {
  /** Replaced, never mutated, so a dispatch loop can keep iterating an old snapshot. */
  processors: readonly TraceProcessor[];
}

const REGISTRY = processWide<RegistryState>('agent_otel.core.trace_processors', () => ({
  processors: Object.freeze([]),
}));

function isProcessor(p: unknown): p is TraceProcessor {
  return p !== null && (typeof p === 'object' || typeof p === 'function');
}

/** Adds a processor to the global list used by every `TraceProcessorSpanProcessor` (no duplicates). */
export function addTraceProcessor(processor: TraceProcessor): void {
  if (!isProcessor(processor)) {
    diag.warn('agent-otel: addTraceProcessor ignored a value that is not an object');
    return;
  }
  const s = REGISTRY.get();
  if (s.processors.includes(processor)) return;
  s.processors = Object.freeze([...s.processors, processor]);
}

/**
 * Replaces the global processor list (processors removed are not shut down). A value that is not a
 * readable array leaves the list as it was, with a warning.
 */
export function setTraceProcessors(processors: readonly TraceProcessor[]): void {
  const items = readArray(processors);
  if (items === undefined) {
    diag.warn(
      'agent-otel: setTraceProcessors expects a readable array of trace processors; the list is unchanged',
    );
    return;
  }
  const unique: TraceProcessor[] = [];
  for (const p of items) {
    if (isProcessor(p) && !unique.includes(p)) unique.push(p);
  }
  REGISTRY.get().processors = Object.freeze(unique);
}

/** The global processor list (a read-only snapshot). */
export function getTraceProcessors(): readonly TraceProcessor[] {
  return REGISTRY.get().processors;
}
