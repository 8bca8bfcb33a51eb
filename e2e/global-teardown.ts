import type { JaegerInstance } from './support/jaeger-process';
import type { OtlpSink } from './support/otlp-sink';

export default async function globalTeardown(): Promise<void> {
  const { agentOtelE2eJaeger: jaeger, agentOtelE2eSignalsSink: sink } = globalThis as {
    agentOtelE2eJaeger?: JaegerInstance;
    agentOtelE2eSignalsSink?: OtlpSink;
  };
  // Jaeger first: it may still be forwarding a last batch to the sink.
  try {
    await jaeger?.stop();
  } finally {
    await sink?.close();
  }
}
