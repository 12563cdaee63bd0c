import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { AdrPullRequestInput, AdrPullRequestResult } from './contract.js';

// GitHub being away is retried for a few minutes (the caller waits for the answer); its refusals are not retried.
const { openAdrPullRequest } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 6 },
});

/** Proposes the ADR files of a collection to the configured GitHub repository as one pull request (durable, retried). */
export async function adrPullRequest(input: AdrPullRequestInput): Promise<AdrPullRequestResult> {
  return openAdrPullRequest(input);
}
