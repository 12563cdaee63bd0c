import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import type { Request } from 'express';
import { z } from 'zod';
import { ADR_KINDS } from '../../domain/adr/kinds.js';
import { renderMadr } from '../../domain/adr/madr.js';
import { GovflowError } from '../../domain/errors.js';
import type { TechnologyProposalResult } from '../../domain/engines/technology-proposal.js';
import { buildTechRadar, type RadarMove } from '../../domain/radar/tech-radar.js';
import { workflowIdFor } from '../../workflows/contracts/common.js';
import { EVALUATIONS } from '../../workflows/evaluation/contract.js';
import { ADR_PATHS, collectAdrs, collectionOf } from '../decision-records.js';
import type { ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { safeString } from '../schemas/common.js';
import { processHref } from '../../web/links.js';
import { adrList, adrPullRequest, techRadar } from '../schemas/responses.js';
import { ADR_PULL_REQUEST_WORKFLOW, type AdrPullRequestInput, type AdrPullRequestResult } from '../../workflows/adr-publication/contract.js';
import { actorOf } from '../auth.js';

/** Links in an ADR or on the radar point back at this API as the caller reached it (they are read outside govflow). */
const originOf = (req: Request) => `${req.protocol}://${req.get('host')}`;

/** The radar as Backstage's tech-radar plugin loads it, from the audit log's decided technology proposals. */
async function techRadarOf(deps: ApiDeps, origin: string) {
  const { kind } = EVALUATIONS.technology_proposal;
  const decided = await deps.db.auditEntry.findMany({ where: { action: 'evaluated', workflowId: { startsWith: `${workflowIdFor(kind, '')}` } }, orderBy: { seq: 'asc' } });
  const evaluations = await deps.db.evaluation.findMany({ where: { workflowId: { in: decided.map((d) => d.workflowId!) } } });
  const moves: RadarMove[] = [];
  for (const entry of decided) {
    const evaluation = evaluations.find((e) => e.workflowId === entry.workflowId);
    if (!evaluation) continue;
    const result = evaluation.result as unknown as TechnologyProposalResult;
    const key = entry.workflowId!.slice(workflowIdFor(kind, '').length);
    moves.push({
      technology: result.technology,
      category: result.category,
      ring: result.radar.ring,
      at: entry.occurredAt,
      description: `${result.decision.replace(/_/g, ' ')} (score ${result.total}): ${evaluation.subject} [${key}]`,
      links: [
        { url: `${origin}${ADR_PATHS[kind]}/${encodeURIComponent(key)}/adr`, title: `Decision record ${key}` },
        { url: `${origin}/audit/receipts/${encodeURIComponent(entry.eventKey)}`, title: 'Decision receipt' },
        { url: `${origin}${processHref(entry.workflowId!)}`, title: 'In govflow' },
      ],
    });
  }
  return buildTechRadar(deps.policies.current.decisionRecords.techRadar, moves);
}

export function registerDecisionRecordRoutes(registry: RouteRegistry, deps: ApiDeps): void {
  const collections = deps.policies.current.decisionRecords.adr.collections;
  for (const kind of ADR_KINDS) {
    const label = kind.replace(/_/g, ' ');
    registry.add({
      method: 'get',
      path: `${ADR_PATHS[kind]}/:key/adr`,
      summary: `The closed ${label}'s architecture decision record (MADR 4)`,
      description: 'Numbered within its ADR collection (decision-records.yaml); 404 while the process is open or when it closed without a decision (withdrawn, SLA breached).',
      tag: 'Decision records',
      roles: [],
      produces: { mediaType: 'text/markdown', description: 'The ADR in MADR 4, with the header list Log4brains reads' },
      handler: async ({ params }, req, res) => {
        const workflowId = workflowIdFor(kind, params.key!);
        const adrs = await collectAdrs(deps, collectionOf(deps.policies.current, kind).key, originOf(req));
        const adr = adrs.find((a) => a.workflowId === workflowId);
        if (!adr) throw new GovflowError('NotFound', `no decision record for ${label} ${params.key}: it is open, unknown, or closed without a decision`);
        res.status(200).type('text/markdown; charset=utf-8').send(renderMadr(adr));
      },
    });
  }

  registry.add({
    method: 'get',
    path: '/adrs',
    summary: 'Every ADR of a collection, with its file name and Markdown (what `govflow adr sync` writes)',
    tag: 'Decision records',
    roles: [],
    query: z.object({ collection: safeString().max(100).default(collections[0]!.key).describe(`ADR collection (decision-records.yaml), default ${collections[0]!.key}`) }).strict(),
    response: adrList,
    handler: async ({ query }, req) => {
      const origin = originOf(req);
      const adrs = await collectAdrs(deps, query.collection, origin);
      return {
        collection: adrs[0]?.collection ?? { key: query.collection, title: collections.find((c) => c.key === query.collection)!.title },
        items: adrs.map((a) => ({
          number: a.number,
          fileName: a.fileName,
          title: a.title,
          status: a.supersededBy ? `superseded by ${a.supersededBy.fileName.replace(/\.md$/, '')}` : a.status,
          workflowId: a.workflowId,
          href: `${ADR_PATHS[a.kind]}/${encodeURIComponent(a.businessKey)}/adr`,
          markdown: renderMadr(a),
        })),
      };
    },
  });

  registry.add({
    method: 'post',
    path: '/adrs/pull-requests',
    summary: "Propose the collection's ADR files to the configured GitHub repository, as one pull request",
    description:
      'A short workflow whose activity (in the worker, with ADR_GITHUB_TOKEN) compares the files on the base branch, pushes the new and changed ones to a branch named after its content and opens a pull request, or finds the one a same proposal opened. Files a person edited are kept. 409 when no repository is configured (ADR_GITHUB_REPO); 503 when GitHub refused or stayed away.',
    tag: 'Decision records',
    roles: [],
    body: z.object({ collection: safeString().max(100).optional().describe(`ADR collection, default ${collections[0]!.key}`) }).strict(),
    response: adrPullRequest,
    status: 201,
    idempotent: true,
    handler: async ({ body }, req, res): Promise<AdrPullRequestResult> => {
      if (!deps.config.ADR_GITHUB_REPO) throw new GovflowError('Conflict', 'no GitHub repository is configured for ADRs (ADR_GITHUB_REPO)');
      const key = body.collection ?? collections[0]!.key;
      const adrs = await collectAdrs(deps, key, originOf(req));
      const collection = collections.find((c) => c.key === key)!;
      const input: AdrPullRequestInput = {
        collection: { key, title: collection.title },
        files: adrs.map((a) => ({ fileName: a.fileName, workflowId: a.workflowId, markdown: renderMadr(a) })),
        requestedBy: actorOf(res).id,
      };
      try {
        return await deps.temporal.workflow.execute(ADR_PULL_REQUEST_WORKFLOW, { taskQueue: deps.config.TEMPORAL_TASK_QUEUE, workflowId: `adr-pull-request/${key}-${randomUUID()}`, args: [input] });
      } catch (err) {
        if (!(err instanceof WorkflowFailedError)) throw err;
        // The activity's failure (GitHub's answer) is the cause of the activity failure that failed the workflow.
        const cause = (err.cause?.cause ?? err.cause) as Error | undefined;
        throw new GovflowError('Unavailable', `the ADR pull request could not be opened: ${cause?.message ?? err.message}`);
      }
    },
  });

  registry.add({
    method: 'get',
    path: '/tech-radar',
    summary: "The technology radar in Backstage's TechRadarLoaderResponse format",
    description: 'Rings and quadrants from decision-records.yaml; each decided technology proposal moves its entry (timeline newest first, as Backstage reads it).',
    tag: 'Decision records',
    roles: [],
    response: techRadar,
    handler: async (_ctx, req) => techRadarOf(deps, originOf(req)),
  });
}
