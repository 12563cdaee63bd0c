import { GovflowError } from '../domain/errors.js';
import type { AiSystemState } from '../workflows/ai-system/contract.js';
import { stateQuery, workflowIdFor } from '../workflows/contracts/common.js';
import type { ApiDeps } from './process-routes.js';

/** The state of a registered AI system that is not retired, or a refusal naming the body's field `path`. */
export async function runningSystem(deps: Pick<ApiDeps, 'temporal'>, key: string, path: string): Promise<AiSystemState> {
  const state = (await deps.temporal.workflow
    .getHandle(workflowIdFor('ai_system', key))
    .query(stateQuery)
    .catch(() => null)) as AiSystemState | null;
  if (!state) throw new GovflowError('ValidationError', `no AI system with key ${key} in the inventory`, [{ path, message: 'register it first (POST /ai-systems)' }]);
  if (state.outcome !== null) throw new GovflowError('ValidationError', `the AI system ${key} is retired`, [{ path, message: 'a retired system takes no new processes' }]);
  return state;
}
