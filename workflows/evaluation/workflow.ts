import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { AiComplianceResult } from '../../domain/engines/ai-compliance.js';
import { outcomeOf } from '../../domain/engines/outcome.js';
import type { EngineName } from '../../domain/engines/registry.js';
import { EVALUATIONS, type EvaluationInput, type EvaluationState } from './contract.js';
import { baseState, ProcessKernel } from '../kernel/process.js';

const { runEvaluation } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * A recorded evaluation: one engine run as an activity inside a short workflow, so the evaluation is durable,
 * audited (who asked, under which policy version, with what result) and visible in the Temporal UI.
 */
async function evaluate(engine: EngineName, input: EvaluationInput): Promise<EvaluationState> {
  const state: EvaluationState = {
    ...baseState(EVALUATIONS[engine].kind, input, 'evaluating'),
    engine,
    result: null,
  };
  const kernel = new ProcessKernel(state, {
    noun: 'evaluation',
    describe: (s) => `**${s.title}** — ${s.outcome ?? 'evaluating'} (${engine.replace(/_/g, ' ')})`,
    systemRisks: (s) => (engine === 'ai_compliance' && s.result ? (s.result as AiComplianceResult).gaps.map((g) => ({ key: g.item, title: `${g.item.replace(/_/g, ' ')}: ${g.gap}`, severity: g.severity })) : []),
  });
  const { rec } = kernel;
  kernel.start({ by: input.requester, action: 'evaluation_requested', details: { engine, input: input.input, ...(input.supersedes ? { supersedes: input.supersedes } : {}) }, role: undefined });
  try {
    state.result = await runEvaluation({ workflowId: state.workflowId, engine, subject: input.title, policyVersion: input.policyVersion, policy: input.policy, input: input.input });
    state.outcome = outcomeOf(state.result);
    rec.event('system', 'evaluated', { outcome: state.outcome });
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    state.outcome = 'invalid_input';
    rec.event('system', 'evaluation_refused', { reason: cause instanceof ApplicationFailure ? cause.message : String(err) });
    state.stage = 'closed';
    await kernel.tellAiSystem('closed', { outcome: state.outcome });
    await rec.close();
    throw cause instanceof ApplicationFailure ? cause : err;
  }
  state.stage = 'closed';
  if (engine === 'ai_compliance') state.riskTier = (state.result as AiComplianceResult).classification.tier;
  return kernel.finish();
}

export const technicalDecisionEvaluation = (input: EvaluationInput) => evaluate('technical_decision', input);
export const technologyProposalEvaluation = (input: EvaluationInput) => evaluate('technology_proposal', input);
export const strategicInitiativeEvaluation = (input: EvaluationInput) => evaluate('strategic_initiative', input);
export const performanceAssessmentEvaluation = (input: EvaluationInput) => evaluate('performance_assessment', input);
export const aiComplianceAssessment = (input: EvaluationInput) => evaluate('ai_compliance', input);
