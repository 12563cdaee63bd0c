import { createRequire } from 'node:module';
import path from 'node:path';
import { PROJECT_ROOT } from '../platform/paths.js';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { GovflowError, ERROR_CODES, type ErrorField } from '../domain/errors.js';
import { holdsAny, permittedRoles } from '../domain/policy/access.js';
import type { PolicySet } from '../domain/policy/types.js';
import { checkRole } from '../api/auth.js';
import { toGovflowError } from '../api/problem.js';
import type { ApiDeps } from '../api/process-routes.js';
import type { RouteRegistry } from '../api/route-registry.js';
import type { CommitteeApprovalState } from '../workflows/contracts/committee-approval.js';
import { workflowIdFor, type ProcessKind, type ProcessStateBase } from '../workflows/contracts/common.js';
import { myOpenRoles, offeredActions } from './access.js';
import { bodyFromForm, renderForm, type FormContext } from './forms.js';
import { html, humanize, type Html } from './html.js';
import { errorPage, page } from './layout.js';
import { actionHref, kindOfSegment, processHref } from './links.js';
import { auditBody, type AuditRow, type ChainCheck } from './pages/audit.js';
import { committeeBody } from './pages/committee.js';
import { inboxBody, type InboxItem } from './pages/inbox.js';
import { processSection, type FormErrors } from './pages/process.js';
import { csrfMatches, endSession, redeemLoginLink, resolveSession, SESSION_TTL_MS, type WebSession } from './sessions.js';

declare module 'express-serve-static-core' {
  interface Locals {
    webSession?: WebSession | null;
  }
}

const COOKIE = 'govflow_session';
const htmxPath = createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js');

const sessionOf = (res: Response) => res.locals.webSession ?? null;
const isHtmx = (req: Request) => req.get('hx-request') === 'true';
const send = (res: Response, markup: Html, status = 200) => res.status(status).type('html').send(markup.value);

