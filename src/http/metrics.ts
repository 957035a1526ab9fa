import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus figures of HTTP, jobs and syncs, served at /metrics. One registry per service instance. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly jobRuns = new Counter({
    name: 'job_runs_total',
    help: 'Finished background jobs by name and outcome',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: 'job_duration_seconds',
    help: 'Background job duration',
    labelNames: ['job'] as const,
    buckets: [0.1, 1, 5, 30, 60, 300, 900],
    registers: [this.registry],
  });
  readonly syncUsers = new Counter({
    name: 'sync_users_total',
    help: 'Users handled by sync runs, by outcome (created, updated, deactivated, reactivated, skipped, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly syncRuns = new Counter({
    name: 'sync_runs_total',
    help: 'Sync runs by final status',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
