import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startScriptedServer, type ScriptedServer } from '@agent-otel/testing';
import { runNode } from './support/child';
import { report, sharedJaeger, uniqueService } from './support/e2e-env';
import { waitForSpans, type StoredSpan } from './support/jaeger-query';
import { waitForMetrics } from './support/signals-query';
import { REPO_ROOT } from './support/jaeger-process';

// What users install, the way they install it: every package packed with `npm pack`, installed from
// the tarballs into a fresh application outside this repository, next to `openai` and the
// OpenTelemetry packages of one SDK line (2.x with API 1.9, 3.x with API 1.10), each run from ESM
// and CommonJS through the two setups the READMEs describe:
//   - `@agent-otel/node` (3.x line only: it sets up a 3.x SDK): `node --import
//     @agent-otel/node/register app.mjs` / `node -r … app.cjs`, after the root README's install command;
//   - an application's own `NodeSDK` with core's processors and the adapters, as in the node
//     README's "Inside an existing NodeSDK setup".
// Each run makes one traced `openai` chat call against a scripted model server; its spans are read
// back from the real Jaeger. Needs the build and the npm registry (or npm's cache).

const execFileP = promisify(execFile);
/** Every package an application installs: all of `packages/` but the test plumbing. */
const PUBLISHED = readdirSync(join(REPO_ROOT, 'packages')).filter((dir) => {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', dir, 'package.json'), 'utf8')) as {
    name: string;
    private?: boolean;
  };
  return manifest.private !== true && manifest.name !== '@agent-otel/testing';
});
/** The libraries an application installs next to its own code (the viewer is a command: tested apart). */
const LIBRARIES = PUBLISHED.filter((dir) => dir !== 'viewer');
const INSTALL_TIME_LIMIT = 300_000;
const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

interface SdkLine {
  readonly label: string;
  /** `@agent-otel/node` sets up a 3.x SDK; on the 2.x line an application uses its own NodeSDK. */
  readonly withNode: boolean;
  /** The application runs its own `NodeSDK` (`@opentelemetry/sdk-node` installed). */
  readonly nodeSdk: boolean;
  /** What the application installs besides the tarballs and `openai`. */
  readonly otel: readonly string[];
  /** The versions npm must have chosen for agent-otel's own OpenTelemetry dependencies. */
  readonly expected: Readonly<Record<string, RegExp>>;
}

const LINES: readonly SdkLine[] = [
  {
    // Exactly the root README: `npm install @agent-otel/node @agent-otel/core @opentelemetry/api`
    // beside `openai`, and nothing else; every instrumentation comes with @agent-otel/node.
    label: 'root README install',
    withNode: true,
    nodeSdk: false,
    otel: ['@opentelemetry/api'],
    expected: {
      '@opentelemetry/api': /^1\.10\./,
      '@opentelemetry/sdk-trace': /^3\./,
      '@opentelemetry/instrumentation': /^0\.30\d\./,
    },
  },
  {
    label: 'OpenTelemetry JS 3.x',
    withNode: true,
    nodeSdk: true,
    otel: [
      '@opentelemetry/api@~1.10.0',
      '@opentelemetry/sdk-node@~0.301.1',
      '@opentelemetry/sdk-trace@~3.1.1',
      '@opentelemetry/exporter-trace-otlp-proto@~0.301.1',
    ],
    expected: {
      '@opentelemetry/api': /^1\.10\./,
      '@opentelemetry/sdk-trace': /^3\./,
      '@opentelemetry/instrumentation': /^0\.30\d\./,
    },
  },
  {
    label: 'OpenTelemetry JS 2.x',
    withNode: false,
    nodeSdk: true,
    otel: [
      '@opentelemetry/api@~1.9.0',
      '@opentelemetry/sdk-node@~0.223.0',
      '@opentelemetry/sdk-trace@~2.12.0',
      '@opentelemetry/exporter-trace-otlp-proto@~0.223.0',
    ],
    expected: {
      '@opentelemetry/api': /^1\.9\./,
      '@opentelemetry/sdk-trace': /^2\.12\./,
      '@opentelemetry/instrumentation': /^0\.22\d\./,
    },
  },
];

