import { z } from 'zod';
import {
  aiComplianceInputSchema,
  decisionMatrixInputSchema,
  performanceAssessmentInputSchema,
  strategicInitiativeInputSchema,
  technologyProposalInputSchema,
} from '../../domain/engines/inputs.js';
import { ENGINES, runEngine, withAsOf, type EngineName } from '../../domain/engines/registry.js';
import { EVALUATIONS, type EvaluationInput } from '../../workflows/evaluation/contract.js';
import { ADR_KINDS } from '../../domain/adr/kinds.js';
import { requireSupersedable } from '../decision-records.js';
import { registerProcessRoutes, type ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { aiSystemRef } from '../schemas/ai-system.js';
import { businessKey, text } from '../schemas/common.js';

const INPUTS: Record<EngineName, z.ZodType> = {
  technical_decision: decisionMatrixInputSchema,
  technology_proposal: technologyProposalInputSchema,
  strategic_initiative: strategicInitiativeInputSchema,
  performance_assessment: performanceAssessmentInputSchema,
  ai_compliance: aiComplianceInputSchema,
};

/** `POST /evaluations/<engine>`: each engine as a recorded evaluation, answered with its explained result. */
export function registerEvaluationRoutes(registry: RouteRegistry, deps: ApiDeps): void {
  for (const engine of Object.keys(ENGINES) as EngineName[]) {
    const { kind, workflowType, path } = EVALUATIONS[engine];
    // Engines whose decisions become ADRs may name the earlier decision they replace.
    const adrKind = ADR_KINDS.find((k) => k === kind);
    const supersedes = adrKind
      ? { supersedes: businessKey.optional().describe(`Business key of an earlier, decided evaluation of this kind that this one replaces: its ADR becomes "superseded by" this one once this one is accepted`) }
      : {};
    registerProcessRoutes(registry, deps, {
      kind,
      path: `/evaluations/${path}`,
      tag: 'Evaluations',
      workflowType,
      startBody: z.object({ businessKey, title: text(300), input: INPUTS[engine], ...supersedes, ...(engine === 'ai_compliance' ? { aiSystem: aiSystemRef } : {}) }).strict(),
      delegation: false,
      awaitResult: true,
      actions: [],
      buildInput: async (body, actor, policySet): Promise<EvaluationInput> => {
        const replaces = (body as { supersedes?: string }).supersedes;
        if (adrKind) await requireSupersedable(deps, adrKind, replaces);
        const policy = ENGINES[engine].policyOf(policySet);
        // A dry run refuses input the engine would refuse (e.g. a score off the policy's scale) with a 400,
        // before a durable process is started for it.
        runEngine(engine, withAsOf(engine, body.input, new Date().toISOString().slice(0, 10)), policy);
        const { aiSystem } = body as { aiSystem?: string };
        return { businessKey: body.businessKey, title: body.title, requester: actor, policyVersion: policySet.version.id, policy, input: body.input, ...(replaces ? { supersedes: replaces } : {}), ...(aiSystem ? { aiSystem } : {}) };
      },
    });
  }
}
