import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Db } from '../platform/database.js';
import { recordProcessSnapshot, type ProcessSnapshot, type RecordResult } from './process-projection.js';
import { deliverPendingNotifications, outboxChannels } from './notifications.js';
import type { ChannelSettings } from './notification-channels.js';
import { classifyingDbErrors } from './db-errors.js';
import type { RecordStatus } from '../workflows/contracts/common.js';
import { runRecordedEvaluation, type EvaluationRequest } from './evaluations.js';
import { reportingActivities } from './reports.js';
import { storeRoadmapPackage } from './roadmap-package.js';
import { openAdrPullRequest, type GithubAdrTarget } from './adr-pull-request.js';
import { createMonitoringSchedules, deleteSchedules, type MonitoringSchedulesRequest } from './schedules.js';
import type { AdrPullRequestInput, AdrPullRequestResult } from '../workflows/adr-publication/contract.js';

export type { DecisionRecord, ProcessSnapshot, RecordResult } from './process-projection.js';

export interface ActivityDeps {
  db: Db;
  /** Where notifications go (webhook, SMTP, link base); without it they are recorded and reach no channel. */
  channels?: ChannelSettings;
  /** For activities that manage Temporal Schedules (reporting cadences); without it none are created. */
  temporal?: Client;
  /** Where ADR pull requests go (ADR_GITHUB_*); without it the activity refuses. */
  adrGithub?: GithubAdrTarget;
}

/** Activities close over their dependencies; workflows import only the type and call them via proxyActivities. */
export function createActivities(deps: ActivityDeps) {
  return {
    async recordProcess(snapshot: ProcessSnapshot): Promise<RecordResult> {
      // The run is recorded with each entry (and signed in its receipt); a continued-as-new process has several.
      const runId = Context.current().info.workflowExecution?.runId ?? null;
      return classifyingDbErrors(() => recordProcessSnapshot(deps.db, snapshot, runId, outboxChannels(deps.channels)));
    },
    async deliverNotifications(input: { workflowId: string }): Promise<{ delivered: number; failed: number }> {
      if (!deps.channels) return { delivered: 0, failed: 0 };
      const channels = deps.channels;
      return classifyingDbErrors(() => deliverPendingNotifications(deps.db, input.workflowId, channels));
    },
    /** Keeps a process's record status beside it in the database, for operators (GET /records). */
    async noteRecordStatus(input: { workflowId: string } & RecordStatus): Promise<void> {
      const row = { status: input.status, error: input.error ?? null, since: input.since ? new Date(input.since) : null };
      await deps.db.recordStatus.upsert({ where: { workflowId: input.workflowId }, create: { workflowId: input.workflowId, ...row }, update: row });
    },
    async runEvaluation(req: EvaluationRequest): Promise<unknown> {
      return runRecordedEvaluation(deps.db, req);
    },
    ...reportingActivities(deps),
    createMonitoringSchedules: (req: MonitoringSchedulesRequest) => createMonitoringSchedules(deps.temporal, req),
    deleteSchedules: (req: { scheduleIds: string[] }) => deleteSchedules(deps.temporal, req),
    storeRoadmapPackage: (pkg: Parameters<typeof storeRoadmapPackage>[1]) => storeRoadmapPackage(deps.db, pkg),
    async openAdrPullRequest(input: AdrPullRequestInput): Promise<AdrPullRequestResult> {
      if (!deps.adrGithub) throw ApplicationFailure.nonRetryable('this worker has no GitHub repository for ADRs (set ADR_GITHUB_REPO and ADR_GITHUB_TOKEN)', 'NotConfigured');
      return openAdrPullRequest(deps.adrGithub, input);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
