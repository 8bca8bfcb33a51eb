import { SpanKind, type Attributes, type Logger, type Meter, type Tracer } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { CollectingMetricReader } from '../src/CollectingMetricReader';
import {
  assertConformant,
  checkLogRecords,
  checkMetrics,
  checkSpans,
  checkTelemetry,
  formatFindings,
  semconvRegistry,
  SEMCONV_REGISTRY_VERSION,
  type ConformanceFinding,
  type ConformanceReport,
  type SemconvRegistry,
} from '../src/conformance';

// Every rule of the check, each with telemetry that passes it and telemetry that breaks it, all
// made by the real OTel SDK (tracer, meter and logger providers with in-memory exporters / a reader).

/** The spans `record` ends, through a real tracer provider. */
function recordSpans(record: (tracer: Tracer) => void): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  record(provider.getTracer('conformance-test'));
  return exporter.getFinishedSpans();
}

interface SpanSpec {
  readonly name: string;
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  readonly events?: readonly { name: string; attributes?: Attributes }[];
}

/** One finished span per spec. */
function spans(...specs: SpanSpec[]): ReadableSpan[] {
  return recordSpans((tracer) => {
    for (const spec of specs) {
      const span = tracer.startSpan(spec.name, {
        kind: spec.kind ?? SpanKind.INTERNAL,
        attributes: spec.attributes,
      });
      for (const event of spec.events ?? []) span.addEvent(event.name, event.attributes);
      span.end();
    }
  });
}

/** What `record` records, collected once through a real meter provider. */
async function recordMetrics(record: (meter: Meter) => void): Promise<ResourceMetrics> {
  const reader = new CollectingMetricReader();
  const provider = new MeterProvider({ readers: [reader] });
  record(provider.getMeter('conformance-test'));
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}

/** The log records `record` emits, through a real logger provider. */
function recordLogs(record: (logger: Logger) => void) {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  record(provider.getLogger('conformance-test'));
  return exporter.getFinishedLogRecords();
}

/** `rule: detail` of each finding, for one `toEqual`. */
const lines = (findings: readonly ConformanceFinding[]) =>
  findings.map((finding) => `${finding.signal} ${finding.item} | ${finding.rule}: ${finding.detail}`);

const CHAT: Attributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o',
};
const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
const INFERENCE_POINT: Attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai' };

const clean: ConformanceReport = { violations: [], info: [] };

