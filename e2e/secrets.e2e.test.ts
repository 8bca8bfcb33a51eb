import { runNode } from './support/child';
import { report, sharedJaeger, uniqueService } from './support/e2e-env';
import { discoverExamples } from './support/examples';
import { randomUUID } from 'node:crypto';
import { rawV1Traces, RUN_ATTRIBUTE, spansOfService, waitForRunSpans } from './support/jaeger-query';

// Every example runs with fake API keys in the environment and credentials in the OTLP headers,
// with content capture fully on, then everything Jaeger stored for it is searched for them.

const FAKE = {
  OPENAI_API_KEY: 'sk-proj-e2eFAKEopenaiKEY0123456789abcdef',
  ANTHROPIC_API_KEY: 'sk-ant-api03-e2eFAKEanthropicKEY0123456789',
  AGENT_OTEL_E2E_SECRET: 'e2e-fake-secret-value-4f1c9a',
};
const HEADER_TOKEN = 'e2eFAKEbearerTOKEN0123456789';
const HEADER_KEY = 'e2e-fake-header-api-key-77d2';
/** A secret on the command line (the process resource detector records the arguments). */
const CLI_SECRET = 'e2e-fake-cli-token-9b3e71';
/** Keys the examples pass to their model clients themselves. */
const HARD_CODED = ['sk-demo-not-a-real-key'];
const SECRETS = [...Object.values(FAKE), HEADER_TOKEN, HEADER_KEY, CLI_SECRET, ...HARD_CODED];
/** Anything shaped like a provider key that the redactor should have replaced. */
const KEY_SHAPE = /\b(sk-(?:proj-|ant-)?[A-Za-z0-9_-]{8,})/g;

const examples = discoverExamples();

it.each(examples.map((example) => [example.dir, example] as const))(
  'example %s: no API key, auth header or command-line secret reaches Jaeger, even with content capture on',
  async (_dir, example) => {
    const { otlpUrl, queryUrl } = sharedJaeger();
    const service = uniqueService(`secrets-${example.dir}`);
    const runId = randomUUID();
    const result = await runNode([...example.args, `--token=${CLI_SECRET}`], {
      cwd: example.path,
      env: {
        ...example.descriptor?.env,
        ...FAKE,
        OTEL_SERVICE_NAME: service,
        OTEL_RESOURCE_ATTRIBUTES: `${RUN_ATTRIBUTE}=${runId}`,
        OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
        OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${HEADER_TOKEN},x-api-key=${HEADER_KEY}`,
        OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'SPAN_AND_EVENT',
      },
    });
    expect(result.code).toBe(0);
    const spans = await waitForRunSpans(queryUrl, service, runId, { minSpans: 1 });
    // Everything stored for every service this run wrote to (an example may name its own).
    const serviceNames = [...new Set(spans.map((span) => String(span.resource['service.name'])))];
    const stored: string[] = [];
    for (const name of serviceNames) {
      stored.push((await spansOfService(queryUrl, name)).raw, await rawV1Traces(queryUrl, name));
    }
    const all = stored.join('\n');
    // The content was captured, so the search ran over real prompts and tool data.
    expect(spans.length).toBeGreaterThan(0);
    expect(all).toContain('gen_ai.input.messages');
    const hits = SECRETS.filter((secret) => all.includes(secret));
    const keyShaped = [...all.matchAll(KEY_SHAPE)].map((match) => match[1]);
    expect({ hits, keyShaped }).toEqual({ hits: [], keyShaped: [] });
    report(`secrets (${example.dir})`, [
      `${SECRETS.length} secrets searched in ${all.length} bytes stored by Jaeger (v3 + v1 APIs): 0 hits`,
    ]);
  },
);
