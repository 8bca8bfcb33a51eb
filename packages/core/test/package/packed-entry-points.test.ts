import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { runNode } from '@agent-otel/testing';

// What a user installs: `npm pack` of the built package, installed into a fresh app outside the
// monorepo, imported from ESM and CommonJS, and type-checked from `.mts` and `.cts` files.
// Needs the build (`npm test` builds first) and the npm registry (or npm's cache).

const execFileP = promisify(execFile);
const packageDir = resolve(__dirname, '../..');
const typescript = require.resolve('typescript/bin/tsc');
const ENTRIES = ['@agent-otel/core', '@agent-otel/core/instrumentation', '@agent-otel/core/semconv'];

let app: string;

async function run(args: string[]) {
  const result = await runNode(args, { cwd: app, env: { PATH: process.env.PATH }, timeoutMillis: 60_000 });
  if (result.code !== 0) throw new Error(`node ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  return result.stdout;
}

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), 'agent-otel-packed-core-'));
  await execFileP('npm', ['pack', '--silent', '--pack-destination', app], { cwd: packageDir });
  const tarball = (await readdir(app)).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'packed-app', private: true }));
  await execFileP(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      `./${tarball}`,
      '@opentelemetry/api@^1.10.0',
      '@opentelemetry/sdk-trace@^3.1.1',
      '@opentelemetry/context-async-hooks@^3.1.1',
      // An optional peer: the toolkit entry (`@agent-otel/core/instrumentation`) needs it.
      '@opentelemetry/instrumentation@^0.301.1',
    ],
    { cwd: app, env: { ...process.env, npm_config_update_notifier: 'false' } },
  );
}, 240_000);

afterAll(async () => {
  if (app) await rm(app, { recursive: true, force: true });
});

// One traced run through the public API, and the names each entry point exports at run time.
const program = (load: string) => `
${load}
const { context, trace } = api;
const { AsyncLocalStorageContextManager } = hooks;
const exporter = new sdk.InMemorySpanExporter();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new sdk.TracerProvider({ spanProcessors: [new sdk.SimpleSpanProcessor({ exporter })] }));
core.withTrace('packed-run', () => core.withToolSpan('lookup', () => 1));
const spans = exporter.getFinishedSpans().map((s) => [s.name, s.attributes[semconv.ATTR_GEN_AI_OPERATION_NAME]]);
const entryExports = Object.fromEntries(
  [['@agent-otel/core', core], ['@agent-otel/core/instrumentation', toolkit], ['@agent-otel/core/semconv', semconv]]
    .map(([name, m]) => [name, Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort()]),
);
console.log(JSON.stringify({ spans, exports: entryExports }));
`;

const ESM = program(`
import * as api from '@opentelemetry/api';
import * as hooks from '@opentelemetry/context-async-hooks';
import * as sdk from '@opentelemetry/sdk-trace';
import * as core from '@agent-otel/core';
import * as toolkit from '@agent-otel/core/instrumentation';
import * as semconv from '@agent-otel/core/semconv';
`);
const CJS = program(`
const api = require('@opentelemetry/api');
const hooks = require('@opentelemetry/context-async-hooks');
const sdk = require('@opentelemetry/sdk-trace');
const core = require('@agent-otel/core');
const toolkit = require('@agent-otel/core/instrumentation');
const semconv = require('@agent-otel/core/semconv');
`);

/** The names the sources export at run time (what the built entry points must match). */
function sourceExports(): Record<string, string[]> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const modules = [
    require('../../src/index'),
    require('../../src/instrumentation'),
    require('../../src/semconv'),
  ];
  /* eslint-enable @typescript-eslint/no-require-imports */
  return Object.fromEntries(ENTRIES.map((name, i) => [name, Object.keys(modules[i]).sort()]));
}

describe('@agent-otel/core installed from its packed tarball', () => {
  it.each([
    ['ESM', 'app.mjs', ESM],
    ['CommonJS', 'app.cjs', CJS],
  ])('loads every entry point and traces a run from %s', async (_label, file, source) => {
    await writeFile(join(app, file), source);
    const out = JSON.parse(await run([file]));
    expect(out.spans).toEqual([
      ['execute_tool lookup', 'execute_tool'],
      ['invoke_workflow packed-run', 'invoke_workflow'],
    ]);
    expect(out.exports).toEqual(sourceExports());
  });

  it('has types for every entry point from ESM and CommonJS files', async () => {
    const check = (importFrom: (entry: string, names: string) => string) => `
${importFrom('@agent-otel/core', 'withTrace, type TokenUsage')}
${importFrom('@agent-otel/core/instrumentation', 'traceClientCall')}
${importFrom('@agent-otel/core/semconv', 'ATTR_GEN_AI_OPERATION_NAME')}
const name: string = ATTR_GEN_AI_OPERATION_NAME;
const usage: TokenUsage = { inputTokens: 1 };
// @ts-expect-error the callback is required: fails only if the types resolved to \`any\`
withTrace('no callback');
// @ts-expect-error not a function: fails only if the types resolved to \`any\`
traceClientCall(1, 2, 3);
export { name, usage };
`;
    await writeFile(
      join(app, 'check-esm.mts'),
      check((e, n) => `import { ${n} } from '${e}';`),
    );
    await writeFile(
      join(app, 'check-cjs.cts'),
      check((e, n) => `import { ${n.replace('type ', '')} } from '${e}';`),
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
          skipLibCheck: false,
          types: [],
        },
        files: ['check-esm.mts', 'check-cjs.cts'],
      }),
    );
    const result = await runNode([typescript, '-p', 'tsconfig.json'], {
      cwd: app,
      env: { PATH: process.env.PATH },
      timeoutMillis: 120_000,
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);
});
