import { join } from 'node:path';
import { resultOf, runNode } from './support/child';
import { report, sharedJaeger, uniqueService } from './support/e2e-env';
import { REPO_ROOT } from './support/jaeger-process';
import { orphans, waitForSpans } from './support/jaeger-query';
import type { StoredSpan, StoredValue } from './support/jaeger-query';

// Awkward values through the manual API (e2e/fixtures/bad-inputs.mjs) and through the model-client
// adapters (e2e/fixtures/bad-inputs-adapters.mjs: instrumentation-openai and -anthropic, loaded by
// the register entry point, against the scripted model server): nothing of ours may throw into the
// app, every span must be exported, and what Jaeger stores must be what
// packages/core/docs/content-policy.md ("What awkward values become") says.

type Check = string | ((value: StoredValue | undefined, span: StoredSpan) => void);

interface Expectation {
  /** Span name in Jaeger. */
  readonly span: string;
  /** Attribute checked, and its expected value (exact string, or a check). */
  readonly attribute: string;
  readonly expected: Check;
}

const custom = (id: string, expected: Check): [string, Expectation] => [
  id,
  { span: `bad ${id}`, attribute: 'agent_otel.custom.data', expected },
];
const json = (value: unknown) => JSON.stringify(value);
const truncatedFlag = (span: StoredSpan) =>
  expect(span.attributes['agent_otel.content.truncated']).toBe(true);