/** One traced chat call, as an application writes it. */
const APP_BODY = `
const client = new OpenAI({ baseURL: process.env.MODEL_URL, apiKey: 'sk-packed-test' });
const answer = await withTrace('packed-run', () =>
  client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
);
console.log('answer:', answer.choices[0].message.content);
`;
const APP_MJS = `import OpenAI from 'openai';
import { withTrace } from '@agent-otel/core';
${APP_BODY}`;
const APP_CJS = `const OpenAI = require('openai');
const { withTrace } = require('@agent-otel/core');
(async () => {
${APP_BODY}
})();
`;

/** The node README's NodeSDK setup; `load` brings in the same names from ESM or CommonJS. */
const telemetry = (load: string, esmHook: string) => `${load}
${esmHook}
const sdk = new NodeSDK({
  spanProcessors: [
    new BaggageSpanProcessor(),
    new TraceProcessorSpanProcessor(),
    new BatchSpanProcessor({ exporter: new OTLPTraceExporter() }),
  ],
  instrumentations: [
    new OpenAIInstrumentation(),
    new AnthropicInstrumentation(),
    new OpenAIAgentsInstrumentation(),
    new McpInstrumentation(),
  ],
});
sdk.start();
process.once('beforeExit', async () => {
  endOpenStreamSpans();
  await sdk.shutdown();
});
`;
const TELEMETRY_MJS = telemetry(
  `import { register } from 'node:module';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BaggageSpanProcessor, TraceProcessorSpanProcessor, endOpenStreamSpans } from '@agent-otel/core';
import { OpenAIInstrumentation } from '@agent-otel/instrumentation-openai';
import { AnthropicInstrumentation } from '@agent-otel/instrumentation-anthropic';
import { OpenAIAgentsInstrumentation } from '@agent-otel/openai-agents';
import { McpInstrumentation } from '@agent-otel/instrumentation-mcp';`,
  // ESM applications: the loader hook lets the instrumentations patch imported libraries.
  `register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);`,
);
const TELEMETRY_CJS = telemetry(
  `const { NodeSDK } = require('@opentelemetry/sdk-node');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { BaggageSpanProcessor, TraceProcessorSpanProcessor, endOpenStreamSpans } = require('@agent-otel/core');
const { OpenAIInstrumentation } = require('@agent-otel/instrumentation-openai');
const { AnthropicInstrumentation } = require('@agent-otel/instrumentation-anthropic');
const { OpenAIAgentsInstrumentation } = require('@agent-otel/openai-agents');
const { McpInstrumentation } = require('@agent-otel/instrumentation-mcp');`,
  '',
);

const SETUPS = [
  {
    label: '@agent-otel/node, ESM (--import)',
    node: true,
    args: ['--import', '@agent-otel/node/register', 'app.mjs'],
  },
  {
    label: '@agent-otel/node, CommonJS (-r)',
    node: true,
    args: ['-r', '@agent-otel/node/register', 'app.cjs'],
  },
  { label: 'own NodeSDK, ESM (--import)', node: false, args: ['--import', './telemetry.mjs', 'app.mjs'] },
  { label: 'own NodeSDK, CommonJS (-r)', node: false, args: ['-r', './telemetry.cjs', 'app.cjs'] },
] as const;

let tarballs: string;
let server: ScriptedServer;
const apps = new Map<string, string>();
const installSeconds: string[] = [];

async function npm(args: readonly string[], cwd: string): Promise<void> {
  await execFileP('npm', [...args], {
    cwd,
    env: {
      ...process.env,
      npm_config_update_notifier: 'false',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    },
    maxBuffer: 64 * 1024 * 1024,
  });
}

