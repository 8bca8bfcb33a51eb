'use strict';
// The MCP agent demo: an agent (this process) asks the scripted model server on 127.0.0.1, which
// calls tools on two MCP servers — `weather` (a child process over stdio) and `travel-docs`
// (another process, Streamable HTTP on 127.0.0.1). Each run is one trace across the three
// processes. Offline, no API key. Run with `npm start` here, after `npm run build` at the root.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

// Every process appends its spans to one JSONL file, printed as one tree at the end. Traces,
// metrics and logs are exported over OTLP as well only when a collector is configured (otherwise
// each failed export would be reported on stderr). The MCP servers inherit these settings.
process.env.AGENT_OTEL_JSONL_PATH ??= join(mkdtempSync(join(tmpdir(), 'mcp-agent-demo-')), 'spans.jsonl');
process.env.AGENT_OTEL_EXPORTERS = 'jsonl';
for (const signal of ['TRACES', 'METRICS', 'LOGS']) {
  const exporter = `OTEL_${signal}_EXPORTER`;
  if (
    !process.env[exporter] &&
    !process.env.OTEL_EXPORTER_OTLP_ENDPOINT &&
    !process.env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]
  ) {
    process.env[exporter] = 'none';
  }
}

// Register before requiring the MCP SDK: register() loads @agent-otel/instrumentation-mcp, whose
// require hook patches the SDK when it is loaded.
const { register } = require('@agent-otel/node');
const otel = register({ serviceName: 'mcp-agent' });

const OpenAI = require('openai');
const { withTrace } = require('@agent-otel/core');
const { startScriptedServer } = require('@agent-otel/testing');
const { MODEL, runTripPlanner } = require('./agent.js');
const { renderTrees } = require('./print-trace.js');
const { connectDocs, connectWeather } = require('./servers.js');

async function main() {
  const model = await startScriptedServer();
  // The model asks both MCP servers at once, then answers from what they returned.
  model.enqueue({
    model: MODEL,
    toolCalls: [
      { id: 'call_forecast_1', name: 'get_forecast', arguments: { city: 'Lisbon' } },
      { id: 'call_docs_1', name: 'search_docs', arguments: { query: 'packing Lisbon' } },
    ],
    usage: { inputTokens: 210, outputTokens: 38 },
  });
  model.enqueue({
    model: MODEL,
    text: 'Lisbon will be sunny with a high of 24°C: pack comfortable shoes, sunscreen and a light jacket.',
    usage: { inputTokens: 302, outputTokens: 27 },
  });
  const openai = new OpenAI({
    baseURL: model.openaiBaseURL,
    apiKey: 'sk-demo-not-a-real-key',
    maxRetries: 0,
  });

  const servers = [];
  try {
    const answer = await withTrace('plan-trip', { metadata: { destination: 'Lisbon' } }, async () => {
      servers.push(await connectWeather(), await connectDocs());
      return runTripPlanner(openai, servers, 'I fly to Lisbon tomorrow. What should I pack?');
    });
    process.stdout.write(`\nAgent: ${answer}\n\n`);
  } finally {
    for (const server of servers) await server.close(); // the servers flush their spans on exit
    await model.close();
  }
  await otel.forceFlush();
  process.stdout.write(`Trace (${process.env.AGENT_OTEL_JSONL_PATH}):\n\n`);
  for (const text of await renderTrees(process.env.AGENT_OTEL_JSONL_PATH)) process.stdout.write(`${text}\n`);
  await otel.shutdown();
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
