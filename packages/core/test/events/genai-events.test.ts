import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import { configureContent } from '../../src/content/policy';
import { setLoggerProvider } from '../../src/events/genai-events';
import {
  withAgentSpan,
  withEmbeddingsSpan,
  withFunctionSpan,
  withGenerationSpan,
  withRerankSpan,
  withRetrievalSpan,
  withSpeechSpan,
} from '../../src/kinds/factories';
import { withTrace } from '../../src/api/trace';
import { setupTracing, type TestTracing } from '../helpers';

let t: TestTracing;
let exporter: InMemoryLogRecordExporter;
let loggerProvider: LoggerProvider;

beforeEach(() => {
  t = setupTracing();
  exporter = new InMemoryLogRecordExporter();
  loggerProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  setLoggerProvider(loggerProvider);
});

afterEach(async () => {
  setLoggerProvider(undefined);
  await loggerProvider.shutdown();
  await t.shutdown();
});

function records(eventName: string): ReadableLogRecord[] {
  return exporter.getFinishedLogRecords().filter((record) => record.eventName === eventName);
}

function chat(fail?: Error): void {
  const run = () =>
    withGenerationSpan(
      {
        model: 'm',
        provider: 'openai',
        input: [{ role: 'user', content: 'secret prompt' }],
        systemInstructions: [{ type: 'text', content: 'be brief' }],
      },
      (span) => {
        span.update({ output: [{ role: 'assistant', content: 'secret answer' }], finishReasons: ['stop'] });
        if (fail) throw fail;
      },
    );
  if (fail) expect(run).toThrow(fail);
  else run();
}

describe('gen_ai.client.inference.operation.details', () => {
  it('is a DEBUG log record in EVENT_ONLY mode, with structured content, in the span context', () => {
    configureContent({ captureMode: 'EVENT_ONLY' });
    chat();
    const span = t.byName('chat m');
    expect(span.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(span.events.map((e) => e.name)).toEqual([]); // no span event any more
    const [record, ...more] = records('gen_ai.client.inference.operation.details');
    expect(more).toEqual([]);
    expect(record!.severityNumber).toBe(5);
    expect(record!.severityText).toBe('DEBUG');
    expect(record!.instrumentationScope.name).toBe('@agent-otel/core');
    expect(record!.spanContext?.traceId).toBe(span.spanContext().traceId);
    expect(record!.spanContext?.spanId).toBe(span.spanContext().spanId);
    expect(record!.attributes['gen_ai.request.model']).toBe('m');
    expect(record!.attributes['gen_ai.operation.name']).toBe('chat');
    // Structured, not JSON text: the conventions ask for structured content on events.
    expect(record!.attributes['gen_ai.input.messages']).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'secret prompt' }] },
    ]);
    expect(record!.attributes['gen_ai.output.messages']).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'secret answer' }], finish_reason: 'stop' },
    ]);
    expect(record!.attributes['gen_ai.system_instructions']).toEqual([{ type: 'text', content: 'be brief' }]);
  });

  it('goes with the span attributes in SPAN_AND_EVENT mode, and nowhere without content capture', () => {
    configureContent({ captureMode: 'SPAN_AND_EVENT' });
    chat();
    expect(records('gen_ai.client.inference.operation.details')).toHaveLength(1);
    expect(String(t.byName('chat m').attributes['gen_ai.output.messages'])).toContain('secret answer');
    exporter.reset();
    configureContent({ captureMode: 'SPAN_ONLY' });
    chat();
    configureContent({ captureMode: 'NO_CONTENT' });
    chat();
    expect(records('gen_ai.client.inference.operation.details')).toEqual([]);
  });

  it('keeps the content redacted and capped, as on spans', () => {
    configureContent({ captureMode: 'EVENT_ONLY', maxAttributeLength: 200 });
    withGenerationSpan(
      {
        model: 'm',
        provider: 'openai',
        input: [{ role: 'user', content: `key sk-proj-${'a'.repeat(40)} ${'x'.repeat(5000)}` }],
      },
      () => undefined,
    );
    const [record] = records('gen_ai.client.inference.operation.details');
    const text = JSON.stringify(record!.attributes['gen_ai.input.messages']);
    expect(text).not.toContain('aaaaaaaaaaaaaaaaaaaa');
    expect(text.length).toBeLessThan(400);
    expect(record!.attributes['agent_otel.content.truncated']).toBe(true);
    expect(t.byName('chat m').attributes['agent_otel.content.truncated']).toBe(true);
  });
});

describe('events only for what the conventions define them for', () => {
  it('emits no inference details or exception event for speech, embeddings, rerank or retrieval calls', () => {
    configureContent({ captureMode: 'SPAN_AND_EVENT' });
    withSpeechSpan({ model: 'tts-1', provider: 'openai', input: 'say this' }, () => undefined);
    withRerankSpan(
      { model: 'rerank-1', provider: 'cohere', input: { query: 'q', documents: ['a'] } },
      () => undefined,
    );
    withRetrievalSpan({ dataSourceId: 'kb', query: 'q', documents: ['a'] }, () => undefined);
    expect(() =>
      withEmbeddingsSpan({ model: 'e', provider: 'openai' }, () => {
        throw new Error('down');
      }),
    ).toThrow('down');
    expect(() =>
      withRetrievalSpan({ dataSourceId: 'kb', query: 'q' }, () => {
        throw new Error('store down');
      }),
    ).toThrow('store down');
    expect(exporter.getFinishedLogRecords()).toEqual([]);
  });
});