async function installedVersion(app: string, name: string): Promise<string> {
  return (
    JSON.parse(await readFile(join(app, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

/** A fresh application on one SDK line, then the packed agent-otel packages added to it. */
async function installApp(line: SdkLine, openaiVersion: string): Promise<string> {
  const started = Date.now();
  const app = await mkdtemp(join(tmpdir(), 'agent-otel-packed-app-'));
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'packed-app', private: true }));
  const files = (await readdir(tarballs))
    .filter(
      (file) =>
        file.endsWith('.tgz') &&
        !file.startsWith('agent-otel-viewer-') &&
        (line.withNode || !file.startsWith('agent-otel-node-')),
    )
    .map((file) => join(tarballs, file));
  // An application that exists already (its OpenTelemetry line and its model client), then agent-otel.
  await npm(['install', '--prefer-offline', ...line.otel, `openai@${openaiVersion}`], app);
  await npm(['install', '--prefer-offline', ...files], app);
  await writeFile(join(app, 'app.mjs'), APP_MJS);
  await writeFile(join(app, 'app.cjs'), APP_CJS);
  await writeFile(join(app, 'telemetry.mjs'), TELEMETRY_MJS);
  await writeFile(join(app, 'telemetry.cjs'), TELEMETRY_CJS);
  installSeconds.push(`${line.label}: installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return app;
}

beforeAll(async () => {
  tarballs = await mkdtemp(join(tmpdir(), 'agent-otel-tarballs-'));
  await npm(
    [
      'pack',
      '--silent',
      '--pack-destination',
      tarballs,
      ...PUBLISHED.flatMap((dir) => ['-w', `packages/${dir}`]),
    ],
    REPO_ROOT,
  );
  const openaiVersion = await installedVersion(REPO_ROOT, 'openai');
  for (const line of LINES) apps.set(line.label, await installApp(line, openaiVersion));
  server = await startScriptedServer();
  report('packed install', installSeconds);
}, INSTALL_TIME_LIMIT * LINES.length);

afterAll(async () => {
  await server?.close();
  for (const dir of [tarballs, ...apps.values()]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each(LINES.map((line) => [line.label, line] as const))('%s, from packed tarballs', (label, line) => {
  it('npm chose the OpenTelemetry packages of this line for agent-otel', async () => {
    const app = apps.get(label)!;
    for (const [name, version] of Object.entries(line.expected)) {
      expect([name, await installedVersion(app, name)]).toEqual([name, expect.stringMatching(version)]);
    }
    // No second copy of the API or the SDK nested under an agent-otel package.
    const nested = (
      await Promise.all(
        LIBRARIES.filter((dir) => line.withNode || dir !== 'node').map(async (dir) => {
          const modules = join(app, 'node_modules', '@agent-otel', dir, 'node_modules', '@opentelemetry');
          return (await readdir(modules).catch(() => [] as string[])).map((entry) => `${dir}: ${entry}`);
        }),
      )
    ).flat();
    expect(nested).toEqual([]);
  });

  it('type-checks the app (and the NodeSDK setup) from ESM and CommonJS files', async () => {
    const app = apps.get(label)!;
    if (line.nodeSdk) await writeFile(join(app, 'telemetry-check.mts'), TELEMETRY_MJS);
    await writeFile(join(app, 'app-check.mts'), APP_MJS);
    await writeFile(
      join(app, 'app-check.cts'),
      `import OpenAI from 'openai';
import { withTrace } from '@agent-otel/core';
export async function run(): Promise<void> {
${APP_BODY}
}
`,
    );
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          // As most applications have it; @agent-otel/openai-agents' declarations name the optional
          // @openai/agents, which this application does not install.
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
        },
        files: [...(line.nodeSdk ? ['telemetry-check.mts'] : []), 'app-check.mts', 'app-check.cts'],
      }),
    );
    const result = await runNode([TSC, '-p', 'tsconfig.json'], {
      cwd: app,
      env: {},
      timeLimitMillis: 120_000,
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it.each(
    SETUPS.filter((setup) => (setup.node ? line.withNode : line.nodeSdk)).map(
      (setup) => [setup.label, setup] as const,
    ),
  )(
    '%s: one traced chat call reaches Jaeger as a workflow span with its chat span',
    async (_setupLabel, setup) => {
      const { otlpUrl, queryUrl } = sharedJaeger();
      const service = uniqueService('packed');
      const result = await runNode(setup.args, {
        cwd: apps.get(label)!,
        env: {
          MODEL_URL: server.openaiBaseURL,
          OTEL_SERVICE_NAME: service,
          OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        },
      });
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('answer: ok');
      expect(result.code).toBe(0);
      const spans = await waitForSpans(queryUrl, service, { minSpans: 2 });
      const named = (name: string): StoredSpan | undefined => spans.find((span) => span.name === name);
      const workflow = named('invoke_workflow packed-run');
      const chat = named('chat gpt-4o-mini');
      expect(workflow).toBeDefined();
      expect(chat?.parentSpanId).toBe(workflow?.spanId);
      expect(chat?.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
      });
      if (setup.node) {
        // register() also set up metrics: the call's duration and usage arrive through Jaeger's collector.
        const points = await waitForMetrics(service, (received) =>
          received.some((point) => point.name === 'gen_ai.client.inference.usage.input_tokens'),
        );
        const duration = points.find((point) => point.name === 'gen_ai.client.inference.duration');
        expect(duration?.type === 'histogram' ? duration.value.count : undefined).toBe(1);
        const input = points.find((point) => point.name === 'gen_ai.client.inference.usage.input_tokens');
        expect(input?.value).toBe(chat?.attributes['gen_ai.usage.input_tokens']);
      }
    },
  );
});

describe('the viewer command, from its tarball', () => {
  it('installs alone (with core) into a fresh folder, starts from node_modules/.bin, receives a span and serves it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agent-otel-packed-viewer-'));
    try {
      await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'viewer-user', private: true }));
      const tarballsOf = (await readdir(tarballs)).filter(
        (file) => file.startsWith('agent-otel-viewer-') || file.startsWith('agent-otel-core-'),
      );
      expect(tarballsOf).toHaveLength(2);
      await npm(['install', '--prefer-offline', ...tarballsOf.map((file) => join(tarballs, file))], dir);
      const child = spawn(
        join(dir, 'node_modules', '.bin', 'agent-otel-viewer'),
        ['--port', '0', '--db', join(dir, 'viewer.db')],
        {
          cwd: dir,
          env: { ...process.env, PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH}` },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      try {
        const started = Date.now();
        while (!/http:\/\/127\.0\.0\.1:\d+/.test(stdout) && Date.now() - started < 20_000) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const base = /http:\/\/127\.0\.0\.1:\d+/.exec(stdout)?.[0];
        expect([base, stderr]).toEqual([expect.stringMatching(/^http/), '']);
        const traceId = '5b8efff798038103d269b633813fc60c';
        const exported = await fetch(`${base}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            resourceSpans: [
              {
                resource: { attributes: [{ key: 'service.name', value: { stringValue: 'packed-viewer' } }] },
                scopeSpans: [
                  {
                    scope: { name: 'test' },
                    spans: [
                      {
                        traceId,
                        spanId: 'eee19b7ec3c1b174',
                        name: 'invoke_workflow packed',
                        kind: 1,
                        startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                        endTimeUnixNano: String((BigInt(Date.now()) + 5n) * 1_000_000n),
                        attributes: [
                          { key: 'gen_ai.operation.name', value: { stringValue: 'invoke_workflow' } },
                          { key: 'gen_ai.agent.name', value: { stringValue: 'packed' } },
                        ],
                      },
                    ],
                  },
                ],
              },
            ],
          }),
        });
        expect(exported.status).toBe(200);
        const page = (await (await fetch(`${base}/api/traces`)).json()) as {
          traces: { traceId: string; name: string; serviceName: string }[];
        };
        expect(page.traces.map(({ traceId: id, name, serviceName }) => ({ id, name, serviceName }))).toEqual([
          { id: traceId, name: 'packed', serviceName: 'packed-viewer' },
        ]);
        const index = await fetch(`${base}/`);
        expect([index.status, index.headers.get('content-security-policy')]).toEqual([
          200,
          expect.stringContaining("script-src 'self'"),
        ]);
      } finally {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
