import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode } from '@agent-otel/testing';
import { assertNodeBuilt, REPO_ROOT } from './helpers.js';

// An application whose installed library is outside the range its instrumentation supports: the
// calls cannot be traced, and the user is told so once, at the default log level, through the real
// hook paths (`-r` and `--import`). The app's node_modules links to this repository's packages and
// holds a stand-in `openai` 5.0.0 (the version is all the check reads).

jest.setTimeout(30_000);

let app: string;

beforeAll(() => {
  assertNodeBuilt();
  app = mkdtempSync(join(tmpdir(), 'agent-otel-old-library-'));
  mkdirSync(join(app, 'node_modules', 'openai'), { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules', '@agent-otel'), join(app, 'node_modules', '@agent-otel'));
  symlinkSync(join(REPO_ROOT, 'node_modules', '@opentelemetry'), join(app, 'node_modules', '@opentelemetry'));
  writeFileSync(
    join(app, 'node_modules', 'openai', 'package.json'),
    JSON.stringify({
      name: 'openai',
      version: '5.0.0',
      main: 'index.js',
      exports: { '.': { import: './index.mjs', require: './index.js' } },
    }),
  );
  writeFileSync(join(app, 'node_modules', 'openai', 'index.js'), 'exports.OpenAI = class OpenAI {};\n');
  writeFileSync(join(app, 'node_modules', 'openai', 'index.mjs'), 'export class OpenAI {}\n');
  writeFileSync(join(app, 'app.cjs'), "require('openai');\nrequire('openai');\nconsole.log('done');\n");
  writeFileSync(
    join(app, 'app.mjs'),
    "await import('openai');\nawait import('openai');\nconsole.log('done');\n",
  );
});
afterAll(() => rmSync(app, { recursive: true, force: true }));

const WARNING =
  '@agent-otel/instrumentation-openai: openai 5.0.0 is installed, outside the supported range >=6.0.0 <8; ' +
  'its calls are not traced. Install a version of openai in that range, or a release of ' +
  '@agent-otel/instrumentation-openai that supports 5.0.0.';

it.each([
  ['CommonJS, -r', ['-r', '@agent-otel/node/register', 'app.cjs']],
  ['ESM, --import', ['--import', '@agent-otel/node/register', 'app.mjs']],
])('%s: warns once that openai 5.0.0 is not supported, and the app runs', async (_label, args) => {
  const result = await runNode(args, {
    cwd: app,
    env: { OTEL_TRACES_EXPORTER: 'none' },
    timeoutMillis: 25_000,
  });
  expect(result.stdout).toBe('done\n');
  expect(result.code).toBe(0);
  expect(result.stderr.split('\n').filter((line) => line.includes('openai 5.0.0'))).toEqual([WARNING]);
});