describe('exception events', () => {
  it('records a failed model call as gen_ai.client.inference.exception, WARN, whatever the content mode', () => {
    chat(new RangeError('rate limited'));
    const [record, ...more] = records('gen_ai.client.inference.exception');
    expect(more).toEqual([]);
    expect(record!.severityNumber).toBe(13);
    expect(record!.attributes['exception.type']).toBe('RangeError');
    expect(record!.attributes['exception.message']).toBe('rate limited');
    expect(String(record!.attributes['exception.stacktrace'])).toContain('RangeError: rate limited');
    expect(record!.attributes['gen_ai.request.model']).toBe('m');
    expect(record!.attributes['error.type']).toBe('RangeError');
    expect(record!.spanContext?.spanId).toBe(t.byName('chat m').spanContext().spanId);
  });

  it('gives the span and the event the same exception.type: the class, not an error code', () => {
    class RateLimitError extends Error {
      code = 'rate_limit_exceeded';
    }
    const run = () =>
      withGenerationSpan({ model: 'm', provider: 'openai' }, (span) => {
        span.setError(new RateLimitError('slow down'), '429');
      });
    run();
    const span = t.byName('chat m');
    expect(span.attributes['error.type']).toBe('429');
    const spanEvent = span.events.find((event) => event.name === 'exception')!;
    expect(spanEvent.attributes!['exception.type']).toBe('RateLimitError');
    const [record] = records('gen_ai.client.inference.exception');
    expect(record!.attributes['exception.type']).toBe('RateLimitError');
    expect(record!.attributes['error.type']).toBe('429');
  });

  it('records a failed tool as gen_ai.execute_tool.exception, and nothing for a tool that worked', () => {
    withFunctionSpan({ name: 'lookup' }, () => 'ok');
    expect(() =>
      withFunctionSpan({ name: 'refund' }, () => {
        throw new TypeError('denied');
      }),
    ).toThrow('denied');
    const all = records('gen_ai.execute_tool.exception');
    expect(all.map((r) => [r.attributes['gen_ai.tool.name'], r.attributes['exception.type']])).toEqual([
      ['refund', 'TypeError'],
    ]);
    expect(records('gen_ai.client.inference.exception')).toEqual([]);
  });

  it('goes to the global logger provider when none is set', () => {
    setLoggerProvider(undefined);
    chat(new Error('x'));
    expect(records('gen_ai.client.inference.exception')).toEqual([]);
    // setupTracing registered a global LoggerProvider: the record went there.
    expect(t.logRecords().filter((r) => r.eventName === 'gen_ai.client.inference.exception')).toHaveLength(1);
  });
});

describe('content of agent and workflow runs', () => {
  it('gives agent and workflow spans the first input and the last output of their model calls', () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    withTrace('wf', () =>
      withAgentSpan({ name: 'triage' }, () => {
        withGenerationSpan(
          { model: 'm', provider: 'openai', input: [{ role: 'user', content: 'first question' }] },
          (span) => span.update({ output: [{ role: 'assistant', content: 'calling a tool' }] }),
        );
        withGenerationSpan(
          { model: 'm', provider: 'openai', input: [{ role: 'tool', content: 'tool result' }] },
          (span) => span.update({ output: [{ role: 'assistant', content: 'final answer' }] }),
        );
      }),
    );
    for (const name of ['invoke_agent triage', 'invoke_workflow wf']) {
      const attributes = t.byName(name).attributes;
      expect(String(attributes['gen_ai.input.messages'])).toContain('first question');
      expect(String(attributes['gen_ai.input.messages'])).not.toContain('tool result');
      expect(String(attributes['gen_ai.output.messages'])).toContain('final answer');
      expect(String(attributes['gen_ai.output.messages'])).not.toContain('calling a tool');
    }
  });

  it('keeps what the caller set, and records nothing without content capture', () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    withAgentSpan({ name: 'a', input: 'what the app asked', output: 'what it answered' }, () =>
      withGenerationSpan({ model: 'm', provider: 'openai', input: 'model input' }, (span) =>
        span.update({ output: 'model output' }),
      ),
    );
    const attributes = t.byName('invoke_agent a').attributes;
    expect(String(attributes['gen_ai.input.messages'])).toContain('what the app asked');
    expect(String(attributes['gen_ai.output.messages'])).toContain('what it answered');
    configureContent({ captureMode: 'NO_CONTENT' });
    withAgentSpan({ name: 'b' }, () =>
      withGenerationSpan({ model: 'm', provider: 'openai', input: 'model input' }, (span) =>
        span.update({ output: 'model output' }),
      ),
    );
    const b = t.byName('invoke_agent b').attributes;
    expect(b['gen_ai.input.messages']).toBeUndefined();
    expect(b['gen_ai.output.messages']).toBeUndefined();
  });
});