const EXPECTATIONS = new Map<string, Expectation>([
  custom('circular', json({ name: 'loop', self: '[Circular]' })),
  custom('shared-not-circular', json({ a: { v: 1 }, b: { v: 1 } })),
  custom('bigint', json({ n: '123', big: '1180591620717411303424' })),
  custom('bigint-top', json('123')),
  custom('nan-infinity', json({ nan: 'NaN', inf: 'Infinity', neg: '-Infinity' })),
  custom('huge-string', (value, span) => {
    // Capped to 16384 characters, the marker counting what was removed from the original.
    const removed = 5_000_000 - (16384 - '…[truncated 4983642 chars]'.length);
    expect(value).toBe(
      `${'x'.repeat(16384 - `…[truncated ${removed} chars]`.length)}…[truncated ${removed} chars]`,
    );
    truncatedFlag(span);
  }),
  [
    'huge-string-in-object',
    {
      span: 'execute_tool bad huge-string-in-object',
      attribute: 'gen_ai.tool.call.arguments',
      expected: (value, span) => {
        const text = String(value);
        expect(text.length).toBeLessThanOrEqual(16384);
        const parsed = JSON.parse(text) as { text: string; keep: string };
        expect(parsed.keep).toBe('me');
        expect(parsed.text).toMatch(/^y+…\[truncated \d+ chars\]$/);
        truncatedFlag(span);
      },
    },
  ],
  custom('buffer', json('[binary 11 bytes]')),
  custom(
    'typed-arrays',
    json({
      u8: '[binary 10 bytes]',
      f64: '[binary 32 bytes]',
      ab: '[binary 16 bytes]',
      dv: '[binary 8 bytes]',
    }),
  ),
  custom('lone-high-surrogate', json({ s: 'a\uFFFDb' })),
  custom('lone-low-surrogate-top', '\uFFFDend'),
  custom('emoji-kept', json({ s: 'ok 😀' })),
  custom('throwing-getter', json({ ok: 1, bad: '[Unserializable: getter exploded]' })),
  custom('throwing-proxy-property', json({ ok: 1, p: '[Unserializable: get trap]' })),
  custom('throwing-tojson', json({ ok: 1, t: '[Unserializable: toJSON exploded]' })),
  custom('tojson', json({ t: { replaced: true } })),
  custom('proto-key', '{"__proto__":{"polluted":true},"a":1}'),
  custom('constructor-key', json({ constructor: { prototype: { polluted: true } }, b: 2 })),
  custom('map-non-string-keys', json({ 1: 'one', '{"k":1}': 'obj', s: 'str' })),
  custom('set', json([1, 'two'])),
  custom('symbols', json({ v: 'Symbol(desc)' })),
  custom('dates', json({ d: '2026-01-02T03:04:05.000Z', bad: 'Invalid Date' })),
  custom('regexp', json({ r: '/ab+c/gi' })),
  custom('error', (value) => {
    const parsed = JSON.parse(String(value)) as { e: Record<string, unknown> };
    expect(parsed.e).toEqual({
      name: 'TypeError',
      message: 'boom',
      stack: expect.stringContaining('TypeError: boom'),
      code: 'E_BOOM',
    });
  }),
  custom('functions', json({ f: '[Function named]', a: '[Function a]' })),
  custom('deep-nesting', (value) => {
    let node = JSON.parse(String(value)) as unknown;
    let depth = 0;
    while (typeof node === 'object' && node !== null && 'next' in node) {
      node = (node as { next: unknown }).next;
      depth++;
    }
    expect({ depth, node }).toEqual({ depth: 32, node: '[MaxDepth]' });
  }),
  custom('wide-array', json([...Array.from({ length: 1000 }, (_, i) => i), '[… 500 more]'])),
  custom('undefined-values', json({ list: [1, null, 3] })),
  custom('odd-objects', json({ weak: {}, promise: {}, instance: { x: 1 } })),
  custom('null-prototype', json({ a: 1 })),
  [
    'sensitive-keys',
    {
      span: 'execute_tool bad sensitive-keys',
      attribute: 'gen_ai.tool.call.arguments',
      expected: json({ apiKey: '[REDACTED]', password: '[REDACTED]', query: 'fine' }),
    },
  ],
  [
    'api-key-in-text',
    {
      span: 'execute_tool bad api-key-in-text',
      attribute: 'gen_ai.tool.call.result',
      expected: 'use [REDACTED:api_key] please',
    },
  ],
  [
    'binary-in-messages',
    {
      span: 'chat fake-model',
      attribute: 'gen_ai.input.messages',
      expected: json([
        {
          role: 'user',
          parts: [
            { type: 'text', content: 'hi' },
            {
              type: 'blob',
              mime_type: 'image/png',
              modality: 'image',
              content: '[binary 3000 bytes, image/png]',
            },
          ],
        },
      ]),
    },
  ],
  [
    'circular-messages',
    {
      span: 'chat fake-model',
      attribute: 'gen_ai.input.messages',
      expected: json([{ role: 'user', parts: [{ type: 'text', content: 'hello' }] }]),
    },
  ],
  [
    'metadata-non-string-keys',
    {
      span: 'invoke_workflow bad metadata-non-string-keys',
      attribute: 'agent_otel.metadata.1',
      expected: (value, span) => {
        expect(value).toBe('one');
        expect(span.attributes['agent_otel.metadata.nested']).toBe(json({ n: '1' }));
        // Symbol keys are skipped.
        expect(Object.keys(span.attributes).filter((key) => key.includes('Symbol'))).toEqual([]);
      },
    },
  ],
  [
    'metadata-nan-infinity',
    {
      span: 'invoke_workflow bad metadata-nan-infinity',
      attribute: 'agent_otel.metadata.inf',
      // Non-finite metadata numbers are recorded as text (OTLP/JSON cannot carry them).
      expected: (value, span) => {
        expect(value).toBe('Infinity');
        expect(span.attributes['agent_otel.metadata.nan']).toBe('NaN');
      },
    },
  ],
  [
    'non-string-span-name',
    // Not in the docs: a number as a tool name is kept as an int attribute, the span named with it.
    { span: 'execute_tool 42', attribute: 'gen_ai.tool.name', expected: (value) => expect(value).toBe(42) },
  ],
  [
    'lone-surrogate-span-name',
    { span: 'execute_tool tool\uFFFD', attribute: 'gen_ai.tool.name', expected: 'tool\uFFFD' },
  ],
  [
    'throwing-input-object',
    { span: 'execute_tool hostile', attribute: 'gen_ai.tool.name', expected: 'hostile' },
  ],
  ['null-input', { span: 'execute_tool', attribute: 'gen_ai.operation.name', expected: 'execute_tool' }],
]);

interface BadInputsResult {
  cases: { id: string; path: string }[];
  threw: string[];
  wrongResults: string[];
  prototypePolluted: boolean;
}

