// Defaults for the offline demo, loaded before `@agent-otel/node/register` reads the environment:
// print the trace tree, and export over OTLP only when a collector endpoint is configured.
process.env.AGENT_OTEL_EXPORTERS ??= 'tree';
process.env.OTEL_SERVICE_NAME ??= 'openai-agents-support-demo';
if (
  !process.env.OTEL_TRACES_EXPORTER &&
  !process.env.OTEL_EXPORTER_OTLP_ENDPOINT &&
  !process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
) {
  process.env.OTEL_TRACES_EXPORTER = 'none';
}
