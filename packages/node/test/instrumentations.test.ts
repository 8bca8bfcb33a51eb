import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerProvider, MeterProvider, TracerProvider } from '@opentelemetry/api';
import {
  AGENT_OTEL_INSTRUMENTATIONS,
  disableInstrumentations,
  enableInstrumentations,
  loadInstrumentations,
} from '../src/instrumentations.js';
import type { InstrumentationLike } from '../src/types.js';
import { captureDiag } from '@agent-otel/testing/tracing';

// A fake application directory with node_modules on disk: the loader must find packages the way
// the application would, from its cwd, not from this package.

type Calls = string[];
const CALLS_KEY = '__agentOtelFixtureCalls';
const calls = (): Calls => ((globalThis as Record<string, unknown>)[CALLS_KEY] ??= []) as Calls;

function writePackage(appDir: string, name: string, main: string, extra: Record<string, unknown> = {}): void {
  const dir = join(appDir, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', main: 'index.js', ...extra }),
  );
  writeFileSync(join(dir, 'index.js'), main);
}

const FAKE_INSTRUMENTATION = `
const calls = (globalThis.${CALLS_KEY} ??= []);
class FakeInstrumentation {
  constructor() { this.instrumentationName = 'fake'; calls.push('construct'); }
  setTracerProvider(provider) { calls.push('setTracerProvider:' + provider.name); }
  enable() { calls.push('enable'); }
  disable() { calls.push('disable'); }
}
exports.FakeInstrumentation = FakeInstrumentation;
exports.NotAClass = 42;
exports.Throwing = class { constructor() { throw new Error('boom'); } };
exports.Incomplete = class { enable() {} };
exports.ConfigRecording = class {
  constructor(config) { calls.push('config:' + JSON.stringify(config)); }
  setTracerProvider() {}
  enable() {}
};
`;

describe('loadInstrumentations', () => {
  let appDir: string;

  beforeEach(() => {
    appDir = mkdtempSync(join(tmpdir(), 'agent-otel-app-'));
    (globalThis as Record<string, unknown>)[CALLS_KEY] = [];
    writePackage(appDir, 'fake-target', 'module.exports = {};');
    // A target whose package root is not exported still counts as installed.
    writePackage(appDir, 'fake-target-no-root', '', { exports: { './sub': './index.js' } });
    writePackage(appDir, '@fixture/instrumentation-fake', FAKE_INSTRUMENTATION);
  });

  afterEach(() => rmSync(appDir, { recursive: true, force: true }));

  it('ships an entry for each instrumentation package that exists', () => {
    expect(AGENT_OTEL_INSTRUMENTATIONS).toContainEqual({
      packageName: '@agent-otel/instrumentation-anthropic',
      exportName: 'AnthropicInstrumentation',
      targetModule: '@anthropic-ai/sdk',
    });
    expect(AGENT_OTEL_INSTRUMENTATIONS).toContainEqual({
      packageName: '@agent-otel/instrumentation-openai',
      exportName: 'OpenAIInstrumentation',
      targetModule: 'openai',
    });
  });

  it('constructs the instrumentation when its target library resolves from the app directory', () => {
    const loaded = loadInstrumentations(
      [
        {
          packageName: '@fixture/instrumentation-fake',
          exportName: 'FakeInstrumentation',
          targetModule: 'fake-target',
        },
      ],
      appDir,
    );
    expect(loaded).toHaveLength(1);
    expect(loaded[0]?.instrumentationName).toBe('fake');
    expect(calls()).toEqual(['construct']);
  });

  it('constructs instrumentations disabled, so nothing is patched before the provider is set', () => {
    loadInstrumentations(
      [
        {
          packageName: '@fixture/instrumentation-fake',
          exportName: 'ConfigRecording',
          targetModule: 'fake-target',
        },
      ],
      appDir,
    );
    expect(calls()).toEqual(['config:{"enabled":false}']);
  });

  it('treats a package without a root export as installed', () => {
    const loaded = loadInstrumentations(
      [
        {
          packageName: '@fixture/instrumentation-fake',
          exportName: 'FakeInstrumentation',
          targetModule: 'fake-target-no-root',
        },
      ],
      appDir,
    );
    expect(loaded).toHaveLength(1);
  });

  it('skips entries whose target is missing, without loading the instrumentation', () => {
    const loaded = loadInstrumentations(
      [
        {
          packageName: '@fixture/instrumentation-fake',
          exportName: 'FakeInstrumentation',
          targetModule: 'not-installed',
        },
      ],
      appDir,
    );
    expect(loaded).toEqual([]);
    expect(calls()).toEqual([]);
  });

  it('skips broken entries and keeps loading the others', () => {
    const loaded = loadInstrumentations(
      [
        { packageName: '@fixture/missing-instrumentation', exportName: 'X', targetModule: 'fake-target' },
        {
          packageName: '@fixture/instrumentation-fake',
          exportName: 'NotAClass',
          targetModule: 'fake-target',
        },
        { packageName: '@fixture/instrumentation-fake', exportName: 'Throwing', targetModule: 'fake-target' },
        {
          packageName: '@fixture/instrumentation-fake',
          exportName: 'Incomplete',
          targetModule: 'fake-target',
        },
        {
          packageName: '@fixture/instrumentation-fake',
          exportName: 'FakeInstrumentation',
          targetModule: 'fake-target',
        },
      ],
      appDir,
    );
    expect(loaded).toHaveLength(1);
    expect(loaded[0]?.instrumentationName).toBe('fake');
  });

  it('says at warn level, naming the package, when a library is installed without its instrumentation', () => {
    const captured = captureDiag();
    try {
      loadInstrumentations(
        [
          { packageName: '@fixture/missing-instrumentation', exportName: 'X', targetModule: 'fake-target' },
          {
            packageName: '@fixture/instrumentation-fake',
            exportName: 'Throwing',
            targetModule: 'fake-target',
          },
        ],
        appDir,
      );
    } finally {
      captured.restore();
    }
    expect(captured.messages.filter((m) => m.level === 'warn').map((m) => m.text)).toEqual([
      '@agent-otel/node: fake-target is installed but @fixture/missing-instrumentation is not; fake-target ' +
        'calls are not traced. Install it (npm install @fixture/missing-instrumentation), or reinstall ' +
        '@agent-otel/node, which depends on it.',
      expect.stringMatching(
        /^@agent-otel\/node: fake-target is installed but @fixture\/instrumentation-fake could not be loaded \(.*boom.*\); fake-target calls are not traced\./,
      ),
    ]);
  });

  it('does not find packages that only this repository has installed', () => {
    // @opentelemetry/api is installed for the monorepo, but not in the fake app.
    const loaded = loadInstrumentations(
      [
        {
          packageName: '@fixture/instrumentation-fake',
          exportName: 'FakeInstrumentation',
          targetModule: '@opentelemetry/api',
        },
      ],
      appDir,
    );
    expect(loaded).toEqual([]);
  });
});