async function runBadInputs(protocol: string, env: Record<string, string>, minSpans: number) {
  const { otlpUrl, queryUrl } = sharedJaeger();
  const service = uniqueService('bad-inputs');
  const child = await runNode(
    ['--import', '@agent-otel/node/register', join(REPO_ROOT, 'e2e/fixtures/bad-inputs.mjs')],
    {
      cwd: REPO_ROOT,
      env: {
        ...env,
        OTEL_SERVICE_NAME: service,
        OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'SPAN_ONLY',
      },
    },
  );
  const spans = await waitForSpans(queryUrl, service, { minSpans, timeoutMillis: 5000 });
  return { child, spans };
}

describe.each(['http/protobuf', 'http/json'])('bad inputs through the manual API over %s', (protocol) => {
  let spans: StoredSpan[];
  let result: BadInputsResult;
  const skipped: string[] = [];

  beforeAll(async () => {
    const run = await runBadInputs(protocol, { BAD_INPUT_EXCLUDE: skipped.join(',') }, 40);
    expect(run.child.stderr).toBe('');
    expect(run.child.code).toBe(0);
    result = resultOf<BadInputsResult>(run.child);
    spans = run.spans;
  });

  it('never throws into the app, always returns the app result, and pollutes no prototype', () => {
    expect(result.cases.length).toBeGreaterThanOrEqual(30);
    expect(result.threw).toEqual([]);
    expect(result.wrongResults).toEqual([]);
    expect(result.prototypePolluted).toBe(false);
    if (protocol === 'http/protobuf') {
      report('bad inputs', [
        `${result.cases.length} cases (${[...new Set(result.cases.map((c) => c.path))].join(', ')}), 0 threw, ` +
          `${spans.length} spans exported, every stored value as documented`,
      ]);
    }
  });

  it('exports every span, each under its parent', () => {
    expect(orphans(spans)).toEqual([]);
    // One trace: the workflows of the metadata cases nest under the outer one.
    expect(spans.filter((span) => span.parentSpanId === '').map((span) => span.name)).toEqual([
      'invoke_workflow bad-inputs',
    ]);
    expect(spans.length).toBeGreaterThanOrEqual(result.cases.length + 1);
  });

  it('has an expectation for every case', () => {
    expect(result.cases.map((c) => c.id).filter((id) => !EXPECTATIONS.has(id))).toEqual([]);
  });

  it.each([...EXPECTATIONS.entries()].filter(([id]) => !skipped.includes(id)))(
    'stores %s as the docs say',
    (id, expectation) => {
      const candidates = spans.filter((span) => span.name === expectation.span);
      // Two cases share the span name `chat fake-model`: tell them apart by their agent parent.
      const span =
        candidates.length > 1
          ? candidates.find(
              (c) => spans.find((p) => p.spanId === c.parentSpanId)?.name === `invoke_agent bad ${id}`,
            )
          : candidates[0];
      if (span === undefined) throw new Error(`no span "${expectation.span}" for case ${id}`);
      const value = span.attributes[expectation.attribute];
      if (typeof expectation.expected === 'string') expect(value).toBe(expectation.expected);
      else expectation.expected(value, span);
    },
  );
});

// ---------------------------------------------------------------- through the adapters

type AdapterCheck = (span: StoredSpan) => void;

const messagesOf = (span: StoredSpan) =>
  JSON.parse(String(span.attributes['gen_ai.input.messages'])) as {
    role: string;
    parts: { content: unknown }[];
  }[];
const truncatedText =
  (letter: string): AdapterCheck =>
  (span) => {
    expect(String(span.attributes['gen_ai.input.messages']).length).toBeLessThanOrEqual(16384);
    expect(messagesOf(span)[0]!.parts[0]!.content).toMatch(
      new RegExp(`^${letter}+…\\[truncated \\d+ chars\\]$`),
    );
    truncatedFlag(span);
  };
const inputIs =
  (content: string): AdapterCheck =>
  (span) =>
    expect(span.attributes['gen_ai.input.messages']).toBe(
      json([{ role: 'user', parts: [{ type: 'text', content }] }]),
    );
const gettersFailure: AdapterCheck = (span) => {
  expect(span.statusCode).toBe('ERROR');
  expect(String(span.attributes['gen_ai.input.messages'])).toContain('[Unserializable: getter exploded]');
};

