import { randomBytes } from 'node:crypto';

/** The shared Jaeger started by the global setup. */
export function sharedJaeger(): { otlpUrl: string; queryUrl: string } {
  const otlpUrl = process.env.AGENT_OTEL_E2E_OTLP_URL;
  const queryUrl = process.env.AGENT_OTEL_E2E_QUERY_URL;
  if (!otlpUrl || !queryUrl) {
    throw new Error(
      'AGENT_OTEL_E2E_OTLP_URL / AGENT_OTEL_E2E_QUERY_URL are unset: run through `npm run test:e2e`.',
    );
  }
  return { otlpUrl, queryUrl };
}

/**
 * The signals sink started by the global setup (e2e/support/otlp-sink.ts): Jaeger forwards the
 * metrics and log records it receives there, and tests query it (see signals-query.ts).
 */
export function sharedSignalsSink(): { url: string } {
  const url = process.env.AGENT_OTEL_E2E_SIGNALS_URL;
  if (!url) throw new Error('AGENT_OTEL_E2E_SIGNALS_URL is unset: run through `npm run test:e2e`.');
  return { url };
}

/** A service name no other test uses, so each test reads back only its own spans. */
export function uniqueService(label: string): string {
  return `e2e-${label}-${randomBytes(4).toString('hex')}`;
}

/** Prints a figure block that stays visible in jest's output (and in CI logs). */
export function report(title: string, lines: readonly string[]): void {
  process.stdout.write(`\n[e2e figures] ${title}\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
}
