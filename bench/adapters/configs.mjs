// The configurations compared by bench/adapters.mjs, and the OpenTelemetry pipeline they share.
//
// Each configuration runs in its own child process. Its life has two phases, which the load-cost
// benchmark times separately:
//   instrument(ctx)         import the instrumentation package(s), construct, set the tracer provider,
//                           enable (this installs the require hook, if any), before any client is loaded
//   loadClients(ctx, state) require `openai` / `@anthropic-ai/sdk` (through the hook), and patch by hand
//                           (`manuallyInstrument`) when the hook did not patch
// Everything is loaded through CommonJS `require`, as in a CommonJS application, so that the require
// hooks of the instrumentations see the client modules.
//
// Which instrumentation produced spans is never assumed: the worker counts exported spans per call.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OPERATIONS, PROVIDER_OF } from './workload.mjs';

const require = createRequire(import.meta.url);

/** The instrumentation scope of the spans @anthropic-ai/sdk 1.x creates itself (native tracing). */
export const ANTHROPIC_NATIVE_SCOPE = 'com.anthropic.sdk.typescript';

/** TracerProvider + Simple (default) or Batch span processor → an exporter that counts and discards. */
export function createPipeline({ processor = 'simple' } = {}) {
  const api = require('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
  const { TracerProvider, SimpleSpanProcessor, BatchSpanProcessor } = require('@opentelemetry/sdk-trace');
  // Counts the spans of the instrumentation under test (`count`, `last`) apart from the spans that
  // @anthropic-ai/sdk ≥ 1.x creates by itself (`native`, `lastNative`).
  const exporter = {
    count: 0,
    last: undefined,
    native: 0,
    lastNative: undefined,
    export(spans, done) {
      for (const span of spans) {
        if (span.instrumentationScope?.name?.startsWith(ANTHROPIC_NATIVE_SCOPE)) {
          this.native++;
          this.lastNative = span;
        } else {
          this.count++;
          this.last = span;
        }
      }
      done({ code: 0 });
    },
    shutdown: async () => {},
    forceFlush: async () => {},
  };
  const spanProcessor =
    processor === 'batch'
      ? new BatchSpanProcessor({ exporter, maxQueueSize: 8192, maxExportBatchSize: 512 })
      : new SimpleSpanProcessor({ exporter });
  const provider = new TracerProvider({ spanProcessors: [spanProcessor] });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.trace.setGlobalTracerProvider(provider);
  return { api, provider, exporter };
}

/**
 * `@agent-otel/core` as the instrumentations load it (resolved from each instrumentation package, so
 * a second copy elsewhere in node_modules could not be switched off instead); throws if the two
 * instrumentations resolve different copies.
 */
function instrumentationCore() {
  const paths = ['@agent-otel/instrumentation-openai', '@agent-otel/instrumentation-anthropic'].map((pkg) =>
    createRequire(require.resolve(pkg)).resolve('@agent-otel/core'),
  );
  if (paths[0] !== paths[1])
    throw new Error(`the instrumentations load two copies of @agent-otel/core: ${paths}`);
  return require(paths[0]);
}

/** True when the method was wrapped with shimmer (what InstrumentationBase#_wrap uses). */
const isWrapped = (fn) => typeof fn === 'function' && fn.__wrapped === true;
const openaiPatched = (m) => isWrapped(m?.OpenAI?.Chat?.Completions?.prototype?.create);
const anthropicPatched = (m) => isWrapped(m?.Anthropic?.Messages?.prototype?.create);

/** Require a client module; a require hook that throws is reported, then the module is required again. */
function requireClient(id, notes, key) {
  try {
    return require(id);
  } catch (err) {
    notes[key].push(`require('${id}') THREW under the instrumentation's hook: ${err.message}`);
    return require(id); // the module is cached by now; the app would have crashed here
  }
}

function tryManual(inst, arg, notes, key, patched) {
  if (patched()) {
    notes[key].push('patched by the require hook');
    return;
  }
  if (typeof inst.manuallyInstrument !== 'function') {
    notes[key].push('require hook did not patch; no manuallyInstrument');
    return;
  }
  try {
    inst.manuallyInstrument(arg);
    notes[key].push(
      patched() ? 'require hook did not patch; used manuallyInstrument' : 'manuallyInstrument did not patch',
    );
  } catch (err) {
    notes[key].push(`manuallyInstrument THREW: ${err.message}`);
  }
}

function enable(inst, provider) {
  inst.setTracerProvider(provider);
  inst.enable();
  return inst;
}

function loadBoth(ctx, insts, manualArgs) {
  const notes = { openai: [], anthropic: [] };
  const openai = ctx.providers.includes('openai') ? requireClient('openai', notes, 'openai') : undefined;
  const anthropic = ctx.providers.includes('anthropic')
    ? requireClient('@anthropic-ai/sdk', notes, 'anthropic')
    : undefined;
  if (openai && insts.openai)
    tryManual(insts.openai, manualArgs.openai(openai), notes, 'openai', () => openaiPatched(openai));
  if (anthropic && insts.anthropic)
    tryManual(insts.anthropic, manualArgs.anthropic(anthropic), notes, 'anthropic', () =>
      anthropicPatched(anthropic),
    );
  return { openai, anthropic, notes };
}

/**
 * Content capture: agent-otel records no message content by default (opt-in). Unless `--peer-defaults`
 * is given, peers are configured the same way (content off), so every configuration records the same
 * kind of data (metadata, model, usage); this makes the peers cheaper, never more expensive.
 */
/**
 * @anthropic-ai/sdk 1.x traces its own calls (scope `com.anthropic.sdk.typescript`) as soon as a global
 * tracer provider is registered. So that each row measures one instrumentation, every configuration
 * except `anthropic-native` and `agent-otel+sdk` constructs its Anthropic client with
 * `openTelemetry: false`.
 */
export const CONFIGS = {
  none: {
    label: 'none',
    description: 'uninstrumented client, no OpenTelemetry SDK',
    providers: ['openai', 'anthropic'],
    traced: false,
    instrument: () => ({}),
    loadClients: (ctx) => loadBoth(ctx, {}, {}),
  },
  'raw-span': {
    label: 'raw-span',
    description: 'one hand-written span per call (startActiveSpan), key attributes set by hand',
    providers: ['openai', 'anthropic'],
    traced: true,
    instrument: (ctx) => ({ tracer: ctx.provider.getTracer('bench-raw-span') }),
    loadClients: (ctx) => loadBoth(ctx, {}, {}),
  },
  'raw-span-full': {
    label: 'raw-span-full',
    description:
      "one hand-written span per call with the same attributes agent-otel's span carries (time to first chunk, cache/reasoning tokens, cost)",
    providers: ['openai', 'anthropic'],
    traced: true,
    instrument: (ctx) => ({ tracer: ctx.provider.getTracer('bench-raw-span') }),
    loadClients: (ctx) => loadBoth(ctx, {}, {}),
  },
  'agent-otel': {
    label: 'agent-otel',
    description: '@agent-otel/instrumentation-openai + @agent-otel/instrumentation-anthropic',
    packages: ['@agent-otel/instrumentation-openai', '@agent-otel/instrumentation-anthropic'],
    providers: ['openai', 'anthropic'],
    traced: true,
    instrument(ctx) {
      const { OpenAIInstrumentation } = require('@agent-otel/instrumentation-openai');
      const { AnthropicInstrumentation } = require('@agent-otel/instrumentation-anthropic');
      return {
        openai: enable(new OpenAIInstrumentation(), ctx.provider),
        anthropic: enable(new AnthropicInstrumentation(), ctx.provider),
      };
    },
    loadClients: (ctx, s) => loadBoth(ctx, s, { openai: (m) => m, anthropic: (m) => m }),
  },
  'raw-span-wrap': {
    label: 'raw-span-wrap',
    description:
      "raw-span-full's span, but on streams the cheapest transparent in-place wrap: the span started around the call, the SDK's stream returned to the caller with its async iterator wrapped once (each item read for the same attributes, the span ended when the iteration ends); JSON calls as raw-span-full",
    providers: ['openai', 'anthropic'],
    traced: true,
    instrument: (ctx) => ({ tracer: ctx.provider.getTracer('bench-raw-span') }),
    loadClients: (ctx) => loadBoth(ctx, {}, {}),
  },
  'agent-otel-disabled': {
    label: 'agent-otel-disabled',
    description:
      "agent-otel set up exactly as `agent-otel` (pipeline registered, both instrumentations enabled), then tracing switched off with core's setTracingDisabled(true) (what OTEL_SDK_DISABLED=true does): no spans expected",
    packages: ['@agent-otel/instrumentation-openai', '@agent-otel/instrumentation-anthropic'],
    providers: ['openai', 'anthropic'],
    traced: true,
    spans: false, // the span check expects none
    instrument(ctx) {
      const state = CONFIGS['agent-otel'].instrument(ctx);
      instrumentationCore().setTracingDisabled(true);
      return state;
    },
    loadClients: (ctx, s) => CONFIGS['agent-otel'].loadClients(ctx, s),
  },
  'agent-otel+metrics': {
    label: 'agent-otel+metrics',
    description:
      'agent-otel as `agent-otel`, plus a global MeterProvider (sdk-metrics, one cumulative reader never collected during the counted calls): the cost of recording the GenAI metrics at span end',
    packages: ['@agent-otel/instrumentation-openai', '@agent-otel/instrumentation-anthropic'],
    providers: ['openai', 'anthropic'],
    traced: true,
    instrument(ctx) {
      const { MeterProvider, MetricReader } = require('@opentelemetry/sdk-metrics');
      class IdleReader extends MetricReader {
        async onForceFlush() {}
        async onShutdown() {}
      }
      require('@opentelemetry/api').metrics.setGlobalMeterProvider(
        new MeterProvider({ readers: [new IdleReader()] }),
      );
      return CONFIGS['agent-otel'].instrument(ctx);
    },
    loadClients: (ctx, s) => CONFIGS['agent-otel'].loadClients(ctx, s),
  },
  'agent-otel+sdk': {
    label: 'agent-otel+sdk',
    description:
      "agent-otel with the Anthropic client's own tracing left on (the SDK default); agent-otel's default sdkSpans: 'suppress' replaces the SDK's span",
    packages: ['@agent-otel/instrumentation-anthropic'],
    providers: ['anthropic'],
    traced: true,
    nativeAnthropicTracing: 'on', // client default; its spans must be suppressed, so they are not counted
    instrument(ctx) {
      const { AnthropicInstrumentation } = require('@agent-otel/instrumentation-anthropic');
      return { anthropic: enable(new AnthropicInstrumentation(), ctx.provider) };
    },
    loadClients: (ctx, s) => loadBoth(ctx, s, { anthropic: (m) => m }),
  },
  'otel-contrib': {
    label: 'otel-contrib',
    description: '@opentelemetry/instrumentation-openai 0.22.0',
    packages: ['@opentelemetry/instrumentation-openai'],
    providers: ['openai'],
    traced: true,
    instrument(ctx) {
      const { OpenAIInstrumentation } = require('@opentelemetry/instrumentation-openai');
      // captureMessageContent is off by default.
      return { openai: enable(new OpenAIInstrumentation(), ctx.provider) };
    },
    loadClients: (ctx, s) => loadBoth(ctx, s, { openai: (m) => m }),
  },
  traceloop: {
    label: 'traceloop',
    description: '@traceloop/instrumentation-openai + @traceloop/instrumentation-anthropic 0.27.0',
    packages: ['@traceloop/instrumentation-openai', '@traceloop/instrumentation-anthropic'],
    providers: ['openai', 'anthropic'],
    traced: true,
    instrument(ctx) {
      const { OpenAIInstrumentation } = require('@traceloop/instrumentation-openai');
      const { AnthropicInstrumentation } = require('@traceloop/instrumentation-anthropic');
      const config = ctx.peerDefaults ? {} : { traceContent: false }; // default: traceContent true
      return {
        openai: enable(new OpenAIInstrumentation(config), ctx.provider),
        anthropic: enable(new AnthropicInstrumentation(config), ctx.provider),
      };
    },
    // Traceloop's manuallyInstrument expects the OpenAI class (it reads `.Chat.Completions`), and the
    // module namespace for Anthropic (it reads `.Anthropic.Messages`).
    loadClients: (ctx, s) => loadBoth(ctx, s, { openai: (m) => m.OpenAI, anthropic: (m) => m }),
  },
  openinference: {
    label: 'openinference',
    description: '@arizeai/openinference-instrumentation-openai 4.2.7',
    packages: ['@arizeai/openinference-instrumentation-openai'],
    providers: ['openai'],
    traced: true,
    instrument(ctx) {
      const { OpenAIInstrumentation } = require('@arizeai/openinference-instrumentation-openai');
      const options = ctx.peerDefaults ? {} : { traceConfig: { hideInputs: true, hideOutputs: true } };
      return { openai: enable(new OpenAIInstrumentation(options), ctx.provider) };
    },
    loadClients: (ctx, s) => loadBoth(ctx, s, { openai: (m) => m }),
  },
  'anthropic-native': {
    label: 'anthropic-native',
    description:
      "@anthropic-ai/sdk's own OpenTelemetry tracing (on by default in 1.x when a global tracer provider is registered)",
    providers: ['anthropic'],
    traced: true,
    nativeAnthropicTracing: 'counted', // client default; the SDK's spans are the spans under test
    instrument: () => ({}),
    loadClients: (ctx) => loadBoth(ctx, {}, {}),
  },
};

export const CONFIG_NAMES = Object.keys(CONFIGS);

/** Throws for a configuration or operation name the benchmark does not know. */
export function checkSelection(configNames, ops) {
  for (const c of configNames)
    if (!CONFIGS[c]) throw new Error(`unknown config ${c} (${CONFIG_NAMES.join(', ')})`);
  for (const o of ops) if (!PROVIDER_OF[o]) throw new Error(`unknown op ${o} (${OPERATIONS.join(', ')})`);
}

/** Whether a configuration's packages resolve (ours may not be built yet). */
export function configAvailable(name) {
  for (const pkg of CONFIGS[name].packages ?? []) {
    try {
      require.resolve(pkg);
    } catch (err) {
      return { ok: false, reason: `${pkg} does not resolve (${err.code ?? err.message}); build it first` };
    }
  }
  return { ok: true };
}

/** The installed version of a package whose `exports` map may hide package.json. */
export function installedVersion(id) {
  try {
    let dir = dirname(require.resolve(id));
    for (;;) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8'));
        if (pkg.name === id) return pkg.version;
      }
      if (dirname(dir) === dir) return undefined;
      dir = dirname(dir);
    }
  } catch {
    return undefined;
  }
}
