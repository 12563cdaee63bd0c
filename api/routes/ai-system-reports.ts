import { z } from 'zod';
import type { AiComplianceResult } from '../../domain/engines/ai-compliance.js';
import { aiPortfolio as buildPortfolio, type PortfolioSystem } from '../../domain/inventory/portfolio.js';
import { latestAssessment, soaMarkdown, statementOfApplicability as buildSoa, type AssessedResult, type InventorySystem, type SystemAssessment } from '../../domain/inventory/statement-of-applicability.js';
import { permittedRoles } from '../../domain/policy/access.js';
import type { EuAiActTier } from '../../domain/policy/types.js';
import type { AiSystemState } from '../../workflows/ai-system/contract.js';
import type { ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { safeString } from '../schemas/common.js';
import { aiPortfolio, statementOfApplicability } from '../schemas/ai-system-reports.js';

/** Kinds whose processes carry an AI compliance result: an assessment's own, an ethical review's recorded evaluation. */
const ASSESSING_KINDS = ['ai_compliance_assessment', 'ethical_review'] as const;

const soaQuery = z
  .object({
    format: z.enum(['json', 'markdown']).default('json').describe('markdown: the statement as a text/markdown document'),
    organisation: safeString().trim().min(1).max(200).optional().describe("The organisation's name, for the statement's header (default ORGANISATION_NAME)"),
  })
  .strict();

/** The projection of an AI system's state, as far as the reports read it (older records may lack a field). */
type StoredSystem = Partial<Pick<AiSystemState, 'owner' | 'links' | 'risks' | 'riskTier'>>;

/** Whether a stored result is an AI compliance result the statement can read (records of other engines, or none, are skipped). */
function complianceResult(value: unknown): AssessedResult | null {
  const r = value as Partial<AiComplianceResult> | null;
  if (!r || typeof r !== 'object' || r.engine !== 'ai_compliance') return null;
  if (typeof r.assessmentDate !== 'string' || !Array.isArray(r.requirements) || typeof r.classification?.tier !== 'string') return null;
  return r as AssessedResult;
}

export function registerAiSystemReportRoutes(registry: RouteRegistry, { db, policies, config }: ApiDeps): void {
  const readers = permittedRoles(policies.current, 'reports', 'read');

  const systemRows = () =>
    db.process.findMany({
      where: { kind: 'ai_system' },
      select: { workflowId: true, businessKey: true, title: true, stage: true, riskTier: true, state: true },
      orderBy: { businessKey: 'asc' },
    });

  registry.add({
    method: 'get',
    path: '/ai-systems/portfolio',
    summary: 'The AI portfolio: systems per risk tier and stage, overdue monitoring reviews and obligations, open incidents, one row per system',
    description: `Read from the record (the systems' projections). Readable by ${readers.join(', ')} (or admin), as the reports are.`,
    tag: 'AI systems',
    roles: readers,
    response: aiPortfolio,
    handler: async () => {
      const rows = await systemRows();
      const systems: PortfolioSystem[] = rows.map((row) => {
        const state = row.state as StoredSystem;
        return {
          key: row.businessKey,
          workflowId: row.workflowId,
          title: row.title,
          owner: state.owner ?? '',
          riskTier: row.riskTier ?? state.riskTier ?? null,
          stage: row.stage,
          links: (state.links ?? []).map((l) => ({ workflowId: l.workflowId, kind: l.kind, title: l.title, openedAt: l.openedAt, status: l.status, overdue: l.overdue })),
          openRisks: (state.risks ?? []).filter((r) => r.status === 'open').length,
        };
      });
      // A link knows it is overdue, not since when: the linked process's record has its deadline.
      const late = systems.flatMap((s) => s.links.filter((l) => l.status === 'open' && l.overdue).map((l) => l.workflowId));
      const due = new Map(
        late.length === 0
          ? []
          : (await db.process.findMany({ where: { workflowId: { in: late } }, select: { workflowId: true, slaDueAt: true } })).map((p) => [p.workflowId, p.slaDueAt?.toISOString() ?? null]),
      );
      for (const s of systems) for (const l of s.links) l.dueAt = due.get(l.workflowId) ?? null;
      const tiers = policies.current.catalogues.euAiAct.tiers.map((t) => t.tier);
      return buildPortfolio({ generatedAt: new Date().toISOString(), tiers, systems });
    },
  });

  registry.add({
    method: 'get',
    path: '/ai-systems/statement-of-applicability',
    summary: 'The ISO/IEC 42001 Statement of Applicability of the inventory: every Annex A control, applicable or not and why, its implementation and evidence',
    description:
      'Applicability comes from the compliance checklist (items mapped to Annex A controls, by tier) and the systems in the inventory (retired ones are out of scope); ' +
      "implementation and evidence from each system's latest AI compliance assessment (its own, or an ethical review's). " +
      `With \`format=markdown\` the answer is the same statement as a text/markdown document. Readable by ${readers.join(', ')} (or admin), as the reports are.`,
    tag: 'AI systems',
    roles: readers,
    query: soaQuery,
    response: statementOfApplicability,
    handler: async ({ query }, _req, res) => {
      const policy = policies.current;
      const rows = await systemRows();
      const keys = rows.map((r) => r.businessKey);
      const linked = rows.flatMap((r) => ((r.state as StoredSystem).links ?? []).filter((l) => (ASSESSING_KINDS as readonly string[]).includes(l.kind)).map((l) => l.workflowId));
      // A process about a system names it in its state and is linked from the system's record: either finds it.
      const processes =
        rows.length === 0
          ? []
          : await db.process.findMany({
              where: { kind: { in: [...ASSESSING_KINDS] }, OR: [{ workflowId: { in: linked } }, ...keys.map((key) => ({ state: { path: ['aiSystem'], equals: key } }))] },
              select: { workflowId: true, state: true, createdAt: true, completedAt: true },
            });
      const evaluations = new Map(
        processes.length === 0
          ? []
          : (await db.evaluation.findMany({ where: { engine: 'ai_compliance', workflowId: { in: processes.map((p) => p.workflowId) } }, select: { workflowId: true, result: true, createdAt: true } })).map((e) => [
              e.workflowId,
              e,
            ]),
      );
      const systemOf = new Map<string, string>();
      for (const r of rows) for (const l of (r.state as StoredSystem).links ?? []) systemOf.set(l.workflowId, r.businessKey);
      const bySystem = new Map<string, SystemAssessment[]>();
      for (const p of processes) {
        const state = p.state as { aiSystem?: string; result?: unknown };
        const system = state.aiSystem ?? systemOf.get(p.workflowId);
        const evaluation = evaluations.get(p.workflowId);
        // The assessment's state holds its result; an ethical review keeps only a summary, its full result is the recorded evaluation.
        const result = complianceResult(state.result) ?? complianceResult(evaluation?.result);
        if (!system || !result) continue;
        const recordedAt = (evaluation?.createdAt ?? p.completedAt ?? p.createdAt).toISOString();
        bySystem.set(system, [...(bySystem.get(system) ?? []), { workflowId: p.workflowId, recordedAt, result }]);
      }
      const systems: InventorySystem[] = rows.map((row) => ({
        key: row.businessKey,
        title: row.title,
        riskTier: (row.riskTier ?? (row.state as StoredSystem).riskTier ?? null) as EuAiActTier | null,
        stage: row.stage,
        assessment: latestAssessment(bySystem.get(row.businessKey) ?? []),
      }));
      const soa = buildSoa({
        organisation: query.organisation ?? config.ORGANISATION_NAME ?? null,
        generatedAt: new Date().toISOString(),
        policyVersion: policy.version.id,
        catalogue: policy.catalogues.iso42001,
        checklist: policy.complianceChecklist,
        systems,
      });
      if (query.format === 'json') return soa;
      res.status(200).type('text/markdown; charset=utf-8').send(soaMarkdown(soa));
      return undefined;
    },
  });
}
