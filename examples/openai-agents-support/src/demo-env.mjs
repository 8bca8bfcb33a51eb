// Defaults for the offline demo, loaded before `@agent-otel/node/register` reads the environment:
// print the trace tree, and export traces, metrics and logs over OTLP only when a collector endpoint
// is configured for them.
process.env.AGENT_OTEL_EXPORTERS ??= 'tree';
process.env.OTEL_SERVICE_NAME ??= 'openai-agents-support-demo';
for (const signal of ['TRACES', 'METRICS', 'LOGS']) {
  if (
    !process.env[`OTEL_${signal}_EXPORTER`] &&
    !process.env.OTEL_EXPORTER_OTLP_ENDPOINT &&
    !process.env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]
  ) {
    process.env[`OTEL_${signal}_EXPORTER`] = 'none';
  }
}
