// Child process (fresh, run with --expose-gc): what loading one configuration costs.
//
//   argv: <config> <json options>   → prints one JSON line on stdout
//
// The shared OpenTelemetry pipeline (API, SDK, context manager, provider) is loaded first and is not
// counted: every instrumented configuration needs it. Then two phases are measured, each as wall time
// (performance.now) and heapUsed delta after a full GC:
//   instrument   import the instrumentation package(s) + construct + setTracerProvider + enable
//   clients      require('openai') and require('@anthropic-ai/sdk') through the installed hooks,
//                plus manuallyInstrument where the hook did not patch
// Wall time is what was asked for; CPU time (process.cpuUsage) is printed next to it because it is far
// less sensitive to other processes competing for the CPU.
// Both clients are loaded in every configuration (also by openai-only peers), so `clients` compares
// across rows and `instrument + clients − none's clients` is the whole load cost of an instrumentation.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { CONFIGS, createPipeline } from './configs.mjs';

const require = createRequire(import.meta.url);
const [name, optionsJSON] = process.argv.slice(2);
const options = JSON.parse(optionsJSON ?? '{}');
const config = CONFIGS[name];
if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');

const pipeline = createPipeline({ processor: options.processor });
const ctx = {
  provider: pipeline.provider,
  providers: ['openai', 'anthropic'],
  peerDefaults: !!options.peerDefaults,
};

function settle() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}
const modules = () => Object.keys(require.cache).length;

function measure(fn) {
  const heap0 = settle();
  const mods0 = modules();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const heap1 = settle();
  return {
    result,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    heapMB: (heap1 - heap0) / 2 ** 20,
    modules: modules() - mods0,
  };
}

// Let the process finish starting (timers, lazy internals) before the first measurement.
await new Promise((resolve) => setTimeout(resolve, 20));

const instrument = measure(() => config.instrument(ctx));
const clients = measure(() => config.loadClients(ctx, instrument.result));

process.stdout.write(
  JSON.stringify({
    config: name,
    instrument: {
      ms: instrument.ms,
      cpuMs: instrument.cpuMs,
      heapMB: instrument.heapMB,
      modules: instrument.modules,
    },
    clients: { ms: clients.ms, cpuMs: clients.cpuMs, heapMB: clients.heapMB, modules: clients.modules },
    notes: clients.result.notes,
  }) + '\n',
);
