// Tests that run apps in child Node processes: the scripted model server the apps call and an OTLP
// receiver they export to, started and stopped around a test file's tests.
import { assertBuilt, type AssertBuiltOptions } from './assert-built.js';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.js';
import { runNode, type NodeRunResult } from './run-node.js';
import { startScriptedServer, type ScriptedServer } from './server.js';

/** The test runner's hooks, e.g. jest's globals: `{ beforeAll, beforeEach, afterEach, afterAll }`. */
export interface TestHooks {
  beforeAll(fn: () => Promise<void>): unknown;
  beforeEach(fn: () => Promise<void>): unknown;
  afterEach(fn: () => Promise<void>): unknown;
  afterAll(fn: () => Promise<void>): unknown;
}

/** Options of {@link useChildApps}: the built files the apps load (`root` is also where they run). */
export interface ChildAppsOptions extends AssertBuiltOptions {
  /** Where the hooks are registered. */
  readonly hooks: TestHooks;
  /** Set for every app, e.g. `OTEL_SERVICE_NAME`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Each app is killed after this long (default: that of `runNode`). */
  readonly timeoutMillis?: number;
}

/** The scripted server and the receiver of a test file whose tests run apps. */
export interface ChildApps {
  /** The scripted server: started before the tests (once the built files are there), reset after each. */
  readonly server: ScriptedServer;
  /** The OTLP receiver of the current test: a new one for each test. */
  readonly receiver: OtlpReceiver;
  /**
   * Runs `node args` in `root` to its end, with `OPENAI_BASE_URL` and `ANTHROPIC_BASE_URL` on the
   * scripted server, `OTEL_EXPORTER_OTLP_ENDPOINT` on the receiver and
   * `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`, then the options' `env`, then `env`.
   */
  run(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<NodeRunResult>;
}

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`useChildApps: the ${what} is used outside a test`);
  return value;
}

/**
 * Registers the hooks that, before the file's tests, check the built files (`assertBuilt`) and start
 * the scripted server; before each test, start a receiver; after each, reset the server and close
 * the receiver; after all, close the server. Call at the top of a test file or in a describe body.
 */
export function useChildApps(options: ChildAppsOptions): ChildApps {
  let server: ScriptedServer | undefined;
  let receiver: OtlpReceiver | undefined;
  options.hooks.beforeAll(async () => {
    assertBuilt(options);
    server = await startScriptedServer();
  });
  options.hooks.beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  options.hooks.afterEach(async () => {
    server?.reset();
    await receiver?.close();
    receiver = undefined;
  });
  options.hooks.afterAll(async () => {
    await server?.close();
  });
  return {
    get server() {
      return started(server, 'scripted server');
    },
    get receiver() {
      return started(receiver, 'receiver');
    },
    async run(args, env = {}) {
      const scripted = started(server, 'scripted server');
      return runNode(args, {
        cwd: options.root,
        env: {
          OPENAI_BASE_URL: scripted.openaiBaseURL,
          ANTHROPIC_BASE_URL: scripted.anthropicBaseURL,
          OTEL_EXPORTER_OTLP_ENDPOINT: started(receiver, 'receiver').url,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          ...options.env,
          ...env,
        },
        timeoutMillis: options.timeoutMillis,
      });
    },
  };
}
