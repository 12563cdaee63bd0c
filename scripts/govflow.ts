/**
 * govflow: the operators' and reviewers' command line, over the HTTP API.
 *   GOVFLOW_URL   API base URL (default http://127.0.0.1:3000)
 *   GOVFLOW_TOKEN bearer token (default: the local admin token in $DATA_DIR/admin-token written by `npm start`)
 * Every command takes --help; a usage error is one line on stderr and exit 2, as is a refusal by the API.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { COMMITTEE_SUMMARY_MAX } from '../api/schemas/committee-approval.js';
import type { ImpactReport } from '../domain/policy/impact.js';
import { impactMarkdown } from '../domain/policy/impact-markdown.js';
import { adrFileState, markedAdrFile } from '../domain/adr/file-mark.js';
import { POLICY_FILES } from '../domain/policy/schema.js';
import { verifyBundle } from '../domain/transparency/bundle.js';
import { bundleFolder } from '../platform/bundle-folder.js';

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
  // JSON documents are parsed and pretty-printed; JSON Lines (the audit export) pass through as they are.
  return /^application\/([\w.-]+\+)?json(;|$)/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text;
}


/** A path as the caller typed it: relative to where they ran `npm run` (npm itself runs us in the package root). */
const fromCaller = (p: unknown): string => path.resolve(process.env.INIT_CWD ?? process.cwd(), String(p));
const readJson = (file: unknown) => JSON.parse(readFileSync(fromCaller(file), 'utf8')) as unknown;
const print = (value: unknown): void => void process.stdout.write(typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
const segment = encodeURIComponent;
type Option = { type: 'string' | 'boolean'; help: string; required?: true };
type Values = Record<string, string | boolean | undefined>;
interface Command {
  /** Positional arguments after the command's words, e.g. `<id>`; `[x]` is optional. */
  args: string[];
  summary: string;
  options?: Record<string, Option>;
  run(args: string[], values: Values): Promise<void> | void;
}

const file: Record<string, Option> = { file: { type: 'string', help: 'the JSON body, e.g. review.json', required: true } };
const printToken: Option = { type: 'boolean', help: 'print the bare token only, e.g. RITA=$(npm run -s govflow -- principal create rita --roles requester --print-token)' };
const printIssued = (issued: unknown, values: Values): void => (values['print-token'] ? print(`${(issued as { token: string }).token}\n`) : print(issued));
const activation = (verb: 'deactivate' | 'reactivate'): Command => ({
  args: ['<id>'],
  summary: verb === 'deactivate' ? "offboarding: the principal's tokens are refused from the next request on" : 'its unrevoked tokens work again',
  run: async ([id]) => print(await call('POST', `/principals/${segment(id!)}/${verb}`, {})),
});
const get = (summary: string, apiPath: string): Command => ({ args: [], summary, run: async () => print(await call('GET', apiPath)) });

const COMMANDS: Record<string, Command> = {
  'principal create': {
    args: ['<id>'],
    summary: 'create a principal (roles: govflow roles); prints it with its token',
    options: {
      roles: { type: 'string', help: 'comma-separated roles, e.g. requester,technical_lead', required: true },
      name: { type: 'string', help: 'full name' },
      kind: { type: 'string', help: 'person (default) or agent' },
      'print-token': printToken,
    },
    run: async ([id], v) =>
      printIssued(await call('POST', '/principals', { id, roles: String(v.roles).split(','), ...(v.name ? { name: v.name } : {}), ...(v.kind ? { kind: v.kind } : {}) }), v),
  },
  'principal list': get('every principal and its roles', '/principals'),
  'principal deactivate': activation('deactivate'),
  'principal reactivate': activation('reactivate'),
  'token create': {
    args: ['<id>'],
    summary: 'issue another token for a principal',
    options: { label: { type: 'string', help: 'what the token is for, e.g. laptop' }, 'print-token': printToken },
    run: async ([id], v) => printIssued(await call('POST', `/principals/${segment(id!)}/tokens`, { ...(v.label ? { label: v.label } : {}) }), v),
  },
  'token list': { args: ['<id>'], summary: "a principal's tokens (never the secret)", run: async ([id]) => print(await call('GET', `/principals/${segment(id!)}/tokens`)) },
  'token revoke': {
    args: ['<id>', '<tokenId>'],
    summary: 'revoke one token',
    run: async ([id, tokenId]) => print(await call('POST', `/principals/${segment(id!)}/tokens/${segment(tokenId!)}/revoke`, {})),
  },
  'login-link': {
    args: ['<id>'],
    summary: 'a one-time web sign-in link (15 minutes) for a principal',
    run: async ([id]) => {
      const link = (await call('POST', `/principals/${segment(id!)}/login-links`, {})) as { path: string };
      print(`${base}${link.path}\n`);
    },
  },
  roles: get('the roles of the current policy, and who may start each process', '/policies/current/roles'),
  inbox: get('what waits on me', '/inbox'),
  start: {
    args: ['<process-path>'],
    summary: 'start a process, e.g. start architecture-reviews --file review.json',
    options: file,
    run: async ([process], v) => print(await call('POST', `/${process}`, readJson(v.file))),
  },
  show: { args: ['<process-path>', '<key>'], summary: 'full state of a process', run: async ([process, key]) => print(await call('GET', `/${process}/${segment(key!)}`)) },
  vote: {
    args: ['<process-path>', '<key>'],
    summary: "vote on an architecture review: a ruling on every approval criterion of the policy",
    options: {
      role: { type: 'string', help: 'the reviewer role you vote as', required: true },
      'approve-all': { type: 'boolean', help: 'approve every approval criterion' },
      rulings: { type: 'string', help: 'criterion=verdict pairs, e.g. security_assessment_approval=approve,scalability_validation=approve_with_conditions' },
      justification: { type: 'string', help: 'why (required with conditions or a rejection)' },
      conditions: { type: 'string', help: 'conditions separated by ";"' },
    },
    run: async ([process, key], v) => {
      let rulings: Record<string, string>;
      if (v['approve-all']) {
        const { current } = (await call('GET', '/policies')) as { current: { architectureReview: { approvalCriteria: string[] } } };
        rulings = Object.fromEntries(current.architectureReview.approvalCriteria.map((k) => [k, 'approve']));
      } else if (typeof v.rulings === 'string') {
        rulings = Object.fromEntries(v.rulings.split(',').map((pair) => pair.split('=') as [string, string]));
      } else fail('vote: give --approve-all or --rulings criterion=verdict,...');
      const conditions = typeof v.conditions === 'string' ? v.conditions.split(';').map((x) => x.trim()).filter(Boolean) : undefined;
      print(await call('POST', `/${process}/${segment(key!)}/votes`, { role: v.role, rulings, ...(v.justification ? { justification: v.justification } : {}), ...(conditions ? { conditions } : {}) }));
    },
  },
  act: {
    args: ['<process-path>', '<key>', '<action>'],
    summary: 'any other action (resubmit, withdraw, delegate, ...), e.g. act architecture-reviews ARCH-1 withdraw --file reason.json',
    options: file,
    run: async ([process, key, action], v) => print(await call('POST', `/${process}/${segment(key!)}/${action}`, readJson(v.file))),
  },
  'audit verify': get('check the audit log: every entry against its leaf hash, the tree against every signed tree head', '/audit/verify'),
  'audit public-key': {
    args: [],
    summary: "govflow's current public key (PEM), e.g. audit public-key > govflow.pem, to check bundles and receipts with",
    run: async () => {
      const { items } = (await call('GET', '/audit/keys')) as { items: { publicKey: string; retiredAt: string | null }[] };
      print(items.find((k) => k.retiredAt === null)!.publicKey);
    },
  },
  'audit bundle': {
    args: ['<out>'],
    summary: 'write an audit bundle (a folder) of a process or a period, that `verify` checks offline',
    options: {
      process: { type: 'string', help: 'a workflow ID, e.g. architecture-review/ARCH-2026-001 (with the processes it started or referred to)' },
      from: { type: 'string', help: 'entries at or after this date, e.g. 2026-11-01' },
      to: { type: 'string', help: 'entries before this date, e.g. 2026-12-01' },
    },
    run: async ([out], v) => {
      const root = fromCaller(out);
      if (existsSync(root) && readdirSync(root).length > 0) fail(`audit bundle: ${out} exists and is not empty; give a new folder`);
      const query = new URLSearchParams(Object.entries({ process: v.process, from: v.from, to: v.to }).filter((e): e is [string, string] => typeof e[1] === 'string'));
      const lines = String(await call('GET', `/audit/bundle${query.size ? `?${query}` : ''}`)).split('\n').filter(Boolean);
      for (const line of lines) {
        const file = JSON.parse(line) as { path: string; content: string };
        const target = path.resolve(root, file.path);
        if (!target.startsWith(`${root}${path.sep}`)) fail(`audit bundle: the server sent a file outside the bundle (${file.path}); nothing more was written`);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, Buffer.from(file.content, 'base64'));
      }
      const manifest = JSON.parse(readFileSync(path.join(root, 'manifest.json'), 'utf8')) as { treeHead: { treeSize: number } };
      process.stderr.write(`govflow: wrote ${lines.length} files to ${out} (proven against the signed tree head of size ${manifest.treeHead.treeSize})\n`);
      process.stderr.write(`govflow: check it with: npm run govflow -- verify ${out} --public-key govflow.pem\n`);
    },
  },
  verify: {
    args: ['<bundle>'],
    summary: 'check an audit bundle offline (no API needed): exit 0 when it verifies, 1 naming the first broken item',
    options: { 'public-key': { type: 'string', help: "govflow's public key (PEM file), obtained apart from the bundle: audit public-key > govflow.pem" } },
    run: ([dir], v) => {
      const root = fromCaller(dir);
      if (!existsSync(path.join(root, 'manifest.json'))) fail(`verify: ${dir} is not an audit bundle (no manifest.json)`);
      const result = verifyBundle(bundleFolder(root), typeof v['public-key'] === 'string' ? readFileSync(fromCaller(v['public-key']), 'utf8') : undefined);
      for (const w of result.warnings) process.stderr.write(`govflow: warning: ${w}\n`);
      if (!result.ok) {
        process.stderr.write(`govflow: the bundle does NOT verify: ${result.firstBroken!.item}: ${result.firstBroken!.reason}\n`);
        process.exitCode = 1;
        return;
      }
      const c = result.checked;
      print(`ok: ${c.entries} entries, ${c.proofs} inclusion proofs and ${c.receipts} receipts against the signed tree head of size ${result.treeHead!.treeSize} (${result.treeHead!.timestamp}); ${c.evidence} evidence files; ${c.files} file digests\n`);
    },
  },
  'audit export': get('the whole audit log as JSON Lines to stdout', '/audit/export'),
  'policy impact': {
    args: [],
    summary: "what a draft policy folder would change in the record; exits 1 when a flagged change appears (for a policy repository's CI)",
    options: {
      dir: { type: 'string', help: 'the draft policy folder', required: true },
      'as-of': { type: 'string', help: "date the draft's law is applied as of, YYYY-MM-DD (default today)" },
      format: { type: 'string', help: 'json (default) or markdown: the report for the governance committee to read' },
      committee: { type: 'string', help: 'start the committee item that approves the change, under this business key, with the report (Markdown) as its papers' },
      title: { type: 'string', help: 'with --committee: what the committee is asked to approve' },
    },
    run: async (_args, v) => {
      if (v.format !== undefined && v.format !== 'json' && v.format !== 'markdown') fail('--format is json or markdown');
      if (v.committee && !v.title) fail('--committee needs --title: what the committee is asked to approve');
      const dir = fromCaller(v.dir);
      const files = Object.fromEntries(Object.keys(POLICY_FILES).filter((f) => existsSync(path.join(dir, f))).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
      const report = (await call('POST', '/policies/impact', { files, ...(v['as-of'] ? { asOf: v['as-of'] } : {}) })) as ImpactReport;
      print(v.format === 'markdown' ? impactMarkdown(report) : report);
      if (v.committee) {
        const item = (await call('POST', '/committee-approvals', { businessKey: v.committee, title: v.title, summary: impactMarkdown(report, COMMITTEE_SUMMARY_MAX) })) as { workflowId: string };
        process.stderr.write(`govflow: committee item ${item.workflowId} started with the impact report as its papers\n`);
      }
      if (report.flagged > 0) process.exitCode = 1;
    },
  },
  'adr sync': {
    args: [],
    summary: "write the ADR collection's files into a repository folder (e.g. docs/adr); files a person edited are kept and named (exit 1)",
    options: {
      dir: { type: 'string', help: 'the ADR folder, e.g. ../my-repo/docs/adr (created if missing)', required: true },
      collection: { type: 'string', help: 'ADR collection of the policy (decision-records.yaml; default its first)' },
      force: { type: 'boolean', help: 'overwrite files edited by hand as well' },
    },
    run: async (_args, v) => {
      const dir = String(v.dir);
      const list = (await call('GET', `/adrs${v.collection ? `?collection=${segment(String(v.collection))}` : ''}`)) as { items: { fileName: string; workflowId: string; markdown: string }[] };
      mkdirSync(dir, { recursive: true });
      const kept: string[] = [];
      for (const adr of list.items) {
        const file = path.join(dir, adr.fileName);
        const content = markedAdrFile(adr.markdown, adr.workflowId);
        const state = adrFileState(existsSync(file) ? readFileSync(file, 'utf8') : null, content);
        let done: string;
        if (state === 'same') done = 'unchanged';
        else if (state === 'edited' && !v.force) {
          kept.push(adr.fileName);
          done = 'kept (edited by hand since govflow wrote it; --force overwrites)';
        } else {
          writeFileSync(file, content);
          done = state === 'absent' ? 'created' : 'updated';
        }
        print(`${done} ${file}\n`);
      }
      if (kept.length) {
        process.stderr.write(`govflow: ${kept.length} ADR file(s) kept because a person edited them: ${kept.join(', ')}\n`);
        process.exitCode = 1;
      }
    },
  },
  'adr pull-request': {
    args: [],
    summary: 'propose the ADR files to the configured GitHub repository as a pull request (ADR_GITHUB_REPO)',
    options: { collection: { type: 'string', help: 'ADR collection of the policy (default its first)' } },
    run: async (_args, v) => print(await call('POST', '/adrs/pull-requests', v.collection ? { collection: v.collection } : {})),
  },
  'record list': get('records the database refused', '/records'),
  'record retry': { args: ['<workflowId>'], summary: 'write a refused record again, after repairing the cause', run: async ([id]) => print(await call('POST', '/records/retry', { workflowId: id })) },
};

const flag = (o: string, opt: Option) => `--${o}${opt.type === 'string' ? ' <value>' : ''}`;
const synopsis = (name: string, c: Command) => [name, ...c.args, ...Object.entries(c.options ?? {}).map(([o, opt]) => (opt.required ? flag(o, opt) : `[${flag(o, opt)}]`))].join(' ');
const USAGE = [
  'usage: npm run govflow -- <command> [--help]',
  ...Object.entries(COMMANDS).map(([name, c]) => `  ${synopsis(name, c)}\n      ${c.summary}`),
  '',
  'GOVFLOW_URL: the API (default http://127.0.0.1:3000); GOVFLOW_TOKEN: your token (default: .data/admin-token of `npm start`)',
].join('\n');

function help(name: string, c: Command): string {
  const options = Object.entries({ ...c.options, help: { type: 'boolean', help: 'this help' } as Option }).map(([o, opt]) => `  ${flag(o, opt)}\n      ${opt.help}${opt.required ? ' (required)' : ''}`);
  return [`usage: npm run govflow -- ${synopsis(name, c)}`, `  ${c.summary}`, '', 'options:', ...options].join('\n');
}

/** The command named by the leading words of the arguments (two words first: `principal create`). */
function resolve(argv: string[]): [string, Command] | undefined {
  for (const name of [`${argv[0]} ${argv[1]}`, argv[0] ?? '']) {
    const command = COMMANDS[name];
    if (command) return [name, command];
  }
  return undefined;
}

// `govflow audit export | head`: a reader that stops early is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? 0 : 2));

const argv = process.argv.slice(2);
const wantsHelp = argv.includes('--help') || argv.includes('-h');
const found = resolve(argv);
if (!found) {
  if (wantsHelp && !argv.some((a) => !a.startsWith('-'))) {
    print(`${USAGE}\n`);
    process.exit(0);
  }
  fail(argv.length ? `unknown command "${argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')}"\n${USAGE}` : USAGE);
}
const [name, command] = found;
if (wantsHelp) {
  print(`${help(name, command)}\n`);
  process.exit(0);
}

let parsed: { values: Values; positionals: string[] };
try {
  parsed = parseArgs({ args: argv.slice(name.split(' ').length), allowPositionals: true, strict: true, options: command.options ?? {} });
} catch (err) {
  // node:util names the problem in a long sentence; one short line says what to do.
  const e = err as { code?: string; message: string };
  const option = /'(-[^' ]+)/.exec(e.message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') fail(`${name}: unknown option ${option} (see npm run govflow -- ${name} --help)`);
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') fail(`${name}: ${option} needs a value (see npm run govflow -- ${name} --help)`);
  fail(`${name}: ${e.message.split('\n')[0]}`);
}
const missing = Object.entries(command.options ?? {}).find(([o, opt]) => opt.required && parsed.values[o] === undefined);
if (missing) fail(`${name}: ${flag(missing[0], missing[1])} is required (see npm run govflow -- ${name} --help)`);
const required = command.args.filter((a) => a.startsWith('<')).length;
if (parsed.positionals.length < required) fail(`${name}: expected ${command.args.join(' ')} (see npm run govflow -- ${name} --help)`);
if (parsed.positionals.length > command.args.length) fail(`${name}: unexpected argument "${parsed.positionals[command.args.length]}" (see npm run govflow -- ${name} --help)`);
await command.run(parsed.positionals, parsed.values);