describe('enableInstrumentations', () => {
  const provider = { name: 'provider', getTracer: () => undefined } as unknown as TracerProvider;

  it('sets the tracer provider before enabling, and disables on request', () => {
    const log: string[] = [];
    const instrumentation: InstrumentationLike = {
      setTracerProvider: (p) => log.push(`provider:${(p as unknown as { name: string }).name}`),
      enable: () => log.push('enable'),
      disable: () => log.push('disable'),
    };
    const enabled = enableInstrumentations([instrumentation], { tracerProvider: provider });
    expect(enabled).toEqual([instrumentation]);
    disableInstrumentations(enabled);
    expect(log).toEqual(['provider:provider', 'enable', 'disable']);
  });

  it('sets the meter and logger providers, when there are some, before enabling', () => {
    const log: string[] = [];
    const meterProvider = { getMeter: () => undefined } as unknown as MeterProvider;
    const loggerProvider = { getLogger: () => undefined } as unknown as LoggerProvider;
    const instrumentation: InstrumentationLike = {
      setTracerProvider: () => log.push('tracer'),
      setMeterProvider: (p) => log.push(p === meterProvider ? 'meter' : 'other meter'),
      setLoggerProvider: (p) => log.push(p === loggerProvider ? 'logger' : 'other logger'),
      enable: () => log.push('enable'),
    };
    enableInstrumentations([instrumentation], { tracerProvider: provider, meterProvider, loggerProvider });
    enableInstrumentations([instrumentation], { tracerProvider: provider });
    expect(log).toEqual(['tracer', 'meter', 'logger', 'enable', 'tracer', 'enable']);
  });

  it('does not enable an instrumentation that enabled itself, as registerInstrumentations does', () => {
    const log: string[] = [];
    const selfEnabled: InstrumentationLike = {
      setTracerProvider: () => log.push('provider'),
      enable: () => log.push('enable'),
      isEnabled: () => true,
    };
    const idle: InstrumentationLike = { ...selfEnabled, isEnabled: () => false };
    expect(enableInstrumentations([selfEnabled, idle], { tracerProvider: provider })).toEqual([
      selfEnabled,
      idle,
    ]);
    expect(log).toEqual(['provider', 'provider', 'enable']);
  });

  it('skips an instrumentation that throws and enables the rest', () => {
    const failing: InstrumentationLike = {
      setTracerProvider: () => undefined,
      enable: () => {
        throw new Error('cannot patch');
      },
    };
    const working: InstrumentationLike = { setTracerProvider: () => undefined, enable: () => undefined };
    expect(enableInstrumentations([failing, working], { tracerProvider: provider })).toEqual([working]);
    expect(() =>
      disableInstrumentations([
        failing,
        {
          ...working,
          disable: () => {
            throw new Error('x');
          },
        },
      ]),
    ).not.toThrow();
  });
});
