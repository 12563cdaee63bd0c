import type { ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { sendProblem } from '../problem.js';
import { liveness, readiness } from '../schemas/responses.js';

const within = <T>(ms: number, p: Promise<T>) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

function verdict(result: PromiseSettledResult<unknown>): string {
  if (result.status === 'fulfilled') return 'ok';
  const err = result.reason as Error & { code?: string; cause?: { code?: string; message?: string } };
  const why = err.message?.split('\n')[0] || err.cause?.message || err.code || err.cause?.code || err.name || 'no answer';
  return `unreachable: ${why}`;
}

export function registerHealthRoutes(registry: RouteRegistry, deps: ApiDeps): void {
  registry.add({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process is up',
    tag: 'Operations',
    roles: 'public',
    response: liveness,
    handler: () => ({ status: 'ok' }),
  });

  registry.add({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: Temporal and the database answer (503 with the reason when not)',
    tag: 'Operations',
    roles: 'public',
    response: readiness,
    handler: async (_ctx, _req, res) => {
      const [temporal, database] = await Promise.allSettled([
        within(3000, deps.temporal.workflowService.getSystemInfo({})),
        within(3000, deps.db.$queryRaw`SELECT 1`),
      ]);
      const checks = { temporal: verdict(temporal), database: verdict(database) };
      if (temporal.status === 'fulfilled' && database.status === 'fulfilled') return { status: 'ready', checks };
      const failing = Object.entries(checks).filter(([, v]) => v !== 'ok').map(([k, v]) => `${k} ${v}`);
      sendProblem(res, 503, 'Unavailable', `not ready: ${failing.join('; ')}`);
      return undefined;
    },
  });
}
