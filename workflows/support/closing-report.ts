import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { ProcessStateBase } from '../contracts/common.js';
import type { ProcessRecorder } from '../kernel/process-recorder.js';

const { compileReport } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * The closing report of an engagement that has just ended, over its whole span, stored once (its ID derives from
 * the engagement). The record is flushed first, so the report reads the engagement as it ended.
 */
export async function storeClosingReport<S extends ProcessStateBase>(state: S, rec: ProcessRecorder<S>, startedAt: string): Promise<string> {
  await rec.flushed();
  const reason = [...state.events].reverse().find((e) => typeof e.details.outcome === 'string' && typeof e.details.reason === 'string')?.details.reason as string | undefined;
  const { id } = await compileReport({
    scheduleId: `closing:${state.workflowId}`,
    kind: 'closing_report',
    template: 'closing_report',
    scope: state.workflowId,
    periodStart: startedAt,
    periodEnd: new Date().toISOString(),
    closing: { outcome: state.outcome!, reason: reason ?? state.outcome! },
  });
  rec.event('system', 'closing_report_stored', { reportId: id });
  return id;
}
