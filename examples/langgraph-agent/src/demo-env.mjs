// Defaults for the offline demo, loaded before `@agent-otel/node/register` reads the environment:
// print the trace tree, and export traces, metrics and logs over OTLP only when a collector endpoint
// is configured for them (otherwise each exporter would report a refused connection).
process.env.AGENT_OTEL_EXPORTERS ??= 'tree';
process.env.OTEL_SERVICE_NAME ??= 'langgraph-agent-demo';

/** Sets `OTEL_<SIGNAL>_EXPORTER=none` unless that variable or an endpoint for the signal is set. */
function noExportWithoutEndpoint(signal) {
  const env = process.env;
  if (
    !env[`OTEL_${signal}_EXPORTER`] &&
    !env.OTEL_EXPORTER_OTLP_ENDPOINT &&
    !env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]
  ) {
    env[`OTEL_${signal}_EXPORTER`] = 'none';
  }
}

noExportWithoutEndpoint('TRACES');
noExportWithoutEndpoint('METRICS');
noExportWithoutEndpoint('LOGS');
