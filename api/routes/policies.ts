import { z } from 'zod';
import { GovflowError } from '../../domain/errors.js';
import { safeString } from '../../domain/text.js';
import { accessFor, PERMISSION_SCOPES } from '../../domain/policy/access.js';
import { impactMarkdown } from '../../domain/policy/impact-markdown.js';
import { defaultPolicyDir, loadPolicySetFromFiles, PolicyValidationError } from '../../domain/policy/load.js';
import type { PolicySet } from '../../domain/policy/types.js';
import { impactOnRecord } from '../policy-impact.js';
import type { ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { impactReport, policyIndex, policyVersion, rolesTable } from '../schemas/responses.js';

const impactBody = z
  .object({
    files: z
      .record(safeString(), safeString())
      .describe('The draft: policy file contents by path (e.g. "catalogues/eu-ai-act.yaml"); files not given are the server\'s current ones'),
    asOf: z.iso.date({ error: 'expected a calendar date YYYY-MM-DD' }).optional().describe('Date the draft\'s law is applied as of (default today)'),
  })
  .strict();

const impactQuery = z
  .object({ format: z.enum(['json', 'markdown']).optional().describe('markdown: the report for the committee to read (as with Accept: text/markdown)') })
  .strict();

/** Who may see what a policy change would do to the record (it reads every evaluation and process). */
const IMPACT_ROLES = ['committee_chair', 'committee_member', 'chief_technology_officer'];

export function registerPolicyRoutes(registry: RouteRegistry, { policies, db, config }: ApiDeps): void {
  registry.add({
    method: 'get',
    path: '/policies',
    summary: 'The policy set new processes pin now, and every version a process has pinned',
    tag: 'Policies',
    roles: [],
    response: policyIndex,
    handler: async () => ({ current: policies.current, pinnedVersions: await policies.versions() }),
  });

  registry.add({
    method: 'get',
    path: '/policies/current/roles',
    summary: 'The roles of the current policy, who may start each process and take each action, and the segregation of duties',
    tag: 'Policies',
    roles: [],
    response: rolesTable,
    handler: () => {
      const p = policies.current;
      return {
        policyVersion: p.version.id,
        roles: p.roles,
        permissions: Object.fromEntries(PERMISSION_SCOPES.map((scope) => [scope, accessFor(p, scope).permissions])),
        segregationOfDuties: p.access.segregationOfDuties,
        agents: p.access.agents,
      };
    },
  });

  registry.add({
    method: 'get',
    path: '/policies/:version',
    summary: 'A policy set by version ID (e.g. 1.0.0+3f2a9c1b7d4e), as pinned by processes',
    tag: 'Policies',
    roles: [],
    response: policyVersion,
    handler: async ({ params }) => {
      const set = await policies.get(params.version!);
      if (!set) throw new GovflowError('NotFound', `no policy version ${params.version}`);
      return set;
    },
  });

  registry.add({
    method: 'post',
    path: '/policies/impact',
    summary: 'What a draft policy set would change: every stored evaluation and review re-run under it (changes nothing)',
    description: 'JSON, or Markdown for the governance committee with `?format=markdown` or `Accept: text/markdown` (e.g. as the summary of the committee item that approves the change).',
    tag: 'Policies',
    roles: IMPACT_ROLES,
    body: impactBody,
    query: impactQuery,
    response: impactReport,
    handler: async ({ body, query }, req, res) => {
      let draft: PolicySet;
      try {
        draft = await loadPolicySetFromFiles(body.files, config.POLICY_DIR ?? defaultPolicyDir());
      } catch (err) {
        if (!(err instanceof PolicyValidationError)) throw err;
        throw new GovflowError('PolicyError', 'the draft policy set is invalid', err.issues.map((i) => ({ path: `files.${i.file.replace(/^draft\//, '')}${i.path ? `: ${i.path}` : ''}`, message: i.message })));
      }
      const report = await impactOnRecord(db, policies, draft, body.asOf ?? new Date().toISOString().slice(0, 10));
      const markdown = query.format ? query.format === 'markdown' : req.accepts(['application/json', 'text/markdown']) === 'text/markdown';
      if (!markdown) return report;
      res.type('text/markdown; charset=utf-8').send(impactMarkdown(report));
    },
  });
}
