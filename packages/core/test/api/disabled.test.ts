import { trace } from '@opentelemetry/api';
import { isTracingDisabled, setTracingDisabled } from '../../src/api/disable';
import { createAgentSpan, withAgentSpan, withToolSpan } from '../../src/kinds/factories';
import { coreState } from '../../src/state';
import { startTrace, withTrace } from '../../src/api/trace';
import { setupTracing, type TestTracing } from '../helpers';

let t: TestTracing;
beforeEach(() => {
  t = setupTracing();
});
afterEach(async () => {
  setTracingDisabled(false);
  coreState().disabled = undefined;
  coreState().envDisabled = undefined;
  delete process.env.OTEL_SDK_DISABLED;
  await t.shutdown();
});

describe('disabled tracing', () => {
  it('setTracingDisabled(true) runs the function, returns its result and records nothing', async () => {
    setTracingDisabled(true);
    const result = await withTrace('wf', () =>
      withAgentSpan('a', async (span) => {
        span.update({ description: 'ignored' });
        span.setError(new Error('ignored'));
        return withToolSpan('t', () => 42);
      }),
    );
    expect(result).toBe(42);
    expect(t.spans()).toHaveLength(0);
  });

  it('re-throws errors unchanged while disabled', () => {
    setTracingDisabled(true);
    const err = new Error('x');
    expect(() =>
      withToolSpan('t', () => {
        throw err;
      }),
    ).toThrow(err);
  });

  it('hands out no-op spans whose ids are invalid and whose end does nothing', () => {
    setTracingDisabled(true);
    const span = createAgentSpan('a').start();
    expect(span.otelSpan.isRecording()).toBe(false);
    span.end();
    expect(startTrace('wf').started).toBe(false);
    expect(t.spans()).toHaveLength(0);
  });

  it('honours OTEL_SDK_DISABLED=true when nothing was set in code', () => {
    coreState().disabled = undefined;
    coreState().envDisabled = undefined;
    process.env.OTEL_SDK_DISABLED = 'TRUE';
    expect(isTracingDisabled()).toBe(true);
    withToolSpan('t', () => undefined);
    expect(t.spans()).toHaveLength(0);
  });

  it('lets setTracingDisabled(false) override OTEL_SDK_DISABLED', () => {
    process.env.OTEL_SDK_DISABLED = 'true';
    setTracingDisabled(false);
    withToolSpan('t', () => undefined);
    expect(t.spans()).toHaveLength(1);
  });

  it('a per-trace disabled option silences that run only, including other instrumentations', async () => {
    const tracer = trace.getTracer('other');
    await Promise.all([
      withTrace('quiet', { disabled: true }, async () =>
        withAgentSpan('a', async () => tracer.startActiveSpan('http', (s) => s.end())),
      ),
      withTrace('loud', async () => withAgentSpan('b', async () => undefined)),
    ]);
    expect(
      t
        .spans()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['invoke_agent b', 'invoke_workflow loud']);
  });
});
