// A metric reader that only collects when asked: the test harness's view of the meter provider.
import { AggregationTemporality, MetricReader } from '@opentelemetry/sdk-metrics';

/**
 * A `MetricReader` with delta temporality and no export of its own: each `collect()` resolves what
 * was recorded since the previous one.
 */
export class CollectingMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }

  protected override async onShutdown(): Promise<void> {}

  protected override async onForceFlush(): Promise<void> {}
}
