import { diag, DiagLogLevel, trace, SpanKind } from '@opentelemetry/api';
const t0 = performance.now();
const capture = (m) => console.error(Math.round(performance.now() - t0), m.slice(0, 160));
diag.setLogger({ error: capture, warn: capture, info: () => {}, debug: () => {}, verbose: () => {} }, { logLevel: DiagLogLevel.WARN });
const { register } = await import('@agent-otel/node');
const handle = register({ instrumentations: false });
const tracer = trace.getTracer('bench');
const attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.response.model': 'gpt-4o-mini-2024-07-18', 'gen_ai.response.id': 'chatcmpl-0123456789', 'gen_ai.usage.input_tokens': 142, 'gen_ai.usage.output_tokens': 19, 'gen_ai.response.finish_reasons': ['stop'], 'server.address': 'api.openai.com', 'server.port': 443 };
const end = (n) => { for (let i = 0; i < n; i += 10) tracer.startActiveSpan('root', (r) => { for (let j = 1; j < 10; j++) tracer.startSpan('c', { kind: SpanKind.CLIENT, attributes }).end(); r.end(); }); };
end(1000); await handle.forceFlush(); await new Promise((r) => setTimeout(r, 100));
const RATE = Number(process.env.RATE);
const started = performance.now(); let made = 0; let maxLag = 0; let last = performance.now();
while (performance.now() - started < 8000) {
  const now = performance.now(); maxLag = Math.max(maxLag, now - last); last = now;
  const due = Math.floor(((now - started) / 1000) * RATE);
  if (due > made) { const n = Math.ceil((due - made) / 10) * 10; end(n); made += n; }
  await new Promise((r) => setTimeout(r, 10));
}
console.error('start at', Math.round(started - t0), 'maxLag', Math.round(maxLag));
await handle.shutdown();
process.exit(0);
