import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../platform/database.js';

/**
 * Prometheus metrics of the API process: request counts and latencies by route template, plus Node's own, and the
 * notification outbox (read from the database at each scrape, so every worker's deliveries count).
 */
export function createApiMetrics(db?: Db) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'govflow_api_' });
  const requests = new Counter({ name: 'govflow_api_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const duration = new Histogram({
    name: 'govflow_api_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  if (db) {
    new Gauge({
      name: 'govflow_notification_deliveries',
      help: 'Notification deliveries by channel and status (pending includes those waiting to be retried)',
      labelNames: ['channel', 'status'],
      registers: [registry],
      async collect() {
        this.reset();
        const rows = await db.notificationDelivery.groupBy({ by: ['channel', 'status'], _count: { _all: true } });
        for (const r of rows) this.set({ channel: r.channel, status: r.status }, r._count._all);
      },
    });
    new Gauge({
      name: 'govflow_notification_deliveries_retrying',
      help: 'Pending deliveries that have failed at least once, by channel',
      labelNames: ['channel'],
      registers: [registry],
      async collect() {
        this.reset();
        const rows = await db.notificationDelivery.groupBy({ by: ['channel'], where: { status: 'pending', attempts: { gt: 0 } }, _count: { _all: true } });
        for (const r of rows) this.set({ channel: r.channel }, r._count._all);
      },
    });
  }

  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // The route template, never the raw URL: business keys must not explode label cardinality.
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      end({ method: req.method, route });
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  const handler: RequestHandler = async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };
  return { middleware, handler };
}
