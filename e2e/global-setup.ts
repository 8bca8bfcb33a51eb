import { join } from 'node:path';
import { buildJaeger, REPO_ROOT, startJaeger } from './support/jaeger-process';

// Builds Jaeger if it is not cached yet, starts it on free loopback ports, and hands its URLs to
// the test files through the environment (jest workers inherit it); the teardown reads a global.
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
  const jaeger = await startJaeger();
  process.stdout.write(
    `\ne2e: Jaeger ${binary} (pid ${jaeger.pid}) ready in ${Date.now() - started} ms: ` +
      `OTLP ${jaeger.otlpUrl}, query ${jaeger.queryUrl}, log ${jaeger.log}\n`,
  );
  process.env.AGENT_OTEL_E2E_OTLP_URL = jaeger.otlpUrl;
  process.env.AGENT_OTEL_E2E_QUERY_URL = jaeger.queryUrl;
  (globalThis as { agentOtelE2eJaeger?: unknown }).agentOtelE2eJaeger = jaeger;
}