describe('the vendored registry', () => {
  it(`is ${SEMCONV_REGISTRY_VERSION}, read once from the package's semconv folder`, () => {
    const registry = semconvRegistry();
    expect(registry.version).toBe('v0.1.0');
    expect(semconvRegistry()).toBe(registry);
    expect(registry.attributes['gen_ai.operation.name']?.type).toBe('string');
    expect(registry.spans['span.gen_ai.client.inference']?.attributes['gen_ai.provider.name']).toBe(
      'required',
    );
  });

  it('names the path when a version is missing', () => {
    expect(() => semconvRegistry('v9.9.9')).toThrow(
      /semconv registry v9\.9\.9 not found \(looked at .*v9\.9\.9\.json/,
    );
  });

  it('fails early, naming the attribute, on a registry type the check does not know', () => {
    const registry: SemconvRegistry = {
      ...semconvRegistry(),
      attributes: {
        'gen_ai.odd': { type: 'map<string>', stability: 'development', deprecated: null, enum: null },
      },
    };
    expect(() => checkSpans([], { registry })).toThrow(
      'semconv registry v0.1.0: gen_ai.odd has a type the check does not know: map<string>',
    );
  });

  it('checks against another registry when given one: a new release is one file', () => {
    const bad = spans({
      name: 'chat gpt-4o',
      kind: SpanKind.CLIENT,
      attributes: { ...CHAT, 'gen_ai.new.thing': 1 },
    });
    expect(lines(checkSpans(bad).violations)).toEqual([
      'span chat gpt-4o | unknown-attribute: gen_ai.new.thing is not in the registry',
    ]);
    const base = semconvRegistry();
    const next: SemconvRegistry = {
      ...base,
      version: 'v0.2.0',
      attributes: {
        ...base.attributes,
        'gen_ai.new.thing': { type: 'int', stability: 'development', deprecated: null, enum: null },
      },
    };
    expect(checkSpans(bad, { registry: next })).toEqual(clean);
  });
});

describe('conforming telemetry', () => {
  it('passes every rule', async () => {
    const report = checkTelemetry({
      spans: spans(
        {
          name: 'chat gpt-4o',
          kind: SpanKind.CLIENT,
          attributes: { ...CHAT, 'server.port': 443, 'gen_ai.request.top_k': 5 },
        },
        // The inference span MAY be INTERNAL (a model in the same process).
        {
          name: 'chat local',
          kind: SpanKind.INTERNAL,
          attributes: { ...CHAT, 'gen_ai.request.model': 'local' },
        },
        {
          name: 'embeddings text-embedding-3-small',
          kind: SpanKind.CLIENT,
          attributes: { ...CHAT, 'gen_ai.operation.name': 'embeddings' },
        },
        {
          name: 'invoke_agent support',
          attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' },
        },
        {
          name: 'invoke_workflow triage',
          attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'gen_ai.agent.name': 'triage' },
        },
        {
          name: 'execute_tool get_weather',
          attributes: {
            'gen_ai.operation.name': 'execute_tool',
            'gen_ai.tool.name': 'get_weather',
            'gen_ai.tool.call.arguments': '{"city":"Paris"}',
            'gen_ai.prompt.variable.city': 'Paris',
          },
        },
        {
          name: 'tools/call get_weather',
          kind: SpanKind.CLIENT,
          attributes: {
            'mcp.method.name': 'tools/call',
            'gen_ai.operation.name': 'execute_tool',
            'gen_ai.tool.name': 'get_weather',
          },
        },
        {
          name: 'tools/list',
          kind: SpanKind.SERVER,
          attributes: { 'mcp.method.name': 'tools/list', 'client.port': 5000 },
        },
        // Not a GenAI span: only its gen_ai.* / registry attributes would be checked.
        {
          name: 'GET /health',
          kind: SpanKind.SERVER,
          attributes: { 'http.route': '/health', 'agent_otel.anything': 1 },
        },
        {
          name: 'chat gpt-4o-mini',
          kind: SpanKind.CLIENT,
          attributes: { ...CHAT, 'error.type': 'rate_limited' },
          events: [
            {
              name: 'gen_ai.client.inference.operation.details',
              attributes: { ...CHAT, 'gen_ai.input.messages': '[]' },
            },
            {
              name: 'exception',
              attributes: { 'exception.type': 'RateLimitError', 'exception.message': 'slow down' },
            },
          ],
        },
      ),
      metrics: await recordMetrics((meter) => {
        meter
          .createHistogram('gen_ai.client.inference.duration', {
            unit: 's',
            advice: { explicitBucketBoundaries: DURATION_BUCKETS },
          })
          .record(0.5, INFERENCE_POINT);
        meter
          .createCounter('gen_ai.client.inference.usage.input_tokens', { unit: '{token}' })
          .add(12, { ...INFERENCE_POINT, 'gen_ai.token.modality': 'text' });
        meter.createCounter('agent_otel.calls').add(1, { 'gen_ai.operation.name': 'chat' });
      }),
      logRecords: recordLogs((logger) => {
        logger.emit({
          eventName: 'gen_ai.client.inference.operation.details',
          attributes: { ...CHAT, 'gen_ai.output.messages': '[]' },
        });
        logger.emit({
          eventName: 'gen_ai.evaluation.result',
          attributes: { 'gen_ai.evaluation.name': 'relevance', 'gen_ai.evaluation.score.value': 1 },
        });
        logger.emit({ eventName: 'app.started', body: 'hello' });
      }),
    });
    expect(report).toEqual(clean);
  });
});

