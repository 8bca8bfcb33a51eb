import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { NodeRunResult } from '@agent-otel/testing';
import { resultOf, runNode } from './support/child';
import { sharedJaeger, uniqueService } from './support/e2e-env';
import { REPO_ROOT } from './support/jaeger-process';
import { waitForSpans } from './support/jaeger-query';
import { startOtlpSink } from './support/otlp-sink';
import {
  logsOf,
  metricsOf,
  sinkSummary,
  waitForLogs,
  waitForMetrics,
  type LogEntry,
  type MetricPoint,
} from './support/signals-query';

// Metrics and log records reach a real OTLP receiver: an app using the OTel SDK alone exports all
// three signals to Jaeger's one OTLP/HTTP endpoint; Jaeger stores the trace and forwards metrics
// and logs to the suite's signals sink (scripts/jaeger/config.yaml, support/otlp-sink.ts).

const APP = join(REPO_ROOT, 'e2e/fixtures/signals-app.mjs');

/** What the app records. Binary fractions, so the histogram's sum is exact. */
const VALUES = {
  bounds: [0.1, 1, 10],
  histogram: [0.0625, 0.25, 0.5, 2, 40],
  counter: [5, 7],
  gauge: 3.5,
  log: {
    body: { message: 'smoke body', steps: [1, 'two', true], meta: { nothing: null, ratio: 0.25 } },
    attributes: {
      'e2e.user': 'ada',
      'e2e.count': 3,
      'e2e.ratio': 0.5,
      'e2e.ok': true,
      'e2e.tags': ['a', 'b'],
      'e2e.nested': { level1: { level2: 'deep', n: 7 }, list: [1, 'two', false] },
    },
    bytes: [0, 1, 254, 255],
  },
};

