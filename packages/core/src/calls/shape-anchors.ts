import { diag } from '@opentelemetry/api';

/**
 * One inert instance of each class agent-otel makes per model call, kept for the life of the process.
 *
 * V8 gives objects hidden classes (maps) and compiles code against them. A full GC drops every map no
 * live object uses, and deoptimises the code compiled against it; objects made per call are all
 * gone between calls, so after each full GC their maps are built again and the code that handles
 * them is compiled again (`--trace-deopt`: "embedded weak objects cleared"). An instance kept here
 * keeps its class's map alive, so that code stays optimised: counted with the recompilation after a
 * full GC included (the sixth session's `bench/adapters-instructions.mjs`), a streamed Anthropic call
 * executed ~3 % fewer instructions. The instances hold no user data.
 */
const anchors: object[] = [];

/** Keeps what `make` returns for the life of the process; a failure is logged and ignored. */
export function anchorShapes(make: () => object | readonly object[]): void {
  try {
    const made = make();
    if (Array.isArray(made)) anchors.push(...(made as readonly object[]));
    else anchors.push(made);
  } catch (err) {
    diag.debug('agent-otel: could not keep a per-call shape alive', err);
  }
}

/** How many objects are kept (for tests). */
export function anchoredShapeCount(): number {
  return anchors.length;
}
