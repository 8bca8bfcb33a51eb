import type { ExportResult } from '@opentelemetry/core';
import { AggregationTemporality, AggregationType } from '@opentelemetry/sdk-metrics';
import type {
  AggregationOption,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { ExportOutageReporter } from './ExportOutageReporter.js';
import type { ExportOutageReporterOptions } from './ExportOutageReporter.js';

const DEFAULT_AGGREGATION: AggregationOption = { type: AggregationType.DEFAULT };

/** The number of data points in `metrics`: what a failed export loses. */
function countDataPoints(metrics: ResourceMetrics): number {
  let count = 0;
  for (const scope of metrics.scopeMetrics)
    for (const metric of scope.metrics) count += metric.dataPoints.length;
  return count;
}

/**
 * A metric exporter that reports failed exports through an {@link ExportOutageReporter} (once per
 * outage) and answers the reader "success", so the SDK does not log every failed export again.
 * Temporality and aggregation are the wrapped exporter's.
 */
export class ReportingMetricExporter implements PushMetricExporter {
  private readonly _exporter: PushMetricExporter;
  private readonly _reporter: ExportOutageReporter;

  constructor(exporter: PushMetricExporter, options: ExportOutageReporterOptions) {
    this._exporter = exporter;
    this._reporter = new ExportOutageReporter(options);
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this._reporter.export(
      countDataPoints(metrics),
      (onResult) => this._exporter.export(metrics, onResult),
      resultCallback,
    );
  }

  forceFlush(): Promise<void> {
    return this._exporter.forceFlush();
  }

  shutdown(): Promise<void> {
    return this._reporter.shutdown(() => this._exporter.shutdown());
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    // The SDK reader's own defaults when the wrapped exporter has no preference.
    return this._exporter.selectAggregationTemporality?.(instrumentType) ?? AggregationTemporality.CUMULATIVE;
  }

  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return this._exporter.selectAggregation?.(instrumentType) ?? DEFAULT_AGGREGATION;
  }
}
