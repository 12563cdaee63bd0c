import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { GovflowError } from '../../domain/errors.js';
import { recordRetrySignal } from '../../workflows/contracts/common.js';
import type { ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { safeString } from '../schemas/common.js';
import { recordList, recordRetry } from '../schemas/responses.js';

const recordsQuery = z
  .object({
    status: z.enum(['failed', 'ok']).default('failed').describe('failed: records waiting for an operator; ok: those that caught up after a failure'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

const retryBody = z.object({ workflowId: safeString().trim().min(1, 'required').max(300).describe('e.g. committee-approval/CA-7') }).strict();

/** Operators' view of process records that the database refused (see RecordStatus in workflows/contracts/common.ts). */
export function registerRecordRoutes(registry: RouteRegistry, { db, temporal }: ApiDeps): void {
  registry.add({
    method: 'get',
    path: '/records',
    summary: 'Processes whose record the database refused (bad data, a constraint), with the error',
    tag: 'Operations',
    roles: ['admin'],
    query: recordsQuery,
    response: recordList,
    handler: async ({ query }) => ({
      items: await db.recordStatus.findMany({ where: { status: query.status }, orderBy: { updatedAt: 'desc' }, take: query.limit }),
    }),
  });

  registry.add({
    method: 'post',
    path: '/records/retry',
    summary: 'Write a failed record again, after repairing its cause',
    tag: 'Operations',
    roles: ['admin'],
    body: retryBody,
    response: recordRetry,
    status: 202,
    notFound: true,
    handler: async ({ body }) => {
      try {
        await temporal.workflow.getHandle(body.workflowId).signal(recordRetrySignal);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new GovflowError('NotFound', `no running process ${body.workflowId}`);
        throw err;
      }
      return { workflowId: body.workflowId, retrying: true };
    },
  });
}