/** Per case: what the app saw (`ok`, or the library's own error), and a check of the model span. */
const ADAPTER_EXPECTATIONS: Record<string, { outcome: string; check: AdapterCheck }> = {
  'openai-huge-message': { outcome: 'ok', check: truncatedText('x') },
  'openai-lone-surrogate': { outcome: 'ok', check: inputIs('a\uFFFDb') },
  'openai-api-key-in-prompt': { outcome: 'ok', check: inputIs('my key is [REDACTED:api_key]') },
  'openai-deep-tool-schema': {
    outcome: 'ok',
    check: (span) => {
      const definitions = String(span.attributes['gen_ai.tool.definitions']);
      expect(JSON.parse(definitions)).toEqual([expect.objectContaining({ name: 'deep' })]);
      expect(definitions).toContain('"[MaxDepth]"');
    },
  },
  'openai-nan-temperature': {
    outcome: 'ok',
    check: (span) => {
      expect(span.statusCode).toBe('UNSET');
      expect(span.attributes).not.toHaveProperty(['gen_ai.request.temperature']);
    },
  },
  // The client itself reads the getter to build the request: the app gets that error, unchanged.
  'openai-throwing-getter-message': { outcome: 'threw: getter exploded', check: gettersFailure },
  'openai-stream-huge': {
    outcome: 'ok',
    check: (span) => {
      truncatedText('y')(span);
      expect(span.attributes['gen_ai.request.stream']).toBe(true);
    },
  },
  'anthropic-lone-surrogate-system': {
    outcome: 'ok',
    check: (span) =>
      expect(span.attributes['gen_ai.system_instructions']).toBe(
        json([{ type: 'text', content: 'sys \uFFFD' }]),
      ),
  },
  'anthropic-huge-message': { outcome: 'ok', check: truncatedText('z') },
  'anthropic-binary-image': {
    outcome: 'ok',
    check: (span) =>
      expect(String(span.attributes['gen_ai.input.messages'])).toContain('"[binary 3000 bytes, image/png]"'),
  },
  'anthropic-throwing-getter-message': { outcome: 'threw: getter exploded', check: gettersFailure },
};

describe('bad inputs through the openai and anthropic adapters', () => {
  let spans: StoredSpan[];
  let outcomes: Record<string, string>;

  beforeAll(async () => {
    const { otlpUrl, queryUrl } = sharedJaeger();
    const service = uniqueService('bad-inputs-adapters');
    const child = await runNode(
      ['--import', '@agent-otel/node/register', join(REPO_ROOT, 'e2e/fixtures/bad-inputs-adapters.mjs')],
      {
        cwd: REPO_ROOT,
        env: {
          OTEL_SERVICE_NAME: service,
          OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
          OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'SPAN_ONLY',
        },
      },
    );
    expect(child.stderr).toBe('');
    expect(child.code).toBe(0);
    outcomes = resultOf<{ outcomes: Record<string, string> }>(child).outcomes;
    spans = await waitForSpans(queryUrl, service, { minSpans: 2 * Object.keys(ADAPTER_EXPECTATIONS).length });
  });

  it("runs every case, and the app sees only the client library's own errors", () => {
    expect(Object.keys(outcomes).sort()).toEqual(Object.keys(ADAPTER_EXPECTATIONS).sort());
    for (const [id, { outcome }] of Object.entries(ADAPTER_EXPECTATIONS))
      expect({ id, outcome: outcomes[id] }).toEqual({ id, outcome });
    expect(orphans(spans)).toEqual([]);
    report('bad inputs (adapters)', [
      `${Object.keys(outcomes).length} cases through instrumentation-openai/-anthropic, 0 errors of ours, ` +
        `${spans.length} spans exported, every stored value as documented`,
    ]);
  });

  it.each(Object.entries(ADAPTER_EXPECTATIONS))('stores %s as the docs say', (id, { check }) => {
    const root = spans.find((span) => span.name === `invoke_workflow adapter ${id}`);
    if (root === undefined) throw new Error(`no trace for case ${id}`);
    const model = spans.filter((span) => span.parentSpanId === root.spanId && span.kind === 'CLIENT');
    expect(model).toHaveLength(1);
    check(model[0]!);
  });
});
