import { join } from 'node:path';
import { buildJaeger, REPO_ROOT, startJaeger, type JaegerInstance } from './support/jaeger-process';
import { startOtlpSink } from './support/otlp-sink';

// Builds Jaeger if it is not cached yet, starts the signals sink and then Jaeger on free loopback
// ports (Jaeger forwards metrics and log records to the sink), and hands their URLs to the test
// files through the environment (jest workers inherit it); the teardown reads globals.
export default async function globalSetup(): Promise<void> {
  for (const file of ['packages/node/dist/esm/register.js', 'packages/core/dist/cjs/index.js']) {
    try {
      require.resolve(join(REPO_ROOT, file));
    } catch {
      throw new Error(`${file} is missing: run \`npm run build\` first (npm run test:e2e does).`);
    }
  }
  const started = Date.now();
  const binary = await buildJaeger();
  const sink = await startOtlpSink();
  let jaeger: JaegerInstance;
  // Only the shared Jaeger forwards to the sink: the Jaegers that fault tests start for themselves
  // (in the workers, which inherit this environment) discard metrics and logs.
  process.env.JAEGER_SIGNALS_SINK_ENDPOINT = sink.url;
  try {
    jaeger = await startJaeger();
  } catch (error) {
    await sink.close();
    throw error;
  } finally {
    delete process.env.JAEGER_SIGNALS_SINK_ENDPOINT;
  }
  process.stdout.write(
    `\ne2e: Jaeger ${binary} (pid ${jaeger.pid}) ready in ${Date.now() - started} ms: ` +
      `OTLP ${jaeger.otlpUrl}, query ${jaeger.queryUrl}, log ${jaeger.log}; ` +
      `metrics and logs go on to the sink ${sink.url}\n`,
  );
  process.env.AGENT_OTEL_E2E_OTLP_URL = jaeger.otlpUrl;
  process.env.AGENT_OTEL_E2E_QUERY_URL = jaeger.queryUrl;
  process.env.AGENT_OTEL_E2E_SIGNALS_URL = sink.url;
  Object.assign(globalThis, { agentOtelE2eJaeger: jaeger, agentOtelE2eSignalsSink: sink });
}
