import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { RefresherMetrics } from './contract.ts';

/** The metrics of one instance at the end of its refresh. */
export interface InstanceMetrics {
  readonly instance: string;
  /** A token was published: `RefreshSucceeded`. */
  readonly published: boolean;
  /** The refresh failed: `RefreshFailed`. */
  readonly failed: boolean;
  /** Milliseconds the login took, when one was made: `LoginLatency`. */
  readonly loginLatencyMs?: number;
  /** Seconds until the stored token expires, 0 when none is stored or it expired: `SecondsToExpiry`. */
  readonly secondsToExpiry: number;
}

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/**
 * Emits one instance's metrics with the `Instance` dimension. Each is a Powertools single metric
 * (its own EMF record, written straight away): a single metric drops its dimensions once it
 * publishes, so each metric gets a fresh one.
 *
 * @param metrics - the run's Metrics; nothing is emitted when undefined
 */
export function emitInstanceMetrics(metrics: Metrics | undefined, values: InstanceMetrics): void {
  if (metrics === undefined) return;
  const emit = (name: string, unit: Unit, value: number) => {
    const single = metrics.singleMetric();
    single.addDimension(RefresherMetrics.instanceDimension, values.instance);
    single.addMetric(name, unit, value);
  };
  if (values.published) emit(RefresherMetrics.refreshSucceeded, MetricUnit.Count, 1);
  if (values.failed) emit(RefresherMetrics.refreshFailed, MetricUnit.Count, 1);
  if (values.loginLatencyMs !== undefined) {
    emit(RefresherMetrics.loginLatency, MetricUnit.Milliseconds, values.loginLatencyMs);
  }
  emit(RefresherMetrics.secondsToExpiry, MetricUnit.Seconds, values.secondsToExpiry);
}
