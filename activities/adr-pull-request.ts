import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { adrFileState, markedAdrFile } from '../domain/adr/file-mark.js';
import type { AdrPullRequestInput, AdrPullRequestResult } from '../workflows/adr-publication/contract.js';

/** Where ADRs are proposed: a GitHub repository (or GitHub Enterprise's API), its base branch and ADR folder. */
export interface GithubAdrTarget {
  apiUrl: string;
  /** owner/name */
  repo: string;
  token: string;
  baseBranch: string;
  dir: string;
}

/**
 * Opens (or finds) one pull request that brings the collection's ADR files onto the base branch, through the GitHub
 * REST API's refs, contents and pulls endpoints. The branch is named after the content it proposes, so a retried or
 * repeated run with the same decisions finds its own branch and pull request instead of opening another. A file a
 * person edited on the base branch is kept (as `adr sync` keeps it).
 */
export async function openAdrPullRequest(target: GithubAdrTarget, input: AdrPullRequestInput): Promise<AdrPullRequestResult> {
  const gh = github(target);
  const repo = `/repos/${target.repo}`;
  const base = (await gh<{ object: { sha: string } }>('GET', `${repo}/git/ref/heads/${target.baseBranch}`))!.object.sha;
  const planned: { path: string; content: string; fileName: string }[] = [];
  const result: AdrPullRequestResult = { repository: target.repo, pullRequest: null, branch: null, written: [], unchanged: [], kept: [] };
  for (const adr of input.files) {
    const path = `${target.dir.replace(/\/+$/, '')}/${adr.fileName}`;
    const content = markedAdrFile(adr.markdown, adr.workflowId);
    const state = adrFileState((await fileAt(gh, repo, path, target.baseBranch))?.text ?? null, content);
    if (state === 'same') result.unchanged.push(adr.fileName);
    else if (state === 'edited') result.kept.push(adr.fileName);
    else planned.push({ path, content, fileName: adr.fileName });
  }
  if (planned.length === 0) return result;

  const branch = `govflow/adrs-${createHash('sha256').update(planned.map((p) => `${p.path}\n${p.content}`).join('\n')).digest('hex').slice(0, 12)}`;
  // 422: the branch exists (an earlier attempt of this run, or the same proposal made before).
  await gh('POST', `${repo}/git/refs`, { ref: `refs/heads/${branch}`, sha: base }, [422]);
  for (const p of planned) {
    const onBranch = await fileAt(gh, repo, p.path, branch);
    if (onBranch?.text !== p.content) {
      await gh('PUT', `${repo}/contents/${encodePath(p.path)}`, {
        message: `ADR ${p.fileName} (govflow)`,
        content: Buffer.from(p.content, 'utf8').toString('base64'),
        branch,
        ...(onBranch ? { sha: onBranch.sha } : {}),
      });
    }
    result.written.push(p.fileName);
  }
  const owner = target.repo.split('/')[0]!;
  const open = (await gh<{ number: number; html_url: string }[]>('GET', `${repo}/pulls?state=open&head=${encodeURIComponent(`${owner}:${branch}`)}`))!;
  const pr =
    open[0] ??
    (await gh<{ number: number; html_url: string }>('POST', `${repo}/pulls`, {
      title: `${input.collection.title}: ${planned.length} decision record${planned.length === 1 ? '' : 's'} from govflow`,
      head: branch,
      base: target.baseBranch,
      body: [
        `Architecture decision records of the collection \`${input.collection.key}\`, as govflow recorded the decisions (requested by ${input.requestedBy}).`,
        '',
        ...planned.map((p) => `- \`${p.path}\``),
        ...(result.kept.length ? ['', `Left as a person edited them: ${result.kept.map((k) => `\`${k}\``).join(', ')}.`] : []),
      ].join('\n'),
    }))!;
  return { ...result, branch, pullRequest: { number: pr.number, url: pr.html_url } };
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

async function fileAt(gh: Github, repo: string, path: string, ref: string): Promise<{ sha: string; text: string } | null> {
  const file = await gh<{ sha: string; content: string }>('GET', `${repo}/contents/${encodePath(path)}?ref=${encodeURIComponent(ref)}`, undefined, [404]);
  return file ? { sha: file.sha, text: Buffer.from(file.content, 'base64').toString('utf8') } : null;
}

type Github = <T = unknown>(method: string, path: string, body?: unknown, tolerated?: number[]) => Promise<T | null>;

/** A GitHub REST call: tolerated statuses answer null; 408, 429 and 5xx are retried by Temporal; other refusals are final. */
function github(target: GithubAdrTarget): Github {
  return async <T>(method: string, path: string, body?: unknown, tolerated: number[] = []) => {
    const res = await fetch(`${target.apiUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${target.token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'govflow',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    if (tolerated.includes(res.status)) return null;
    const text = await res.text();
    if (res.ok) return JSON.parse(text) as T;
    const message = `GitHub answered ${res.status} to ${method} ${path.split('?')[0]}: ${text.slice(0, 300)}`;
    if (res.status === 408 || res.status === 429 || res.status >= 500) throw new Error(message);
    throw ApplicationFailure.nonRetryable(message, 'GithubRefused');
  };
}
