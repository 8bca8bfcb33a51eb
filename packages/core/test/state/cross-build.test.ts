import { join, resolve } from 'node:path';
import { assertBuilt, runNode } from '@agent-otel/testing';

// `node --import @agent-otel/node/register` loads the ESM build of core, while the instrumentations it
// requires run on the CommonJS build: both copies must share every piece of process-wide state. One
// child process loads both built copies (fixtures/cross-build.mjs) and, for each stateful public
// function, writes through one build and observes through the other, both ways.

jest.setTimeout(30_000);

const CORE = resolve(__dirname, '../..');
const FIXTURE = join(__dirname, 'fixtures', 'cross-build.mjs');

/** Every check the fixture runs; a check that disappears from it fails the test too. */
const CHECKS = [
  'setTracingDisabled / isTracingDisabled',
  'setTracerProvider / getTracer and the manual API',
  'configureContent / getContentPolicy / resetContentPolicy',
  'addTraceProcessor / setTraceProcessors / getTraceProcessors',
  'setModelPrice / extendPriceTable / resetPriceTable / getModelPrice / estimateCost',
  'observeAsyncIterable / watchUntilSettled / endOpenStreamSpans',
  'an open stream span ends at shutdown with end_reason',
  'claimModelCallSpan / getModelCallClaim',
  'claimModelCallSpan of a span the other build started',
  'a span of the other build as the parent option',
  'modelCallOwnerContext / isTracingDisabled',
  'withTrace / withAgentSpan / getCurrentTrace / getCurrentSpan',
  'usage of a model call rolls up into the agent span above it',
  'keepShapes',
];
const DIRECTIONS = [
  ['esm', 'cjs'],
  ['cjs', 'esm'],
] as const;

interface CheckResult {
  name: string;
  from: string;
  to: string;
  error?: string;
}

let report: { distinct: boolean; results: CheckResult[] };

beforeAll(async () => {
  assertBuilt({
    root: join(CORE, 'dist'),
    files: ['esm/index.js', 'esm/instrumentation.js', 'cjs/index.js', 'cjs/instrumentation.js'],
    build: 'npm run build -w @agent-otel/core',
  });
  const result = await runNode([FIXTURE], { cwd: CORE, env: {}, timeoutMillis: 25_000 });
  if (result.code !== 0 || result.stderr !== '') {
    throw new Error(`the cross-build child failed (exit ${result.code}):\n${result.stderr}`);
  }
  report = JSON.parse(result.stdout) as typeof report;
});

it('loads two distinct copies of core (the checks below compare two builds)', () => {
  expect(report.distinct).toBe(true);
});

it('runs every check in both directions', () => {
  expect(report.results.map(({ name, from, to }) => `${from}→${to} ${name}`)).toEqual(
    DIRECTIONS.flatMap(([from, to]) => CHECKS.map((name) => `${from}→${to} ${name}`)),
  );
});

describe.each(DIRECTIONS)('written through the %s build, observed through the %s build', (from, to) => {
  it.each(CHECKS)('%s', (name) => {
    const result = report.results.find((r) => r.name === name && r.from === from && r.to === to);
    expect(result).toBeDefined();
    expect(result?.error).toBeUndefined();
  });
});