describe('metrics and log records through Jaeger to the signals sink', () => {
  const service = uniqueService('signals');
  let run: NodeRunResult;
  let ids: { traceId: string; spanId: string };

  beforeAll(async () => {
    run = await runNode([APP], {
      cwd: REPO_ROOT,
      env: {
        OTEL_SERVICE_NAME: service,
        OTEL_EXPORTER_OTLP_ENDPOINT: sharedJaeger().otlpUrl,
        SIGNALS_VALUES: JSON.stringify(VALUES),
      },
    });
    ids = resultOf(run);
  });

  test('the app exports all three signals without an error', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(ids.spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  test('each instrument arrives as one data point with exactly the recorded values', async () => {
    const points: MetricPoint[] = await waitForMetrics(service, (received) => received.length >= 3);
    expect(points.map((point) => point.name).sort()).toEqual([
      'e2e.signals.calls',
      'e2e.signals.duration',
      'e2e.signals.level',
    ]);
    const point = (name: string) => points.find((candidate) => candidate.name === name)!;
    const scope = { name: 'e2e-signals-meter', version: '1.2.3' };
    for (const { resource, service: pointService } of points) {
      expect(pointService).toBe(service);
      expect(resource['service.name']).toBe(service);
    }

    const duration = point('e2e.signals.duration');
    expect(duration).toMatchObject({
      type: 'histogram',
      unit: 's',
      description: 'smoke histogram',
      temporality: 'cumulative',
      isMonotonic: null,
      scope,
    });
    expect(duration.attributes).toEqual({ 'e2e.route': 'smoke' });
    // 0.0625 | 0.25 0.5 | 2 | 40 against the bounds 0.1, 1, 10.
    expect(duration.value).toEqual({
      count: 5,
      sum: 42.8125,
      min: 0.0625,
      max: 40,
      bucketCounts: [1, 2, 1, 1],
      explicitBounds: [0.1, 1, 10],
    });

    const calls = point('e2e.signals.calls');
    expect(calls).toMatchObject({
      type: 'sum',
      unit: '{call}',
      temporality: 'cumulative',
      isMonotonic: true,
      value: 12,
      scope,
    });
    expect(calls.attributes).toEqual({ 'e2e.kind': 'smoke' });

    const level = point('e2e.signals.level');
    expect(level).toMatchObject({ type: 'gauge', temporality: null, isMonotonic: null, value: 3.5, scope });
    expect(level.attributes).toEqual({});
  });

  test('the log record arrives once, decoded, with the trace and span ids of the active span', async () => {
    const records: LogEntry[] = await waitForLogs(service);
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record).toMatchObject({
      service,
      eventName: 'e2e.signals.event',
      severityNumber: 13,
      severityText: 'WARN',
      traceId: ids.traceId,
      spanId: ids.spanId,
      flags: 1,
      scope: { name: 'e2e-signals-logger', version: '4.5.6' },
    });
    expect(record!.body).toEqual(VALUES.log.body);
    expect(record!.attributes).toEqual({
      ...VALUES.log.attributes,
      'e2e.bytes': new Uint8Array(VALUES.log.bytes),
    });
    expect(record!.resource['service.name']).toBe(service);
  });

  test("the log record's span is the one Jaeger stored", async () => {
    const spans = await waitForSpans(sharedJaeger().queryUrl, service, { minSpans: 1 });
    expect(spans.map(({ name, traceId, spanId }) => ({ name, traceId, spanId }))).toEqual([
      { name: 'signals-smoke', traceId: ids.traceId, spanId: ids.spanId },
    ]);
  });

  test('waiting for what never arrives fails with what did arrive', async () => {
    const waited = waitForMetrics(service, (received) => received.some((p) => p.name === 'never.sent'), {
      timeoutMillis: 600,
    });
    await expect(waited).rejects.toThrow(
      new RegExp(`no metric data points of service "${service}" satisfied the predicate within 600 ms`),
    );
    await expect(waited).rejects.toThrow(/e2e\.signals\.duration histogram \{"e2e\.route":"smoke"\}/);
    const absent = uniqueService('absent');
    await expect(waitForLogs(absent, undefined, { timeoutMillis: 300 })).rejects.toThrow(
      new RegExp(
        `no log records of service "${absent}" .*Received 0\\n\\(the sink got \\d+ metrics and \\d+ logs requests, from services \\[.*"${service}"`,
        's',
      ),
    );
  });
});

describe('the signals sink', () => {
  test('takes gzip JSON, refuses protobuf with the fix, and answers only for the service asked', async () => {
    const sink = await startOtlpSink();
    try {
      const post = (path: string, body: Buffer, headers: Record<string, string>) =>
        fetch(`${sink.url}${path}`, { method: 'POST', body, headers });
      const resource = (name: string) => ({
        attributes: [{ key: 'service.name', value: { stringValue: name } }],
      });
      const metrics = {
        resourceMetrics: ['svc-a', 'svc-b'].map((name) => ({
          resource: resource(name),
          scopeMetrics: [
            {
              scope: { name: 'scope-1' },
              metrics: [
                {
                  name: 'requests',
                  sum: {
                    aggregationTemporality: 1,
                    dataPoints: [{ asInt: '9007199254740991', attributes: [] }],
                  },
                },
              ],
            },
          ],
        })),
      };
      const accepted = await post('/v1/metrics', gzipSync(JSON.stringify(metrics)), {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      });
      expect(accepted.status).toBe(200);
      expect(await accepted.json()).toEqual({});

      const protobuf = await post('/v1/logs', Buffer.from([0x0a, 0x00]), {
        'content-type': 'application/x-protobuf',
      });
      expect(protobuf.status).toBe(415);
      expect(await protobuf.text()).toContain(
        'set `encoding: json` on the exporter in scripts/jaeger/config.yaml',
      );

      const points = await metricsOf('svc-a', sink.url);
      expect(points).toHaveLength(1);
      expect(points[0]).toMatchObject({
        service: 'svc-a',
        name: 'requests',
        type: 'sum',
        temporality: 'delta',
        isMonotonic: false,
        value: Number.MAX_SAFE_INTEGER,
        scope: { name: 'scope-1', version: '' },
      });
      expect(await logsOf('svc-a', sink.url)).toEqual([]);
      const summary = await sinkSummary(sink.url);
      expect(summary.services).toEqual({
        'svc-a': { metricPoints: 1, metricNames: ['requests'], logRecords: 0 },
        'svc-b': { metricPoints: 1, metricNames: ['requests'], logRecords: 0 },
      });
      expect(summary.requests).toEqual({ metrics: 1, logs: 1 });
      expect(summary.rejected).toEqual([
        expect.stringMatching(/^POST \/v1\/logs: 415 content-type application\/x-protobuf/),
      ]);
    } finally {
      await sink.close();
    }
  });
});
