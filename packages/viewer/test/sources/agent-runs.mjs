/* global process, setTimeout */
// Agent runs exported as an instrumented app exports them: run with
// `node --import @agent-otel/node/register agent-runs.mjs` and OTEL_SERVICE_NAME /
// OTEL_EXPORTER_OTLP_ENDPOINT pointing at Jaeger, Tempo or a stand-in. RUNS (JSON) lists the runs:
// { workflow, conversation, user, model, provider, inputTokens, outputTokens, toolFails?, toolMs? }.
// Each run is a workflow (conversation id, `user` metadata) with an agent, one model call with that
// usage and one tool call (failing when `toolFails`). Prints `RESULT {"traceIds": [...]}` in run order.
import { trace } from '@opentelemetry/api';
import { withAgentSpan, withGenerationSpan, withToolSpan, withTrace } from '@agent-otel/core';

const runs = JSON.parse(process.env.RUNS ?? '[]');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const traceIds = [];

for (const run of runs) {
  await withTrace(run.workflow, { groupId: run.conversation, metadata: { user: run.user } }, async () => {
    traceIds.push(trace.getActiveSpan()?.spanContext().traceId);
    await withAgentSpan({ name: `${run.workflow}-agent`, model: run.model }, async () => {
      await withGenerationSpan({ model: run.model, provider: run.provider }, async (span) => {
        span.update({ usage: { inputTokens: run.inputTokens, outputTokens: run.outputTokens } });
      });
      await withToolSpan({ name: 'lookup', callId: `call-${run.user}` }, async () => {
        await sleep(run.toolMs ?? 1);
        if (run.toolFails) throw new Error('lookup failed');
        return 'found';
      }).catch(() => undefined);
    });
  });
  // Distinct start milliseconds, so "most recent first" is one order.
  await sleep(3);
}

process.stdout.write(`RESULT ${JSON.stringify({ traceIds })}\n`);