function cookieToken(req: Request): string | undefined {
  const match = new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`).exec(req.get('cookie') ?? '');
  return match?.[1];
}

/**
 * The approvers' web app under /app: server-rendered pages, htmx for in-place updates. A session resolves to the
 * same Actor as a bearer token, and every action runs the JSON API's own route (registry → Temporal Update).
 */
export function webApp(deps: ApiDeps, registry: RouteRegistry): express.Router {
  const router = express.Router();
  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          baseUri: ["'none'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  router.get('/assets/app.css', (_req, res) => res.sendFile(path.join(PROJECT_ROOT, 'web/assets/app.css')));
  router.get('/assets/htmx.min.js', (_req, res) => res.sendFile(htmxPath));
  router.use(express.urlencoded({ extended: false, limit: deps.config.API_BODY_LIMIT }));

  router.use(async (req, res, next) => {
    const token = cookieToken(req);
    const session = token ? await resolveSession(deps.db, token) : null;
    res.locals.webSession = session;
    if (session) res.locals.actor = session.actor;
    // Every state change carries the session's CSRF token (htmx sends it as a header, plain forms as a field).
    if (req.method === 'POST' && req.path !== '/login') {
      if (!session) return next(new GovflowError('Unauthenticated', 'your session has ended: sign in again'));
      const given = req.get('x-csrf-token') ?? (req.body as Record<string, unknown> | undefined)?._csrf;
      if (!csrfMatches(session, given)) return next(new GovflowError('Forbidden', 'the form is stale or was not sent by this app: reload the page and try again'));
    }
    next();
  });

  const cookieOptions = (req: Request) => ({ httpOnly: true, secure: req.secure, sameSite: 'lax' as const, path: '/app' });

  // The link only shows a button: opening it (e.g. a chat app's link preview) does not use it up.
  router.get('/login/:token', (req, res) => {
    send(res, page({ title: 'Sign in', body: html`<h1>Sign in to govflow</h1><form method="post" action="/app/login" class="card">
      <input type="hidden" name="token" value="${req.params.token}"><p>This link signs you in once.</p><button type="submit">Sign in</button></form>` }));
  });
  router.post('/login', async (req, res) => {
    const opened = await redeemLoginLink(deps.db, String((req.body as Record<string, unknown>).token ?? ''));
    if (!opened) {
      return send(res, page({ title: 'Sign in', body: html`<h1>This sign-in link cannot be used</h1><p role="alert">It was used already or has expired. Ask for a new one: <code>npm run govflow -- login-link &lt;your id&gt;</code>.</p>` }), 401);
    }
    res.cookie(COOKIE, opened.token, { ...cookieOptions(req), maxAge: SESSION_TTL_MS });
    res.redirect(303, '/app/');
  });
  router.post('/logout', async (req, res) => {
    await endSession(deps.db, sessionOf(res)!.id);
    res.clearCookie(COOKIE, cookieOptions(req));
    send(res, page({ title: 'Signed out', body: html`<h1>You are signed out</h1><p>Open a new sign-in link to come back.</p>` }));
  });

  router.use((_req, res, next) => (sessionOf(res) ? next() : next(new GovflowError('Unauthenticated', 'sign in with the link your administrator gave you'))));

  router.get('/', async (req, res) => {
    const session = sessionOf(res)!;
    const { items } = (await registry.invoke(registry.find('get', '/inbox'), { query: { limit: '200' }, params: {} }, req, res)) as { items: InboxItem[] };
    const kind = typeof req.query.kind === 'string' ? req.query.kind : undefined;
    const { title, body } = inboxBody(items, session.actor, kind);
    send(res, page({ title, session, body }));
  });

  const processOf = (segment: string) => {
    const kind = kindOfSegment(segment) as ProcessKind;
    const spec = registry.processes.get(kind);
    if (!spec) throw new GovflowError('NotFound', `no kind of process ${segment}`);
    return { kind, spec };
  };

  async function loadProcess(req: Request, res: Response, segment: string, key: string) {
    const { kind, spec } = processOf(segment);
    const state = (await registry.invoke(registry.find('get', `${spec.path}/:key`), { params: { key } }, req, res)) as ProcessStateBase;
    const policy: PolicySet = (await deps.policies.get(state.policyVersion)) ?? deps.policies.current;
    const ctx: FormContext = {
      recordKeys: { rulings: policy.architectureReview.approvalCriteria, findings: (state as unknown as { reviewItems?: string[] }).reviewItems ?? [] },
      roles: myOpenRoles(state, sessionOf(res)!.actor),
    };
    return { kind, spec, state, policy, ctx };
  }

  async function renderProcess(req: Request, res: Response, segment: string, key: string, extra: { errors?: FormErrors; notice?: string } = {}): Promise<Html> {
    const session = sessionOf(res)!;
    const { kind, spec, state, policy, ctx } = await loadProcess(req, res, segment, key);
    const offered = offeredActions(state, session.actor, policy, spec.actions.map((a) => a.name));
    const workflowId = workflowIdFor(kind, key);
    const forms = spec.actions
      .filter((a) => offered.includes(a.name))
      .map((a) => {
        const errors = extra.errors?.action === a.name ? extra.errors : undefined;
        return renderForm({ id: `action-${a.name}`, title: a.summary, action: actionHref(workflowId, a.name), csrf: session.csrfToken, body: a.body, ctx, values: errors?.values, errors, open: offered.length === 1 });
      })
      .filter((f): f is Html => f !== null);
    const auditReaders = registry.find('get', '/audit').roles;
    const mayAudit = auditReaders === 'public' || holdsAny(session.actor, auditReaders);
    return processSection({ state, forms, notice: extra.notice, auditHref: mayAudit ? `${processHref(workflowId)}/audit` : undefined });
  }

  // Start forms: every kind whose start body has generic controls and that the current policy lets me start.
  const startable = (actor: WebSession['actor']) =>
    [...registry.processes.entries()].filter(([kind]) => holdsAny(actor, permittedRoles(deps.policies.current, kind, 'start')));
  const startForm = (kind: string, csrf: string, errors?: { detail: string; fields: ErrorField[]; values: Record<string, unknown> }) => {
    const spec = registry.processes.get(kind)!;
    const ctx: FormContext = { recordKeys: {}, roles: [], choices: kind === 'architecture_review' ? { trigger: deps.policies.current.architectureReview.triggers } : {} };
    return { ctx, spec, form: renderForm({ id: `start-${kind}`, title: `Start ${humanize(kind)}`, action: `/app/start/${kind.replace(/_/g, '-')}`, csrf, body: spec.startBody, ctx, values: errors?.values, errors, open: true, inPlace: false }) };
  };

  router.get('/start', (_req, res) => {
    const session = sessionOf(res)!;
    const kinds = startable(session.actor).filter(([kind]) => startForm(kind, session.csrfToken).form);
    send(res, page({ title: 'Start a process', session, body: html`<h1>Start a process</h1>${kinds.length
      ? html`<ul class="items">${kinds.map(([kind]) => html`<li class="card"><a class="title" href="/app/start/${kind.replace(/_/g, '-')}">${humanize(kind)}</a></li>`)}</ul>`
      : html`<p class="card">The policy lets you start no process here.</p>`}` }));
  });

  router.get('/start/:kind', (req, res) => {
    const session = sessionOf(res)!;
    const { kind } = processOf(req.params.kind);
    checkRole(session.actor, permittedRoles(deps.policies.current, kind, 'start'));
    const { form } = startForm(kind, session.csrfToken);
    if (!form) throw new GovflowError('NotFound', `${humanize(req.params.kind)} has no start form yet: start it with the JSON API`);
    send(res, page({ title: `Start ${humanize(req.params.kind)}`, session, body: form }));
  });

  router.post('/start/:kind', async (req, res) => {
    const session = sessionOf(res)!;
    const { kind } = processOf(req.params.kind);
    const { ctx, spec } = startForm(kind, session.csrfToken);
    const values = req.body as Record<string, unknown>;
    try {
      const started = (await registry.invoke(registry.find('post', spec.path), { body: bodyFromForm(spec.startBody, ctx, values), params: {} }, req, res)) as { workflowId: string };
      res.redirect(303, processHref(started.workflowId));
    } catch (err) {
      const known = toGovflowError(err);
      // Not allowed to start is a page of its own; a refused input is shown beside its field.
      if (!known || ERROR_CODES[known.code] >= 500 || known.code === 'Forbidden') throw err;
      send(res, page({ title: `Start ${humanize(kind)}`, session, body: startForm(kind, session.csrfToken, { detail: known.message, fields: known.fields, values }).form! }), 422);
    }
  });

  router.get('/committee', async (_req, res) => {
    const rows = await deps.db.process.findMany({ where: { kind: 'committee_approval', completedAt: null, outcome: null }, select: { state: true } });
    const open = rows.map((r) => r.state as unknown as CommitteeApprovalState);
    send(res, page({ title: 'Committee', session: sessionOf(res), body: committeeBody(open, deps.policies.current.aiGovernance.committee.voting.quorum) }));
  });

  router.get('/processes/:kind/:key/audit', async (req, res) => {
    const workflowId = workflowIdFor(processOf(req.params.kind).kind, req.params.key);
    const { items } = (await registry.invoke(registry.find('get', '/audit'), { query: { workflowId, limit: '1000' }, params: {} }, req, res)) as { items: AuditRow[] };
    const chain = (await registry.invoke(registry.find('get', '/audit/verify'), { params: {} }, req, res)) as ChainCheck;
    send(res, page({ title: 'Audit trail', session: sessionOf(res), body: auditBody(workflowId, items, chain) }));
  });

  router.get('/processes/:kind/:key', async (req, res) => {
    const section = await renderProcess(req, res, req.params.kind, req.params.key);
    send(res, page({ title: humanize(req.params.kind), session: sessionOf(res), body: section }));
  });

  router.post('/processes/:kind/:key/actions/:action', async (req, res) => {
    const { kind, spec, ctx } = await loadProcess(req, res, req.params.kind, req.params.key);
    const action = spec.actions.find((a) => a.name === req.params.action);
    if (!action) throw new GovflowError('NotFound', `no action ${req.params.action}`);
    const form = req.body as Record<string, unknown>;
    const respond = async (extra: { errors?: FormErrors; notice?: string }, status: number) => {
      const section = await renderProcess(req, res, req.params.kind, req.params.key, extra);
      send(res, isHtmx(req) ? section : page({ title: humanize(kind), session: sessionOf(res), body: section }), status);
    };
    try {
      const body = bodyFromForm(action.body, ctx, form);
      await registry.invoke(registry.find('post', `${spec.path}/:key/${action.name}`), { body, params: { key: req.params.key } }, req, res);
    } catch (err) {
      const known = toGovflowError(err);
      if (!known || ERROR_CODES[known.code] >= 500 || known.code === 'NotFound' || known.code === 'Unauthenticated') throw err;
      return respond({ errors: { action: action.name, detail: known.message, fields: known.fields, values: form } }, 422);
    }
    await respond({ notice: `${action.summary}: accepted.` }, 200);
  });

  // The JSON API's error vocabulary, rendered as a page.
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const known = toGovflowError(err);
    if (!known) {
      deps.log.error({ requestId: res.locals.requestId, err }, 'unhandled error');
      return send(res, errorPage(500, `an unexpected error occurred; it has been logged with request id ${res.locals.requestId}`, sessionOf(res)), 500);
    }
    const status = ERROR_CODES[known.code];
    send(res, errorPage(status, known.message, sessionOf(res)), status);
  });
  return router;
}
