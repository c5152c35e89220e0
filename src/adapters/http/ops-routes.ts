// The routes an operator's load balancer and monitoring read: GET /readyz (200 when every
// readiness check passes, else 503 with the failing check's reason code) and GET /metrics (the
// Prometheus text format). GET /healthz, "the process is up", is answered by the server itself.
import type { Metrics } from '../metrics/metrics.js';
import type { Readiness } from './readiness.js';
import type { Route } from './server.js';

export function opsRoutes(readiness: Readiness, metrics: Metrics): Route[] {
  return [
    {
      method: 'GET',
      path: '/readyz',
      handler: async (_req, res) => {
        const status = await readiness.status();
        res
          .writeHead(status.ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' })
          .end(JSON.stringify(status));
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: async (_req, res) => {
        const body = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' }).end(body);
      },
    },
  ];
}
