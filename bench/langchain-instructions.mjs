// Instructions executed per LangChain chat-model call and per LangGraph agent run (valgrind
// callgrind), issue #25: `ChatOpenAI.invoke` (`@langchain/openai`) and a `createAgent` (langchain 1.x)
// run with one tool, uninstrumented, with a hand-written span, with `@agent-otel/langchain` (a handler
// passed per call, and registered globally), and with the peers' LangChain instrumentations
// (`@arizeai/openinference-instrumentation-langchain`, `@traceloop/instrumentation-langchain`). Target:
// agent-otel's overhead below the peers' on both operations. Method as bench/adapters-instructions.mjs
// (bench/README.md, "Method"); the driver (options, measuring, report) is framework-instructions.mjs.
//
//   npx node bench/langchain-instructions.mjs                               every configuration × 2 ops
//   npx node bench/langchain-instructions.mjs --label langchain --title 'langchain (issue #25)'
//                                                                           … and write that section
//                                                                           into bench/RESULTS.md
//   npx node bench/langchain-instructions.mjs --configs none,agent-otel --ops chat
//   npx node bench/langchain-instructions.mjs --help
//
// Each figure: one child (adapters/langchain-worker.mjs, in-memory transport, `node --single-threaded`)
// runs `warmup` calls, a full GC, `settle` calls, then A calls and a full GC with callgrind counting;
// a second child the same with B calls; per call = (I(B) − I(A)) / (B − A). An `agent` call is one
// agent run of 3 LangGraph steps (model, tools, model); the report also gives it per step.
import { fileURLToPath } from 'node:url';
import {
  AGENT_STEPS,
  CONFIGS,
  CONFIG_NAMES,
  OPERATIONS,
  OPERATION_DESCRIPTIONS,
  checkSelection,
  scriptedReply,
} from './adapters/langchain-configs.mjs';
import { runInstructionsBench } from './framework-instructions.mjs';

const PEERS = ['openinference', 'traceloop'];

await runInstructionsBench({
  script: 'bench/langchain-instructions.mjs',
  summary: 'Instructions per LangChain chat-model call and LangGraph agent run',
  worker: fileURLToPath(new URL('./adapters/langchain-worker.mjs', import.meta.url)),
  tmpPrefix: 'agent-otel-bench-langchain-',
  configs: CONFIGS,
  configNames: CONFIG_NAMES,
  operations: OPERATIONS,
  checkSelection,
  scriptedReply,
  versions: [
    '@langchain/core',
    '@langchain/openai',
    '@langchain/langgraph',
    'langchain',
    '@arizeai/openinference-instrumentation-langchain',
    '@traceloop/instrumentation-langchain',
  ],
  peers: PEERS,
  // The target of issue #25: ours below each peer, on both operations, however the handler is set up.
  comparisons: ['agent-otel', 'agent-otel-global'].flatMap((ours) =>
    PEERS.map((theirs) => ({ ours, theirs, what: 'content off' })),
  ),
  notes: [
    'Operations: ' +
      OPERATIONS.map((op) => `\`${op}\` = ${OPERATION_DESCRIPTIONS[op]}`).join('; ') +
      `. Per step = per \`agent\` run ÷ ${AGENT_STEPS} (LangGraph's input step \`__start__\` not counted). ` +
      'Configurations: ' +
      CONFIG_NAMES.map((c) => `\`${c}\` = ${CONFIGS[c].description}`).join('; ') +
      '. Everything loaded through CommonJS `require`; one pipeline (`TracerProvider` + `SimpleSpanProcessor` → a counting exporter).',
  ],
  units: { agent: { count: AGENT_STEPS, unit: 'LangGraph step' } },
});
