import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runNode } from '@agent-otel/testing';
import { assertMcpBuilt } from './child-processes';

// The CommonJS build of the SDK is patched through the instrumentation's own require hook (see
// SdkRequireHook). Each case runs a short script in a fresh Node process, as an application would.

const PACKAGE_DIR = resolve(__dirname, '..');
const INSTRUMENTATION = join(PACKAGE_DIR, 'dist', 'cjs', 'index.js');

// Each case waits for its child (up to 20 s each), no longer than jest lets a test run.
jest.setTimeout(30_000);

beforeAll(() => assertMcpBuilt());

/** Runs `script` in a fresh Node process and returns what it printed; throws if it fails. */
async function run(script: string, cwd = PACKAGE_DIR): Promise<string> {
  const result = await runNode(['-e', script], { cwd, env: {}, timeoutMillis: 20_000 });
  if (result.code !== 0) {
    throw new Error(`the script failed (exit ${result.code}, signal ${result.signal}): ${result.stderr}`);
  }
  return result.stdout.trim();
}

const isPatched = `
  const { Protocol } = require('@modelcontextprotocol/sdk/shared/protocol.js');
  console.log(JSON.stringify([!!Protocol.prototype.request.__wrapped, !!Protocol.prototype.setRequestHandler.__wrapped]));
`;

describe('the CommonJS require hook', () => {
  it.each(['server/mcp.js', 'server/index.js', 'client/index.js', 'client', 'server'])(
    'patches Protocol when the app requires @modelcontextprotocol/sdk/%s',
    async (entry) => {
      const out = await run(`
        const { McpInstrumentation } = require(${JSON.stringify(INSTRUMENTATION)});
        new McpInstrumentation();
        require('@modelcontextprotocol/sdk/${entry}');
        ${isPatched}
      `);
      expect(JSON.parse(out)).toEqual([true, true]);
    },
  );

  it('patches an SDK required before the instrumentation was enabled', async () => {
    const out = await run(`
      require('@modelcontextprotocol/sdk/client/index.js');
      const { McpInstrumentation } = require(${JSON.stringify(INSTRUMENTATION)});
      new McpInstrumentation();
      ${isPatched}
    `);
    expect(JSON.parse(out)).toEqual([true, true]);
  });

  it('unpatches on disable() and patches again on enable(), the session methods included', async () => {
    const out = await run(`
      const { McpInstrumentation } = require(${JSON.stringify(INSTRUMENTATION)});
      const instrumentation = new McpInstrumentation();
      const { Protocol } = require('@modelcontextprotocol/sdk/shared/protocol.js');
      const names = ['request', 'setRequestHandler', 'connect', '_onclose', '_onerror'];
      const wrapped = () => names.map((name) => !!Protocol.prototype[name].__wrapped);
      const states = [wrapped()];
      instrumentation.disable();
      states.push(wrapped());
      instrumentation.enable();
      states.push(wrapped());
      console.log(JSON.stringify(states));
    `);
    const all = (value: boolean) => Array.from({ length: 5 }, () => value);
    expect(JSON.parse(out)).toEqual([all(true), all(false), all(true)]);
  });

  describe('with an SDK copy of another version', () => {
    let appDir: string;
    beforeEach(() => {
      appDir = mkdtempSync(join(tmpdir(), 'agent-otel-mcp-app-'));
    });
    afterEach(() => rmSync(appDir, { recursive: true, force: true }));

    function installFakeSdk(version: string): void {
      const sdk = join(appDir, 'node_modules', '@modelcontextprotocol', 'sdk');
      mkdirSync(join(sdk, 'dist', 'cjs', 'shared'), { recursive: true });
      mkdirSync(join(sdk, 'dist', 'cjs', 'client'), { recursive: true });
      writeFileSync(
        join(sdk, 'package.json'),
        JSON.stringify({
          name: '@modelcontextprotocol/sdk',
          version,
          exports: { './*': { require: './dist/cjs/*' } },
        }),
      );
      writeFileSync(
        join(sdk, 'dist', 'cjs', 'shared', 'protocol.js'),
        'class Protocol { request() {} setRequestHandler() {} }\nexports.Protocol = Protocol;\n',
      );
      writeFileSync(
        join(sdk, 'dist', 'cjs', 'client', 'index.js'),
        "const { Protocol } = require('../shared/protocol.js');\nexports.Client = class Client extends Protocol {};\n",
      );
    }

    const script = `
      const { McpInstrumentation } = require(${JSON.stringify(INSTRUMENTATION)});
      new McpInstrumentation();
      require('@modelcontextprotocol/sdk/client/index.js');
      ${isPatched}
    `;

    // The fake Protocol has no connect / _onclose / _onerror: the spans are still patched.
    it('patches a supported version found in the application', async () => {
      installFakeSdk('1.20.0');
      expect(JSON.parse(await run(script, appDir))).toEqual([true, true]);
    });

    it('leaves an unsupported version alone', async () => {
      installFakeSdk('1.5.0');
      expect(JSON.parse(await run(script, appDir))).toEqual([false, false]);
    });
  });
});
