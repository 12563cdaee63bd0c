/**
 * govflow: the operators' and reviewers' command line, over the HTTP API.
 *   GOVFLOW_URL   API base URL (default http://127.0.0.1:3000)
 *   GOVFLOW_TOKEN bearer token (default: the local admin token in $DATA_DIR/admin-token written by `npm start`)
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { COMMITTEE_SUMMARY_MAX } from '../api/schemas/committee-approval.js';
import type { ImpactReport } from '../domain/policy/impact.js';
import { impactMarkdown } from '../domain/policy/impact-markdown.js';
import { POLICY_FILES } from '../domain/policy/schema.js';

const USAGE = `usage: npm run govflow -- <command>
  principal create <id> --roles r1,r2 [--name "Full Name"] [--kind person|agent]   create a principal (roles: govflow roles); prints it with its token
  principal list | principal deactivate <id> | principal reactivate <id>          offboarding: a deactivated principal's tokens are refused at once
  token create <id> [--label L]                                                   issue another token
      (--print-token on either: print the bare token, e.g. RITA=$(npm run -s govflow -- principal create rita --roles requester --print-token))
  login-link <id>                                                                 a one-time web sign-in link (15 minutes) for a principal
  token list <id> | token revoke <id> <tokenId>                                   a principal's tokens (never the secret) | revoke one
  roles                                                                           the roles of the current policy, and who may start each process
  inbox                                                                           what waits on me
  start <process-path> --file body.json                                           e.g. start architecture-reviews --file review.json
  show <process-path> <key>                                                       full state of a process
  vote architecture-reviews <key> --role R (--approve-all | --rulings c1=v,c2=v) [--justification T] [--conditions "a;b"]
  act <process-path> <key> <action> --file body.json                              any other action (resubmit, withdraw, delegate, ...)
  audit verify | audit export                                                     check the hash chain | JSON Lines to stdout
  policy impact --dir <draft> [--as-of YYYY-MM-DD] [--format json|markdown]        what the draft policy folder would change in the record;
        [--committee <businessKey> --title T]                                     exits 1 when a flagged change appears (for a policy repository's CI);
                                                                                  --committee starts the committee item that approves the change,
                                                                                  with the report (Markdown) as its papers
  record list | record retry <workflowId>                                         records the database refused | write one again after repairing the cause`;

const base = (process.env.GOVFLOW_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');

function token(): string {
  if (process.env.GOVFLOW_TOKEN) return process.env.GOVFLOW_TOKEN;
  try {
    return readFileSync(path.resolve(process.env.DATA_DIR ?? '.data', 'admin-token'), 'utf8').trim();
  } catch {
    fail('set GOVFLOW_TOKEN (or run `npm start`, which writes the local admin token to .data/admin-token)');
  }
}

function fail(message: string): never {
  process.stderr.write(`govflow: ${message}\n`);
  process.exit(2);
}

async function call(method: string, p: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${base}${p}`, {
      method,
      headers: { authorization: `Bearer ${token()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    fail(`cannot reach the API at ${base} (${(err as Error).message}); is it running?`);
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = text;
    try {
      const problem = JSON.parse(text) as { detail?: string; errors?: { path: string; message: string }[] };
      detail = [problem.detail, ...(problem.errors ?? []).map((e) => `  ${e.path}: ${e.message}`)].filter(Boolean).join('\n');
    } catch {
      /* not a problem document */
    }
    fail(`${res.status} ${detail}`);
  }
  return res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
}

const readJson = (file: string | undefined) => (file ? JSON.parse(readFileSync(file, 'utf8')) : fail('--file is required'));
const print = (value: unknown) => process.stdout.write(typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
const printIssued = (issued: unknown) => (values['print-token'] ? print(`${(issued as { token: string }).token}\n`) : print(issued));

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    roles: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' }, label: { type: 'string' }, file: { type: 'string' },
    dir: { type: 'string' }, 'as-of': { type: 'string' }, format: { type: 'string' }, committee: { type: 'string' }, title: { type: 'string' },
    'print-token': { type: 'boolean' }, role: { type: 'string' }, rulings: { type: 'string' }, 'approve-all': { type: 'boolean' }, justification: { type: 'string' }, conditions: { type: 'string' },
  },
});
const [cmd, sub, a, b] = positionals;

