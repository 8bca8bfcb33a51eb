// Instructions executed per Vercel AI SDK call (valgrind callgrind), issue #24: `generateText` and
// `streamText` (`ai` 7 + `@ai-sdk/openai`) uninstrumented, with a hand-written span, with
// `@agent-otel/ai-sdk`, and with `@ai-sdk/otel`'s own integration, each also with and without message
// content. Target: agent-otel's overhead below `@ai-sdk/otel`'s on every operation. Method as bench/adapters-instructions.mjs (bench/README.md,
// "Method").
//
//   npx node bench/ai-sdk-instructions.mjs                                  every configuration × 3 ops
//   npx node bench/ai-sdk-instructions.mjs --label ai-sdk --title 'ai-sdk (issue #24)'
//                                                                           … and write that section
//                                                                           into bench/RESULTS.md
//   npx node bench/ai-sdk-instructions.mjs --configs none,agent-otel --ops generate
//   npx node bench/ai-sdk-instructions.mjs --help
//
// Each figure: one child (adapters/ai-sdk-worker.mjs, in-memory transport, `node --single-threaded`)
// runs `warmup` calls, a full GC, `settle` calls, then A calls and a full GC with callgrind counting;
// a second child the same with B calls; per call = (I(B) − I(A)) / (B − A), split into `gc`,
// `compile` and `work` as in adapters-instructions.mjs. Each child checks its calls' results and
// spans (`none`: none; every other configuration: at least one per call) and reports the spans of
// one call. The scripted server (@agent-otel/testing) runs in this process; the children record its
// replies once and answer every later request in process. Needs valgrind. Markdown to stdout (and,
// with --label, into RESULTS.md), progress to stderr. The driver (options, measuring, report) is
// framework-instructions.mjs, shared with langchain-instructions.mjs.
import { fileURLToPath } from 'node:url';
import {
  CONFIGS,
  CONFIG_NAMES,
  OPERATIONS,
  checkSelection,
  scriptedReply,
} from './adapters/ai-sdk-configs.mjs';
import { runInstructionsBench } from './framework-instructions.mjs';

await runInstructionsBench({
  script: 'bench/ai-sdk-instructions.mjs',
  summary: 'Instructions per Vercel AI SDK call',
  worker: fileURLToPath(new URL('./adapters/ai-sdk-worker.mjs', import.meta.url)),
  tmpPrefix: 'agent-otel-bench-ai-sdk-',
  configs: CONFIGS,
  configNames: CONFIG_NAMES,
  operations: OPERATIONS,
  checkSelection,
  scriptedReply,
  versions: ['ai', '@ai-sdk/openai', '@ai-sdk/otel', '@agent-otel/ai-sdk'],
  // The peer as shipped: the reference column of the report.
  peers: ['ai-sdk-otel'],
  // The comparisons checked, on every operation: the target of issue #24 (agent-otel's overhead below
  // @ai-sdk/otel's, each as shipped), then like for like, without content and with content.
  comparisons: [
    { ours: 'agent-otel', theirs: 'ai-sdk-otel', what: 'each as shipped (the target)' },
    { ours: 'agent-otel', theirs: 'ai-sdk-otel-no-content', what: 'both without content' },
    { ours: 'agent-otel-content', theirs: 'ai-sdk-otel', what: 'both with content' },
  ],
});
