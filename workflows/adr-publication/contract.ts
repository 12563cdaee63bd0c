/** The ADR pull request: the files of one collection, proposed to a GitHub repository by the worker's activity. */
export interface AdrPullRequestInput {
  collection: { key: string; title: string };
  /** Each ADR's file name and Markdown (the activity adds govflow's mark, as `adr sync` does). */
  files: { fileName: string; workflowId: string; markdown: string }[];
  requestedBy: string;
}

export interface AdrPullRequestResult {
  repository: string;
  /** The open pull request with the changes; null when the base branch already has every file as govflow would write it. */
  pullRequest: { number: number; url: string } | null;
  branch: string | null;
  written: string[];
  unchanged: string[];
  /** Files a person edited on the base branch: left as they are. */
  kept: string[];
}

export const ADR_PULL_REQUEST_WORKFLOW = 'adrPullRequest';