describe('attribute rules', () => {
  it('reports a gen_ai.* or mcp.* key the registry does not define, on spans, span events, metrics and log records', async () => {
    const report = checkTelemetry({
      spans: spans({
        name: 'chat gpt-4o',
        kind: SpanKind.CLIENT,
        attributes: {
          ...CHAT,
          'gen_ai.guardrail.name': 'pii',
          'mcp.transport.kind': 'stdio',
          'http.method': 'POST',
        },
        events: [{ name: 'note', attributes: { 'gen_ai.transfer.to': 'billing' } }],
      }),
      metrics: await recordMetrics((meter) =>
        meter.createCounter('agent_otel.calls').add(1, { 'gen_ai.speech.input.language': 'en' }),
      ),
      logRecords: recordLogs((logger) =>
        logger.emit({ body: 'x', attributes: { 'gen_ai.agent.secret': 'x', 'agent_otel.ok': 1 } }),
      ),
    });
    expect(lines(report.violations)).toEqual([
      'span chat gpt-4o | unknown-attribute: gen_ai.guardrail.name is not in the registry',
      'span chat gpt-4o | unknown-attribute: mcp.transport.kind is not in the registry',
      'span event chat gpt-4o › note | unknown-attribute: gen_ai.transfer.to is not in the registry',
      'metric agent_otel.calls | unknown-attribute: gen_ai.speech.input.language is not in the registry',
      'log record (no event name) | unknown-attribute: gen_ai.agent.secret is not in the registry',
    ]);
  });

  it('reports deprecated names with what replaces them', () => {
    const report = checkSpans(
      spans({
        name: 'invoke_workflow triage',
        attributes: {
          'gen_ai.operation.name': 'invoke_workflow',
          'gen_ai.workflow.name': 'triage',
          'gen_ai.system': 'openai',
          'gen_ai.usage.cache_creation.input_tokens': 3,
        },
      }),
    );
    expect(lines(report.violations)).toEqual([
      'span invoke_workflow triage | deprecated-attribute: gen_ai.workflow.name is deprecated: Replaced by gen_ai.agent.name on the invoke_agent internal span (operation invoke_workflow).',
      expect.stringMatching(
        /^span invoke_workflow triage \| deprecated-attribute: gen_ai\.system is deprecated: Replaced by `gen_ai\.provider\.name`/,
      ),
      expect.stringMatching(
        /^span invoke_workflow triage \| deprecated-attribute: gen_ai\.usage\.cache_creation\.input_tokens is deprecated: Renamed to gen_ai\.usage\.cache_write\.input_tokens/,
      ),
    ]);
  });

  it('checks types: int is integral, double any finite number, arrays by item, any anything, templates by their type; core attributes too', () => {
    const good = spans({
      name: 'chat gpt-4o',
      kind: SpanKind.CLIENT,
      attributes: {
        ...CHAT,
        'server.port': 443,
        'gen_ai.request.temperature': 1,
        'gen_ai.request.top_p': 0.5,
        'gen_ai.request.stop_sequences': ['\n', 'END'],
        'gen_ai.request.stream': true,
        'gen_ai.input.messages': '[{"role":"user"}]',
        'gen_ai.output.messages': 3,
        'gen_ai.prompt.variable.city': 'Paris',
      },
    });
    expect(checkSpans(good)).toEqual(clean);

    const bad = spans({
      name: 'chat gpt-4o',
      kind: SpanKind.CLIENT,
      attributes: {
        ...CHAT,
        'server.port': '443',
        'gen_ai.request.top_k': 0.5,
        'gen_ai.request.temperature': Number.POSITIVE_INFINITY,
        'gen_ai.request.stop_sequences': 'END',
        'gen_ai.request.stream': 'true',
        'gen_ai.response.finish_reasons': [1, 2],
        'gen_ai.prompt.variable.city': 7,
        'error.type': 500,
      },
    });
    expect(lines(checkSpans(bad).violations)).toEqual([
      'span chat gpt-4o | attribute-type: server.port must be int, got string "443"',
      'span chat gpt-4o | attribute-type: gen_ai.request.top_k must be int, got number 0.5',
      'span chat gpt-4o | attribute-type: gen_ai.request.temperature must be double, got number Infinity',
      'span chat gpt-4o | attribute-type: gen_ai.request.stop_sequences must be string[], got string "END"',
      'span chat gpt-4o | attribute-type: gen_ai.request.stream must be boolean, got string "true"',
      'span chat gpt-4o | attribute-type: gen_ai.response.finish_reasons must be string[], got array [1,2]',
      'span chat gpt-4o | attribute-type: gen_ai.prompt.variable.city must be template[string], got number 7',
      'span chat gpt-4o | attribute-type: error.type must be string, got number 500',
    ]);
  });

  it('requires a listed gen_ai.token.modality, and reports values outside open enums as information only', async () => {
    const metrics = await recordMetrics((meter) => {
      const counter = meter.createCounter('gen_ai.client.inference.usage.output_tokens', { unit: '{token}' });
      counter.add(1, { ...INFERENCE_POINT, 'gen_ai.token.modality': 'audio' });
      counter.add(1, { ...INFERENCE_POINT, 'gen_ai.token.modality': 'video' });
      counter.add(1, { ...INFERENCE_POINT, 'gen_ai.provider.name': 'acme', 'gen_ai.token.modality': 'text' });
    });
    const report = checkMetrics(metrics);
    expect(lines(report.violations)).toEqual([
      'metric gen_ai.client.inference.usage.output_tokens | enum-value: gen_ai.token.modality must be one of text, image, audio, unknown, got "video"',
    ]);
    expect(lines(report.info)).toEqual([
      'metric gen_ai.client.inference.usage.output_tokens | unlisted-value: gen_ai.provider.name "acme" is not a listed value (the list is open)',
    ]);
    // error.type lists only its fallback value: any other value is the norm, not worth a note.
    const errored = spans({
      name: 'chat gpt-4o',
      kind: SpanKind.CLIENT,
      attributes: { ...CHAT, 'error.type': 'timeout' },
    });
    expect(checkSpans(errored)).toEqual(clean);
  });
});