switch (`${cmd ?? ''} ${cmd === 'principal' || cmd === 'token' || cmd === 'audit' || cmd === 'record' ? (sub ?? '') : ''}`.trim()) {
  case 'principal create':
    if (!a || !values.roles) fail(USAGE);
    printIssued(await call('POST', '/principals', { id: a, roles: values.roles.split(','), ...(values.name ? { name: values.name } : {}), ...(values.kind ? { kind: values.kind } : {}) }));
    break;
  case 'principal list':
    print(await call('GET', '/principals'));
    break;
  case 'principal deactivate':
  case 'principal reactivate':
    if (!a) fail(USAGE);
    print(await call('POST', `/principals/${encodeURIComponent(a)}/${sub}`, {}));
    break;
  case 'token list':
    if (!a) fail(USAGE);
    print(await call('GET', `/principals/${encodeURIComponent(a)}/tokens`));
    break;
  case 'token revoke':
    if (!a || !b) fail(USAGE);
    print(await call('POST', `/principals/${encodeURIComponent(a)}/tokens/${encodeURIComponent(b)}/revoke`, {}));
    break;
  case 'login-link': {
    if (!sub) fail(USAGE);
    const link = (await call('POST', `/principals/${encodeURIComponent(sub)}/login-links`, {})) as { path: string; expiresAt: string };
    print(`${base}${link.path}\n`);
    break;
  }
  case 'roles':
    print(await call('GET', '/policies/current/roles'));
    break;
  case 'token create':
    if (!a) fail(USAGE);
    printIssued(await call('POST', `/principals/${encodeURIComponent(a)}/tokens`, { ...(values.label ? { label: values.label } : {}) }));
    break;
  case 'inbox':
    print(await call('GET', '/inbox'));
    break;
  case 'start':
    if (!sub) fail(USAGE);
    print(await call('POST', `/${sub}`, readJson(values.file)));
    break;
  case 'show':
    if (!sub || !a) fail(USAGE);
    print(await call('GET', `/${sub}/${encodeURIComponent(a)}`));
    break;
  case 'vote': {
    if (!sub || !a || !values.role) fail(USAGE);
    let rulings: Record<string, string>;
    if (values['approve-all']) {
      const { current } = (await call('GET', '/policies')) as { current: { architectureReview: { approvalCriteria: string[] } } };
      rulings = Object.fromEntries(current.architectureReview.approvalCriteria.map((k) => [k, 'approve']));
    } else if (values.rulings) {
      rulings = Object.fromEntries(values.rulings.split(',').map((pair) => pair.split('=') as [string, string]));
    } else fail('give --approve-all or --rulings criterion=verdict,...');
    const conditions = values.conditions?.split(';').map((x) => x.trim()).filter(Boolean);
    print(await call('POST', `/${sub}/${encodeURIComponent(a)}/votes`, { role: values.role, rulings, ...(values.justification ? { justification: values.justification } : {}), ...(conditions ? { conditions } : {}) }));
    break;
  }
  case 'act':
    if (!sub || !a || !b) fail(USAGE);
    print(await call('POST', `/${sub}/${encodeURIComponent(a)}/${b}`, readJson(values.file)));
    break;
  case 'audit verify':
    print(await call('GET', '/audit/verify'));
    break;
  case 'audit export':
    print(await call('GET', '/audit/export'));
    break;
  case 'policy': {
    if (sub !== 'impact' || !values.dir) fail(USAGE);
    const dir = values.dir;
    const files = Object.fromEntries(Object.keys(POLICY_FILES).filter((f) => existsSync(path.join(dir, f))).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
    if (values.format && values.format !== 'json' && values.format !== 'markdown') fail('--format is json or markdown');
    if (values.committee && !values.title) fail('--committee needs --title: what the committee is asked to approve');
    const report = (await call('POST', '/policies/impact', { files, ...(values['as-of'] ? { asOf: values['as-of'] } : {}) })) as ImpactReport;
    print(values.format === 'markdown' ? impactMarkdown(report) : report);
    if (values.committee) {
      const item = (await call('POST', '/committee-approvals', { businessKey: values.committee, title: values.title, summary: impactMarkdown(report, COMMITTEE_SUMMARY_MAX) })) as { workflowId: string };
      process.stderr.write(`govflow: committee item ${item.workflowId} started with the impact report as its papers\n`);
    }
    if (report.flagged > 0) process.exitCode = 1;
    break;
  }
  case 'record list':
    print(await call('GET', '/records'));
    break;
  case 'record retry':
    if (!a) fail(USAGE);
    print(await call('POST', '/records/retry', { workflowId: a }));
    break;
  default:
    fail(USAGE);
}
