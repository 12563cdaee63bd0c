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
import type { OidcVerifier } from '../api/oidc.js';
import type { RouteRegistry } from '../api/route-registry.js';
import type { CommitteeApprovalState } from '../workflows/committee-approval/contract.js';
import { workflowIdFor, type ProcessKind, type ProcessStateBase } from '../workflows/contracts/common.js';
import { myOpenRoles, offeredActions } from './access.js';
import { actionContext, startContext } from './form-context.js';
import { bodyFromForm, editRows, renderForm } from './forms.js';
import { html, humanize, type Html } from './html.js';
import { errorPage, page } from './layout.js';
import { actionHref, kindOfSegment, processHref } from './links.js';
import { registerActionLinkPages } from './action-links.js';
import { nextSteps } from './next-steps.js';
import { auditBody, type AuditRow, type LogCheck } from './pages/audit.js';
import { reportBody, reportListBody, type StoredReport } from './pages/report.js';
import { committeeBody } from './pages/committee.js';
import { inboxBody, type InboxItem } from './pages/inbox.js';
import { processSection, type FormErrors } from './pages/process.js';
import { techRadarBody } from './pages/tech-radar.js';
import { portfolioBody } from './pages/portfolio.js';
import type { Portfolio } from '../domain/inventory/portfolio.js';
import type { TechRadar } from '../domain/radar/tech-radar.js';
import { createOidcSignIn, FLOW_TTL_MS, safeNext, type PendingFlow } from './oidc-login.js';
import { csrfMatches, endSession, openSession, redeemLoginLink, resolveSession, SESSION_TTL_MS, type WebSession } from './sessions.js';

declare module 'express-serve-static-core' {
  interface Locals {
    webSession?: WebSession | null;
  }
}

const COOKIE = 'govflow_session';
// The OIDC flow's state, nonce and PKCE verifier, between the redirect to the provider and its callback. Not
// signed: it only ever holds this browser's own flow, and another site cannot set it (same-origin cookies).
const FLOW_COOKIE = 'govflow_oidc';
const FLOW_PATH = '/app/oidc';
const htmxPath = createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js');

const sessionOf = (res: Response) => res.locals.webSession ?? null;
const isHtmx = (req: Request) => req.get('hx-request') === 'true';
const send = (res: Response, markup: Html, status = 200) => res.status(status).type('html').send(markup.value);

function cookie(req: Request, name: string): string | undefined {
  const match = new RegExp(`(?:^|;\\s*)${name}=([^;]+)`).exec(req.get('cookie') ?? '');
  return match?.[1];
}

function pendingFlow(req: Request): PendingFlow | null {
  try {
    return JSON.parse(Buffer.from(cookie(req, FLOW_COOKIE) ?? '', 'base64url').toString('utf8')) as PendingFlow;
  } catch {
    return null;
  }
}

/**
 * The approvers' web app under /app: server-rendered pages, htmx for in-place updates. A session resolves to the
 * same Actor as a bearer token, and every action runs the JSON API's own route (registry → Temporal Update).
 */
