import type { Request, Response, Router } from 'express';
import { actorFor } from '../api/auth.js';
import type { ApiDeps } from '../api/process-routes.js';
import { toGovflowError } from '../api/problem.js';
import type { RouteRegistry } from '../api/route-registry.js';
import { ERROR_CODES } from '../domain/errors.js';
import { LINK_ACTIONS, linkRole, type LinkAction } from '../platform/action-links.js';
import { hashToken } from '../platform/principals.js';
import type { ProcessStateBase } from '../workflows/contracts/common.js';
import { formatDate, html, humanize, type Html } from './html.js';
import { page } from './layout.js';
import { processHref } from './links.js';

/*
 * The page an action link in a message opens (`/app/act/<token>`). GET only shows what the link would do and a
 * button (mail scanners and link previews follow links); the POST from that page takes the action, once, as the
 * person the link was issued to, through the JSON API's own route, marked as taken through the message's channel.
 */

const LABELS: Record<LinkAction, { verb: string; done: string }> = {
  approve: { verb: 'Approve', done: 'Your approval is recorded' },
  request_changes: { verb: 'Request changes', done: 'Your request for changes is recorded' },
};

const sendPage = (res: Response, status: number, title: string, body: Html) => res.status(status).type('html').send(page({ title, body }).value);

export function registerActionLinkPages(router: Router, deps: ApiDeps, registry: RouteRegistry): void {
  /** The link and what it is about, or the page saying why it cannot be used (nothing is consumed here). */
  async function check(req: Request, res: Response) {
    const link = await deps.db.actionLink.findUnique({ where: { tokenHash: hashToken(String(req.params.token)) } });
    const refuse = (status: number, heading: string, detail: string | Html, open?: string) => {
      sendPage(res, status, 'Action link', html`<h1>${heading}</h1><p role="alert">${detail}</p>${open ? html`<p><a class="button" href="${open}">Open the item</a></p>` : ''}`);
      return null;
    };
    if (!link) return refuse(404, 'This link is not one govflow issued', 'Check that the whole link was opened, or act from the web app.');
    const open = processHref(link.workflowId);
    if (link.usedAt) return refuse(410, 'This link was used already', `It was used on ${formatDate(link.usedAt)}; a link works once.`, open);
    if (link.expiresAt <= new Date()) return refuse(410, 'This link has expired', `It expired on ${formatDate(link.expiresAt)}.`, open);
    const [process, principal] = await Promise.all([
      deps.db.process.findUnique({ where: { workflowId: link.workflowId } }),
      deps.db.principal.findUnique({ where: { id: link.principalId } }),
    ]);
    if (!principal || principal.disabled) return refuse(403, 'This link cannot be used', `The principal ${link.principalId} is deactivated.`);
    if (!process) return refuse(404, 'This link cannot be used', `There is no process ${link.workflowId}.`);
    if (process.stateVersion !== link.stateVersion) {
      return refuse(409, 'This link is stale', `"${process.title}" has changed since the message was sent (version ${link.stateVersion}, now ${process.stateVersion}): open it to see where it stands.`, open);
    }
    const state = process.state as unknown as ProcessStateBase;
    const role = linkRole(state, principal);
    const spec = LINK_ACTIONS[process.kind];
    const action = link.action as LinkAction;
    const body = spec?.actions[action];
    if (!role || !spec || !body) return refuse(409, 'This link cannot be used', `"${process.title}" no longer waits on ${principal.id}.`, open);
    return { link, state, role, route: spec.route, body, principal, open, action };
  }

  router.get('/act/:token', async (req, res) => {
    const found = await check(req, res);
    if (!found) return;
    const { state, role, principal, open, action } = found;
    const needsReason = action === 'request_changes';
    sendPage(res, 200, LABELS[action].verb, html`<h1>${LABELS[action].verb}: ${state.title}</h1>
      <form method="post" action="/app/act/${String(req.params.token)}" class="card">
        <p>As <strong>${principal.id}</strong>, ${humanize(role)}, on ${humanize(state.kind)} ${state.businessKey}. Nothing is recorded until you confirm.</p>
        ${needsReason ? html`<label for="justification">What needs to change</label><textarea id="justification" name="justification" required rows="4"></textarea>` : ''}
        <button type="submit">Confirm: ${LABELS[action].verb.toLowerCase()}</button>
      </form>
      <p><a href="${open}">Open the item instead</a></p>`);
  });

  router.post('/act/:token', async (req, res) => {
    const found = await check(req, res);
    if (!found) return;
    const { link, state, role, route, body, principal, open, action } = found;
    const justification = String((req.body as Record<string, unknown>).justification ?? '').trim() || undefined;
    if (action === 'request_changes' && !justification) {
      return sendPage(res, 422, LABELS[action].verb, html`<h1>${LABELS[action].verb}: ${state.title}</h1><p role="alert">Say what needs to change: a request for changes must be justified.</p><p><a href="/app/act/${String(req.params.token)}">Back</a></p>`);
    }
    // Used once: of two concurrent confirmations, one wins the conditional update.
    const now = new Date();
    const taken = await deps.db.actionLink.updateMany({ where: { id: link.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (taken.count !== 1) return sendPage(res, 410, 'Action link', html`<h1>This link was used already</h1><p role="alert">A link works once.</p><p><a class="button" href="${open}">Open the item</a></p>`);
    const policy = (await deps.policies.get(state.policyVersion)) ?? deps.policies.current;
    const processes = registry.processes.get(state.kind)!;
    res.locals.actor = { ...actorFor(principal), via: { channel: link.channel, link: link.id } };
    try {
      await registry.invoke(registry.find('post', `${processes.path}/:key/${route}`), { body: body(policy, role, justification), params: { key: state.businessKey } }, req, res);
    } catch (err) {
      const known = toGovflowError(err);
      if (!known || ERROR_CODES[known.code] >= 500) throw err;
      return sendPage(res, 422, 'Not recorded', html`<h1>Not recorded</h1><p role="alert">${known.message}</p><p>The link is used up; act from the item's page.</p><p><a class="button" href="${open}">Open the item</a></p>`);
    }
    sendPage(res, 200, 'Recorded', html`<h1>${LABELS[action].done}</h1><p>On "${state.title}", as ${humanize(role)}, through ${link.channel}.</p><p><a class="button" href="${open}">Open the item</a></p>`);
  });
}
