import { REPO_ROOT } from './support/jaeger-process';
import { runNode } from './support/child';
import { sharedJaeger, uniqueService } from './support/e2e-env';
import { CONTENT_ATTRIBUTES, discoverExamples, withRequireRegister } from './support/examples';
import type { Example, ExpectedSpan } from './support/examples';
import { randomUUID } from 'node:crypto';
import {
  byTrace,
  canonical,
  compareTimes,
  orphans,
  RUN_ATTRIBUTE,
  toTrees,
  waitForRunSpans,
} from './support/jaeger-query';
import type { StoredSpan } from './support/jaeger-query';

// Every example under examples/ runs as a user runs it (its `start` script: a child Node process
// with `--import @agent-otel/node/register`), exports to the real Jaeger, and the trace is read
// back from Jaeger's query API.

const examples = discoverExamples();

interface Run {
  readonly protocol: 'http/protobuf' | 'http/json';
  readonly preload: '--import' | '-r';
  readonly capture: boolean;
}

const RUNS: readonly Run[] = [
  { protocol: 'http/protobuf', preload: '--import', capture: false },
  { protocol: 'http/json', preload: '--import', capture: false },
  { protocol: 'http/protobuf', preload: '-r', capture: false },
  { protocol: 'http/json', preload: '--import', capture: true },
];

async function runExample(
  example: Example,
  run: Run,
): Promise<{ service: string; spans: StoredSpan[]; stdout: string }> {
  const { otlpUrl, queryUrl } = sharedJaeger();
  const service = uniqueService(example.dir);
  const runId = randomUUID();
  const args = run.preload === '-r' ? withRequireRegister(example.args) : [...example.args];
  const result = await runNode(args, {
    cwd: example.path,
    env: {
      ...example.descriptor?.env,
      OTEL_SERVICE_NAME: service,
      OTEL_RESOURCE_ATTRIBUTES: `${RUN_ATTRIBUTE}=${runId}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: run.protocol,
      ...(run.capture ? { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'SPAN_ONLY' } : {}),
    },
  });
  if (result.code !== 0)
    throw new Error(`${example.dir} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  expect(result.stderr).toBe('');
  if (example.descriptor?.stdoutIncludes) expect(result.stdout).toContain(example.descriptor.stdoutIncludes);
  const expectedSpans = example.descriptor
    ? example.descriptor.traces.reduce((sum, tree) => sum + countSpans(tree), 0)
    : 1;
  const spans = await waitForRunSpans(queryUrl, service, runId, { minSpans: expectedSpans });
  return { service, spans, stdout: result.stdout };
}

function countSpans(node: ExpectedSpan): number {
  return 1 + (node.children ?? []).reduce((sum, child) => sum + countSpans(child), 0);
}

/**
 * Pairs each expected span with the stored span at the same place in the tree: children with the
 * same name are matched in start order (the descriptor lists them in start order).
 */
function pair(
  expected: ExpectedSpan,
  spans: readonly StoredSpan[],
  span: StoredSpan,
  out: [ExpectedSpan, StoredSpan][],
): void {
  out.push([expected, span]);
  const children = spans.filter((s) => s.parentSpanId === span.spanId).sort(compareTimes);
  const used = new Set<StoredSpan>();
  for (const child of expected.children ?? []) {
    const match = children.find((s) => s.name === child.name && !used.has(s));
    if (match === undefined) continue;
    used.add(match);
    pair(child, spans, match, out);
  }
}

describe.each(examples.map((example) => [example.dir, example] as const))('example %s', (_dir, example) => {
  // An example that registers in code runs as its start script says; the `-r` variant needs a preload.
  const runs = RUNS.filter((run) => run.preload === '--import' || example.preloadsRegister);
  const label = (run: Run) =>
    example.preloadsRegister ? `node ${run.preload} @agent-otel/node/register` : 'its start script';
  it.each(
    runs.map((run) => [label(run), run.protocol, run.capture ? 'content on' : 'content off', run] as const),
  )('%s over %s (%s): the whole trace arrives in Jaeger', async (_preload, _protocol, _capture, run) => {
    const { service, spans } = await runExample(example, run);
    expect(spans.length).toBeGreaterThan(0);
    expect(orphans(spans)).toEqual([]);
    const serviceNames = [...new Set(spans.map((span) => String(span.resource['service.name'])))].sort();
    expect(serviceNames).toEqual([...(example.descriptor?.services ?? [service])].sort());
    const traces = byTrace(spans);
    for (const traceSpans of traces.values()) {
      expect(traceSpans.filter((span) => span.parentSpanId === '')).toHaveLength(1);
    }

    const present = new Set(spans.flatMap((span) => Object.keys(span.attributes)));
    const content = CONTENT_ATTRIBUTES.filter((name) => present.has(name));
    if (!run.capture) expect(content).toEqual([]);
    else if (example.descriptor?.contentAttributes) {
      expect(content).toEqual(expect.arrayContaining([...example.descriptor.contentAttributes]));
    }

    const descriptor = example.descriptor;
    if (descriptor === undefined) return;
    expect(traces.size).toBe(descriptor.traces.length);
    // Same trees (names, kinds, parents), whatever order the traces are listed in.
    const sorted = (trees: unknown[]) => trees.map((tree) => JSON.stringify(tree)).sort();
    expect(sorted(toTrees(spans))).toEqual(sorted(descriptor.traces.map((tree) => canonical(tree))));
    // Attributes: the n-th trace to start against the n-th tree of the descriptor.
    const roots = spans.filter((span) => span.parentSpanId === '').sort(compareTimes);
    const pairs: [ExpectedSpan, StoredSpan][] = [];
    roots.forEach((root, index) => pair(descriptor.traces[index]!, spans, root, pairs));
    for (const [expected, stored] of pairs) {
      expect({ span: stored.name, attributes: stored.attributes }).toEqual({
        span: expected.name,
        attributes: expect.objectContaining(expected.attributes ?? {}),
      });
    }
  });
});

it('finds the runnable examples', () => {
  expect(examples.map((example) => example.dir)).toEqual(
    expect.arrayContaining([
      'ai-sdk-agent',
      'langgraph-agent',
      'mcp-agent',
      'openai-agents-support',
      'support-agent',
    ]),
  );
  for (const example of examples) expect(example.path.startsWith(REPO_ROOT)).toBe(true);
});
