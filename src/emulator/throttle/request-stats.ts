import type { StatsSnapshot } from '../control/control-types.js';

const MAX_SAMPLES = 20_000;

/** Request counters and serve times by route name, read by tests and benchmarks through the control API. */
export class RequestStats {
  private total = 0;
  private batchItems = 0;
  private throttled = 0;
  private byRoute = new Map<string, number>();
  private byStatus = new Map<string, number>();
  private durations = new Map<string, number[]>();

  record(route: string, status: number, ms: number, batchItem = false): void {
    this.total++;
    if (batchItem) this.batchItems++;
    if (status === 429) this.throttled++;
    this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
    const key = String(status);
    this.byStatus.set(key, (this.byStatus.get(key) ?? 0) + 1);
    const samples = this.durations.get(route) ?? [];
    if (samples.length >= MAX_SAMPLES) samples.shift();
    samples.push(ms);
    this.durations.set(route, samples);
  }

  snapshot(): StatsSnapshot {
    const p95MsByRoute = Object.fromEntries(
      [...this.durations].map(([route, samples]) => [route, percentile95(samples)]),
    );
    return {
      total: this.total,
      requests: this.total,
      httpRequests: this.total - this.batchItems,
      byRoute: Object.fromEntries(this.byRoute),
      byStatus: Object.fromEntries(this.byStatus),
      throttled: this.throttled,
      servePageP95Ms: p95MsByRoute['GET /users'] ?? 0,
      p95MsByRoute,
    };
  }

  reset(): void {
    this.total = 0;
    this.batchItems = 0;
    this.throttled = 0;
    this.byRoute.clear();
    this.byStatus.clear();
    this.durations.clear();
  }
}

function percentile95(samples: readonly number[]): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? 0;
  return Math.round(value * 100) / 100;
}
