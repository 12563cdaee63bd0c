import { ApplicationFailure, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { AiComplianceResult } from '../domain/engines/ai-compliance.js';
import { outcomeOf } from '../domain/engines/outcome.js';
import type { EngineName } from '../domain/engines/registry.js';
import { stateQuery } from './contracts/common.js';
import { EVALUATIONS, type EvaluationInput, type EvaluationState } from './contracts/evaluation.js';
import { ProcessRecorder } from './support/process-recorder.js';

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
    workflowId: workflowInfo().workflowId,
    kind: EVALUATIONS[engine].kind,
    businessKey: input.businessKey,
    title: input.title,
    requester: input.requester.id,
    policyVersion: input.policyVersion,
    stage: 'evaluating',
    outcome: null,
    pendingRoles: [],
    slaDueAt: null,
    events: [],
    notices: [],
    engine,
    result: null,
  };
  const rec = new ProcessRecorder(state, (s) => `**${s.title}** — ${s.outcome ?? 'evaluating'} (${engine.replace(/_/g, ' ')})`);
  setHandler(stateQuery, () => state);
  rec.start();
  rec.event(input.requester, 'evaluation_requested', { engine, input: input.input });
  try {
    state.result = await runEvaluation({ workflowId: state.workflowId, engine, subject: input.title, policyVersion: input.policyVersion, policy: input.policy, input: input.input });
    state.outcome = outcomeOf(state.result);
    rec.event('system', 'evaluated', { outcome: state.outcome });
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    state.outcome = 'invalid_input';
    rec.event('system', 'evaluation_refused', { reason: cause instanceof ApplicationFailure ? cause.message : String(err) });
    state.stage = 'closed';
    await rec.close();
    throw cause instanceof ApplicationFailure ? cause : err;
  }
  state.stage = 'closed';
  if (engine === 'ai_compliance') state.riskTier = (state.result as AiComplianceResult).classification.tier;
  await rec.close();
  return state;
}

export const technicalDecisionEvaluation = (input: EvaluationInput) => evaluate('technical_decision', input);
export const technologyProposalEvaluation = (input: EvaluationInput) => evaluate('technology_proposal', input);
export const strategicInitiativeEvaluation = (input: EvaluationInput) => evaluate('strategic_initiative', input);
export const performanceAssessmentEvaluation = (input: EvaluationInput) => evaluate('performance_assessment', input);
export const aiComplianceAssessment = (input: EvaluationInput) => evaluate('ai_compliance', input);