describe('span rules', () => {
  it('lists an operation the registry has no span type for as unclassified information, not a violation', () => {
    const report = checkSpans(
      spans({
        name: 'text_to_speech tts-1',
        kind: SpanKind.CLIENT,
        attributes: { ...CHAT, 'gen_ai.operation.name': 'text_to_speech' },
      }),
    );
    expect(report.violations).toEqual([]);
    expect(lines(report.info)).toEqual([
      'span text_to_speech tts-1 | unclassified-span: gen_ai.operation.name "text_to_speech" has no span type in the registry',
    ]);
  });

  it('reports a known operation on a span of a kind the registry does not give it', () => {
    const report = checkSpans(
      spans(
        {
          name: 'execute_tool get_weather',
          kind: SpanKind.CLIENT,
          attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather' },
        },
        { name: 'chat gpt-4o', kind: SpanKind.SERVER, attributes: CHAT },
        { name: 'tools/list', kind: SpanKind.INTERNAL, attributes: { 'mcp.method.name': 'tools/list' } },
      ),
    );
    expect(lines(report.violations)).toEqual([
      'span execute_tool get_weather | span-kind: gen_ai.operation.name "execute_tool" on a span of kind CLIENT: the registry has it on INTERNAL (span.gen_ai.execute_tool.internal)',
      'span chat gpt-4o | span-kind: gen_ai.operation.name "chat" on a span of kind SERVER: the registry has it on CLIENT/INTERNAL (span.gen_ai.client.inference)',
      'span tools/list | span-kind: mcp.method.name on a span of kind INTERNAL: the registry has MCP spans as CLIENT or SERVER',
    ]);
  });

  it('classifies invoke_agent by kind, and an INTERNAL tool span carrying MCP attributes as execute_tool', () => {
    const report = checkSpans(
      spans(
        // CLIENT: span.gen_ai.invoke_agent.client, which requires the provider.
        {
          name: 'invoke_agent remote',
          kind: SpanKind.CLIENT,
          attributes: { 'gen_ai.operation.name': 'invoke_agent' },
        },
        // INTERNAL: span.gen_ai.invoke_agent.internal, which does not.
        {
          name: 'invoke_agent local',
          kind: SpanKind.INTERNAL,
          attributes: { 'gen_ai.operation.name': 'invoke_agent' },
        },
        {
          name: 'execute_tool search',
          kind: SpanKind.INTERNAL,
          attributes: { 'mcp.method.name': 'tools/call', 'gen_ai.operation.name': 'execute_tool' },
        },
      ),
    );
    expect(lines(report.violations)).toEqual([
      'span invoke_agent remote | missing-required: gen_ai.provider.name is required on span.gen_ai.invoke_agent.client',
      'span execute_tool search | missing-required: gen_ai.tool.name is required on span.gen_ai.execute_tool.internal',
    ]);
  });

  it("reports a name that does not start with the span's operation (or MCP method)", () => {
    const report = checkSpans(
      spans(
        { name: 'invoke_agent', attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
        {
          name: 'execute_tool get_weather',
          attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather' },
        },
        {
          name: 'run get_weather',
          attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather' },
        },
        { name: 'invoke_agentsupport', attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
        { name: 'call get_weather', kind: SpanKind.CLIENT, attributes: { 'mcp.method.name': 'tools/call' } },
      ),
    );
    expect(lines(report.violations)).toEqual([
      'span run get_weather | span-name: the name of a span.gen_ai.execute_tool.internal span starts with "execute_tool": Span name SHOULD be `execute_tool {gen_ai.tool.name}`.',
      expect.stringMatching(
        /^span invoke_agentsupport \| span-name: the name of a span\.gen_ai\.invoke_agent\.internal span starts with "invoke_agent": /,
      ),
      expect.stringMatching(
        /^span call get_weather \| span-name: the name of a span\.mcp\.client span starts with "tools\/call": /,
      ),
    ]);
  });

  it("reports each missing required attribute, with the provider's refinement", () => {
    const report = checkSpans(
      spans(
        { name: 'chat', kind: SpanKind.CLIENT, attributes: { 'gen_ai.operation.name': 'chat' } },
        // The openai refinement makes the model required; the anthropic one does not.
        {
          name: 'chat',
          kind: SpanKind.CLIENT,
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai' },
        },
        {
          name: 'chat',
          kind: SpanKind.CLIENT,
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic' },
        },
        { name: 'execute_tool', attributes: { 'gen_ai.operation.name': 'execute_tool' } },
      ),
    );
    expect(lines(report.violations)).toEqual([
      'span chat | missing-required: gen_ai.provider.name is required on span.gen_ai.client.inference',
      'span chat | missing-required: gen_ai.request.model is required on span.openai.gen_ai.client.inference',
      'span execute_tool | missing-required: gen_ai.tool.name is required on span.gen_ai.execute_tool.internal',
    ]);
  });

  it('checks span event names: registry events only, not deprecated ones, with their required attributes', () => {
    const report = checkSpans(
      spans({
        name: 'chat gpt-4o',
        kind: SpanKind.CLIENT,
        attributes: CHAT,
        events: [
          { name: 'gen_ai.choice', attributes: { index: 0 } },
          { name: 'gen_ai.handoff' },
          {
            name: 'gen_ai.client.inference.operation.details',
            attributes: { 'gen_ai.operation.name': 'chat' },
          },
          { name: 'exception' },
        ],
      }),
    );
    expect(lines(report.violations)).toEqual([
      'span event chat gpt-4o › gen_ai.choice | deprecated-event: gen_ai.choice is a deprecated event',
      'span event chat gpt-4o › gen_ai.handoff | unknown-event: gen_ai.handoff is not an event of the registry',
      'span event chat gpt-4o › gen_ai.client.inference.operation.details | missing-required: gen_ai.provider.name is required on event gen_ai.client.inference.operation.details',
    ]);
  });
});

describe('names that are not strings', () => {
  it('reads nothing of them (the SDK keeps any value a caller gives), and names them by type', () => {
    const hostile = {
      [Symbol.toPrimitive]() {
        throw new Error('hostile name');
      },
    } as unknown as string;
    const findings = checkSpans(
      spans({
        name: hostile,
        attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 't' },
        events: [{ name: hostile }],
      }),
    );
    const logs = checkLogRecords(
      recordLogs((logger) => logger.emit({ eventName: hostile, attributes: { 'gen_ai.x': 1 } })),
    );
    expect(lines([...findings.violations, ...logs.violations])).toEqual([
      'span (a object as name) | span-name: the name of a span.gen_ai.execute_tool.internal span starts with "execute_tool": Span name SHOULD be `execute_tool {gen_ai.tool.name}`.',
      'log record (a object as name) | unknown-attribute: gen_ai.x is not in the registry',
    ]);
  });
});

describe('metric rules', () => {
  it('reports a gen_ai.* / mcp.* metric the registry does not define, and a removed one with its replacement', async () => {
    const report = checkMetrics(
      await recordMetrics((meter) => {
        meter
          .createHistogram('gen_ai.workflow.duration', { unit: 's' })
          .record(1, { 'gen_ai.operation.name': 'invoke_workflow' });
        meter.createCounter('mcp.client.calls').add(1);
        meter.createCounter('agent_otel.cost').add(1);
      }),
    );
    expect(lines(report.violations)).toEqual([
      'metric gen_ai.workflow.duration | deprecated-metric: gen_ai.workflow.duration is no longer a metric: renamed to gen_ai.invoke_workflow.duration (name at fe5608e was gen_ai.workflow.duration)',
      'metric mcp.client.calls | unknown-metric: mcp.client.calls is not a metric of the registry',
    ]);
  });

  it('reports the wrong instrument: a histogram is a histogram, a counter a monotonic sum', async () => {
    const report = checkMetrics(
      await recordMetrics((meter) => {
        meter.createCounter('gen_ai.client.inference.duration', { unit: 's' }).add(1, INFERENCE_POINT);
        meter
          .createUpDownCounter('gen_ai.client.inference.usage.input_tokens', { unit: '{token}' })
          .add(1, { ...INFERENCE_POINT, 'gen_ai.token.modality': 'text' });
        meter
          .createHistogram('gen_ai.client.inference.usage.output_tokens', { unit: '{token}' })
          .record(1, { ...INFERENCE_POINT, 'gen_ai.token.modality': 'text' });
        meter
          .createObservableGauge('gen_ai.invoke_agent.tool_calls', { unit: '{tool_call}' })
          .addCallback((result) => result.observe(1));
      }),
    );
    expect(lines(report.violations)).toEqual([
      'metric gen_ai.client.inference.duration | metric-instrument: gen_ai.client.inference.duration must be a histogram, got counter',
      'metric gen_ai.client.inference.usage.input_tokens | metric-instrument: gen_ai.client.inference.usage.input_tokens must be a counter, got updowncounter',
      'metric gen_ai.client.inference.usage.output_tokens | metric-instrument: gen_ai.client.inference.usage.output_tokens must be a counter, got histogram',
      'metric gen_ai.invoke_agent.tool_calls | metric-instrument: gen_ai.invoke_agent.tool_calls must be a histogram, got gauge',
    ]);
  });

  it('reports the wrong unit', async () => {
    const report = checkMetrics(
      await recordMetrics((meter) =>
        meter
          .createHistogram('gen_ai.execute_tool.duration', {
            unit: 'ms',
            advice: { explicitBucketBoundaries: DURATION_BUCKETS },
          })
          .record(3, { 'gen_ai.tool.name': 'get_weather' }),
      ),
    );
    expect(lines(report.violations)).toEqual([
      'metric gen_ai.execute_tool.duration | metric-unit: gen_ai.execute_tool.duration must have unit "s", got "ms"',
    ]);
  });

  it("reports histogram buckets that are not the registry's advice, once per metric", async () => {
    const report = checkMetrics(
      await recordMetrics((meter) => {
        const histogram = meter.createHistogram('gen_ai.invoke_agent.duration', { unit: 's' });
        histogram.record(1, { 'gen_ai.operation.name': 'invoke_agent' });
        histogram.record(1, { 'gen_ai.operation.name': 'invoke_workflow' });
      }),
    );
    expect(lines(report.violations)).toEqual([
      'metric gen_ai.invoke_agent.duration | bucket-boundaries: gen_ai.invoke_agent.duration buckets must be [0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 51.2, 102.4, 204.8, 409.6], got [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]',
    ]);
  });

  it('reports a required attribute missing on a data point', async () => {
    const report = checkMetrics(
      await recordMetrics((meter) => {
        const counter = meter.createCounter('gen_ai.client.inference.usage.input_tokens', {
          unit: '{token}',
        });
        counter.add(1, { ...INFERENCE_POINT, 'gen_ai.token.modality': 'text' });
        counter.add(1, INFERENCE_POINT);
      }),
    );
    expect(lines(report.violations)).toEqual([
      'metric gen_ai.client.inference.usage.input_tokens | missing-required: gen_ai.token.modality is required on every data point of gen_ai.client.inference.usage.input_tokens',
    ]);
  });

  it('takes a collection, a list of them, or their metrics', async () => {
    const collected = await recordMetrics((meter) => meter.createCounter('gen_ai.nope').add(1));
    const expected = ['metric gen_ai.nope | unknown-metric: gen_ai.nope is not a metric of the registry'];
    expect(lines(checkMetrics(collected).violations)).toEqual(expected);
    expect(lines(checkMetrics([collected, collected]).violations)).toEqual([...expected, ...expected]);
    expect(lines(checkMetrics(collected.scopeMetrics[0]!.metrics).violations)).toEqual(expected);
  });
});

describe('log record rules', () => {
  it('reports a GenAI event name that is not a registry event, or a deprecated one; other names are not checked', () => {
    const report = checkLogRecords(
      recordLogs((logger) => {
        logger.emit({ eventName: 'gen_ai.agent.handoff', attributes: {} });
        logger.emit({ eventName: 'gen_ai.user.message', body: { content: 'hi' } });
        logger.emit({ eventName: 'mcp.session.started' });
        logger.emit({ eventName: 'app.event' });
      }),
    );
    expect(lines(report.violations)).toEqual([
      'log record gen_ai.agent.handoff | unknown-event: gen_ai.agent.handoff is not an event of the registry',
      'log record gen_ai.user.message | deprecated-event: gen_ai.user.message is a deprecated event',
      'log record mcp.session.started | unknown-event: mcp.session.started is not an event of the registry',
    ]);
  });

  it('reports a registry event without its required attributes, and applies the attribute rules', () => {
    const report = checkLogRecords(
      recordLogs((logger) => {
        logger.emit({
          eventName: 'gen_ai.evaluation.result',
          attributes: { 'gen_ai.evaluation.score.value': '0.5' },
        });
        logger.emit({
          eventName: 'gen_ai.execute_tool.exception',
          attributes: { 'exception.type': 'Error' },
        });
      }),
    );
    expect(lines(report.violations)).toEqual([
      'log record gen_ai.evaluation.result | attribute-type: gen_ai.evaluation.score.value must be double, got string "0.5"',
      'log record gen_ai.evaluation.result | missing-required: gen_ai.evaluation.name is required on event gen_ai.evaluation.result',
    ]);
  });
});

describe('assertConformant', () => {
  it('returns the report, information included, when nothing is violated', () => {
    const report = assertConformant({
      spans: spans({
        name: 'speech_to_text whisper-1',
        kind: SpanKind.CLIENT,
        attributes: { ...CHAT, 'gen_ai.operation.name': 'speech_to_text' },
      }),
    });
    expect(report.violations).toEqual([]);
    expect(report.info).toHaveLength(1);
  });

  it('throws one error listing every violation, grouped by rule, each distinct one once with its count', () => {
    const bad = {
      name: 'invoke_workflow triage',
      attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'gen_ai.workflow.name': 'triage' },
    };
    const run = () =>
      assertConformant({
        spans: spans(bad, bad, {
          name: 'chat',
          kind: SpanKind.CLIENT,
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.foo': 1 },
        }),
      });
    expect(run).toThrow(
      [
        'telemetry does not conform to the GenAI semantic conventions v0.1.0 (@agent-otel/testing semconv/v0.1.0.json): 4 violations',
        'deprecated-attribute:',
        '  span "invoke_workflow triage": gen_ai.workflow.name is deprecated: Replaced by gen_ai.agent.name on the invoke_agent internal span (operation invoke_workflow). (2×)',
        'missing-required:',
        '  span "chat": gen_ai.provider.name is required on span.gen_ai.client.inference',
        'unknown-attribute:',
        '  span "chat": gen_ai.foo is not in the registry',
      ].join('\n'),
    );
  });

  it('formats findings sorted by rule, then by what they are about', () => {
    expect(
      formatFindings([
        { signal: 'metric', item: 'b', rule: 'metric-unit', detail: 'b must have unit "s", got "ms"' },
        {
          signal: 'span',
          item: 'x',
          rule: 'attribute-type',
          detail: 'server.port must be int, got string "1"',
        },
        {
          signal: 'span',
          item: 'y',
          rule: 'attribute-type',
          detail: 'error.type must be string, got number 1',
        },
      ]),
    ).toBe(
      [
        'attribute-type:',
        '  span "y": error.type must be string, got number 1',
        '  span "x": server.port must be int, got string "1"',
        'metric-unit:',
        '  metric "b": b must have unit "s", got "ms"',
      ].join('\n'),
    );
  });
});
