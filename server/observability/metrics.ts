import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process, served at /metrics. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly sockets = new Gauge({
    name: 'realtime_connected_sockets',
    help: 'Socket.IO clients connected to this process',
    registers: [this.registry],
  });
  readonly queueDepth: Gauge<'queue' | 'state'>;
  readonly httpErrors = new Counter({
    name: 'http_server_errors_total',
    help: 'Requests answered with a 5xx status',
    registers: [this.registry],
  });

  constructor(queueDepths: () => Promise<{ queue: string; state: string; count: number }[]> = async () => []) {
    collectDefaultMetrics({ register: this.registry });
    this.queueDepth = new Gauge({
      name: 'queue_jobs',
      help: 'Jobs in each BullMQ queue by state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { queue, state, count } of await queueDepths()) this.set({ queue, state }, count);
      },
    });
  }
}
