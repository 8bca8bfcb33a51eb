import type { JaegerInstance } from './support/jaeger-process';

export default async function globalTeardown(): Promise<void> {
  const jaeger = (globalThis as { agentOtelE2eJaeger?: JaegerInstance }).agentOtelE2eJaeger;
  await jaeger?.stop();
}