export function webApp(deps: ApiDeps, registry: RouteRegistry, verifier?: OidcVerifier): express.Router {
  const router = express.Router();
  const oidc = createOidcSignIn(deps.config, deps.db, verifier);
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
    const token = cookie(req, COOKIE);
    const session = token ? await resolveSession(deps.db, token) : null;
    res.locals.webSession = session;
    if (session) res.locals.actor = session.actor;
    // Every state change carries the session's CSRF token (htmx sends it as a header, plain forms as a field).
    // A sign-in link and an action link carry their own unguessable token instead (and need no session).
    if (req.method === 'POST' && req.path !== '/login' && !req.path.startsWith('/act/')) {
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
  const signedIn = (req: Request, res: Response, opened: { token: string }, next = '/app/') => {
    res.cookie(COOKIE, opened.token, { ...cookieOptions(req), maxAge: SESSION_TTL_MS });
    res.redirect(303, next);
  };
  router.post('/login', async (req, res) => {
    const opened = await redeemLoginLink(deps.db, String((req.body as Record<string, unknown>).token ?? ''));
    if (!opened) {
      return send(res, page({ title: 'Sign in', body: html`<h1>This sign-in link cannot be used</h1><p role="alert">It was used already or has expired. Ask for a new one: <code>npm run govflow -- login-link &lt;your id&gt;</code>.</p>` }), 401);
    }
    signedIn(req, res, opened);
  });

  if (oidc) {
    const flowCookie = (req: Request) => ({ httpOnly: true, secure: req.secure, sameSite: 'lax' as const, path: FLOW_PATH });
    router.get('/oidc/login', async (req, res) => {
      const { url, flow } = await oidc.begin(req, req.query.next);
      res.cookie(FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), { ...flowCookie(req), maxAge: FLOW_TTL_MS });
      res.redirect(303, url);
    });
    router.get('/oidc/callback', async (req, res) => {
      const flow = pendingFlow(req);
      // One flow, one callback: a replayed or second answer finds no flow.
      res.clearCookie(FLOW_COOKIE, flowCookie(req));
      const actor = await oidc.complete(req, flow);
      const opened = await openSession(deps.db, actor.id, 'oidc');
      if (!opened) throw new GovflowError('Forbidden', `the principal \`${actor.id}\` is deactivated`);
      signedIn(req, res, opened, safeNext(flow?.next));
    });
  }
  router.post('/logout', async (req, res) => {
    await endSession(deps.db, sessionOf(res)!.id);
    res.clearCookie(COOKIE, cookieOptions(req));
    send(res, page({ title: 'Signed out', body: html`<h1>You are signed out</h1><p>Open a new sign-in link to come back.</p>` }));
  });

  registerActionLinkPages(router, deps, registry);

  router.use((_req, res, next) =>
    sessionOf(res) ? next() : next(new GovflowError('Unauthenticated', oidc ? `sign in with ${oidc.providerName}, or with a link your administrator gave you` : 'sign in with the link your administrator gave you')),
  );

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
    const ctxFor = (action: string) => actionContext(state, policy, myOpenRoles(state, sessionOf(res)!.actor), action);
    return { kind, spec, state, policy, ctxFor };
  }

  async function renderProcess(req: Request, res: Response, segment: string, key: string, extra: { errors?: FormErrors; notice?: string; editing?: { action: string; values: Record<string, unknown> } } = {}): Promise<Html> {
    const session = sessionOf(res)!;
    const { kind, spec, state, policy, ctxFor } = await loadProcess(req, res, segment, key);
    const offered = offeredActions(state, session.actor, policy, spec.actions.map((a) => a.name));
    const workflowId = workflowIdFor(kind, key);
    const forms = spec.actions
      .filter((a) => offered.includes(a.name))
      .map((a) => {
        const errors = extra.errors?.action === a.name ? extra.errors : undefined;
        const values = errors?.values ?? (extra.editing?.action === a.name ? extra.editing.values : undefined);
        return renderForm({ id: `action-${a.name}`, title: a.summary, action: actionHref(workflowId, a.name), csrf: session.csrfToken, body: a.body, ctx: ctxFor(a.name), values, errors, open: offered.length === 1 || values !== undefined });
      })
      .filter((f): f is Html => f !== null);
    const auditReaders = registry.find('get', '/audit').roles;
    const mayAudit = auditReaders === 'public' || holdsAny(session.actor, auditReaders);
    // Refused, and now not mine to take (a role withdrawn meanwhile): the refusal still shows, above the page.
    const refusal = extra.errors && !offered.includes(extra.errors.action) ? extra.errors.detail : undefined;
    const reportsHref = kind === 'cto_engagement' || kind === 'roadmap_engagement' ? `/app/reports?scope=${encodeURIComponent(workflowId)}` : undefined;
    return processSection({ state, forms, next: nextSteps(state, policy), notice: extra.notice, refusal, auditHref: mayAudit ? `${processHref(workflowId)}/audit` : undefined, reportsHref });
  }

  // Start forms: every kind whose start body has generic controls and that the current policy lets me start.
  const startable = (actor: WebSession['actor']) =>
    [...registry.processes.entries()].filter(([kind]) => holdsAny(actor, permittedRoles(deps.policies.current, kind, 'start')));
  const startForm = (kind: string, csrf: string, errors?: { detail: string; fields: ErrorField[]; values: Record<string, unknown> }, values = errors?.values) => {
    const spec = registry.processes.get(kind)!;
    const ctx = startContext(kind, deps.policies.current);
    return { ctx, spec, form: renderForm({ id: `start-${kind}`, title: `Start ${humanize(kind)}`, action: `/app/start/${kind.replace(/_/g, '-')}`, csrf, body: spec.startBody, ctx, values, errors, open: true, inPlace: false }) };
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
    // A row added or removed: the same form again, nothing started.
    const edited = editRows(values);
    if (edited) return send(res, page({ title: `Start ${humanize(kind)}`, session, body: startForm(kind, session.csrfToken, undefined, edited).form! }));
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

  router.get('/reports', async (req, res) => {
    const scope = typeof req.query.scope === 'string' ? req.query.scope : undefined;
    const { items } = (await registry.invoke(registry.find('get', '/reports'), { query: { ...(scope ? { scope } : {}), limit: '200' }, params: {} }, req, res)) as { items: StoredReport[] };
    send(res, page({ title: 'Reports', session: sessionOf(res), body: reportListBody(scope ?? null, items) }));
  });

  router.get('/reports/:id', async (req, res) => {
    const report = (await registry.invoke(registry.find('get', '/reports/:id'), { params: { id: req.params.id } }, req, res)) as StoredReport;
    send(res, page({ title: 'Report', session: sessionOf(res), body: reportBody(report) }));
  });

  router.get('/tech-radar', async (req, res) => {
    const radar = (await registry.invoke(registry.find('get', '/tech-radar'), { params: {} }, req, res)) as TechRadar;
    send(res, page({ title: 'Technology radar', session: sessionOf(res), body: techRadarBody(radar) }));
  });

  router.get('/portfolio', async (req, res) => {
    const portfolio = (await registry.invoke(registry.find('get', '/ai-systems/portfolio'), { params: {} }, req, res)) as Portfolio;
    send(res, page({ title: 'AI portfolio', session: sessionOf(res), body: portfolioBody(portfolio) }));
  });

  router.get('/processes/:kind/:key/audit', async (req, res) => {
    const workflowId = workflowIdFor(processOf(req.params.kind).kind, req.params.key);
    const { items } = (await registry.invoke(registry.find('get', '/audit'), { query: { workflowId, limit: '1000' }, params: {} }, req, res)) as { items: AuditRow[] };
    const chain = (await registry.invoke(registry.find('get', '/audit/verify'), { params: {} }, req, res)) as LogCheck;
    send(res, page({ title: 'Audit trail', session: sessionOf(res), body: auditBody(workflowId, items, chain) }));
  });

  router.get('/processes/:kind/:key', async (req, res) => {
    const section = await renderProcess(req, res, req.params.kind, req.params.key);
    send(res, page({ title: humanize(req.params.kind), session: sessionOf(res), body: section }));
  });

  router.post('/processes/:kind/:key/actions/:action', async (req, res) => {
    const { kind, spec, ctxFor } = await loadProcess(req, res, req.params.kind, req.params.key);
    const action = spec.actions.find((a) => a.name === req.params.action);
    if (!action) throw new GovflowError('NotFound', `no action ${req.params.action}`);
    const form = req.body as Record<string, unknown>;
    const respond = async (extra: Parameters<typeof renderProcess>[4], status: number) => {
      const section = await renderProcess(req, res, req.params.kind, req.params.key, extra);
      send(res, isHtmx(req) ? section : page({ title: humanize(kind), session: sessionOf(res), body: section }), status);
    };
    const edited = editRows(form);
    if (edited) return respond({ editing: { action: action.name, values: edited } }, 200);
    try {
      const body = bodyFromForm(action.body, ctxFor(action.name), form);
      await registry.invoke(registry.find('post', `${spec.path}/:key/${action.name}`), { body, params: { key: req.params.key } }, req, res);
    } catch (err) {
      const known = toGovflowError(err);
      if (!known || ERROR_CODES[known.code] >= 500 || known.code === 'NotFound' || known.code === 'Unauthenticated') throw err;
      return respond({ errors: { action: action.name, detail: known.message, fields: known.fields, values: form } }, 422);
    }
    await respond({ notice: `${action.summary}: accepted.` }, 200);
  });

  // The JSON API's error vocabulary, rendered as a page.
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = toGovflowError(err);
    if (!known) {
      deps.log.error({ requestId: res.locals.requestId, err }, 'unhandled error');
      return send(res, errorPage(500, `an unexpected error occurred; it has been logged with request id ${res.locals.requestId}`, sessionOf(res)), 500);
    }
    const status = ERROR_CODES[known.code];
    // Signed out (or a sign-in that failed): offer the provider's sign-in, back to the page asked for.
    const next = req.method === 'GET' && !req.path.startsWith(FLOW_PATH) ? req.originalUrl : '/app/';
    const signIn = oidc && !sessionOf(res) && (status === 401 || req.path.startsWith(FLOW_PATH))
      ? html`<p><a class="button" href="${FLOW_PATH}/login?next=${encodeURIComponent(safeNext(next))}">Sign in with ${oidc.providerName}</a></p>`
      : undefined;
    send(res, errorPage(status, known.message, sessionOf(res), signIn), status);
  });
  return router;
}
