import { createHash, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PolicySet } from '../../domain/policy/types.js';
import { defaultPolicy } from '../support/policy.js';
import { waitFor } from '../support/processes.js';
import { useApiStack } from '../support/stack.js';

const stack = useApiStack('api-roadmap');
let policy: PolicySet;

beforeAll(async () => {
  policy = await defaultPolicy();
});

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('roadmap engagement through the API', () => {
  it('starts an engagement, takes deliverables, reviews and sign-offs, refuses with problem+json, and stores the package', async () => {
    const rita = await stack.api.tokenFor('rita', 'requester');
    const leo = await stack.api.tokenFor('leo-api', 'engagement_lead');
    const sofia = await stack.api.tokenFor('sofia-api', 'executive_sponsor');
    const key = `RM-${randomUUID().slice(0, 8)}`;
    const phase = policy.roadmap.phases[0]!;

    const unknownLead = await stack.api.call('POST', '/roadmap-engagements', {
      token: rita,
      body: { businessKey: key, title: 'AI roadmap for claims', sponsor: 'sofia-api', engagementLead: 'nobody', objectives: ['x'] },
    });
    expect(unknownLead.status).toBe(400);
    expect(unknownLead.body.errors).toEqual([expect.objectContaining({ path: 'engagementLead' })]);

    const started = await stack.api.call('POST', '/roadmap-engagements', {
      token: rita,
      body: { businessKey: key, title: 'AI roadmap for claims', sponsor: 'sofia-api', engagementLead: 'leo-api', objectives: ['Cut claims handling time by 30%'] },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.workflowId).toBe(`roadmap-engagement/${key}`);
    const base = `/roadmap-engagements/${key}`;

    const badHash = await stack.api.call('POST', `${base}/deliverables`, { token: leo, body: { deliverable: phase.deliverables[0], title: 't', documentRef: 'd', contentHash: 'abc', author: 'Leo' } });
    expect(badHash.status).toBe(400);
    expect(badHash.body.errors.map((e: { path: string }) => e.path)).toEqual(['contentHash']);

    const unknown = await stack.api.call('POST', `${base}/deliverables`, { token: leo, body: { deliverable: 'vibes_report', title: 't', documentRef: 'd', contentHash: sha('x'), author: 'Leo' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('deliverable');

    for (const deliverable of phase.deliverables) {
      const submitted = await stack.api.call('POST', `${base}/deliverables`, {
        token: deliverable === phase.deliverables[0] ? rita : leo,
        body: { deliverable, title: `${deliverable} v1`, documentRef: `https://dms.example.com/${deliverable}`, contentHash: sha(deliverable), author: 'Leo Lead' },
      });
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    }

    // Refused by the workflow: a send-back without a note, a sign-off before every deliverable is accepted.
    const noNote = await stack.api.call('POST', `${base}/deliverable-reviews`, { token: leo, body: { deliverable: phase.deliverables[0], decision: 'send_back' } });
    expect(noNote.status).toBe(422);
    expect(noNote.headers.get('content-type')).toContain('application/problem+json');
    expect(noNote.body.code).toBe('RuleViolation');
    expect(noNote.body.errors).toEqual([{ path: 'note', message: 'required' }]);
    const early = await stack.api.call('POST', `${base}/sign-offs`, { token: sofia, body: { role: 'executive_sponsor', decision: 'approve' } });
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('RuleViolation');
    expect((await stack.api.call('POST', `${base}/deliverable-reviews`, { token: sofia, body: { deliverable: phase.deliverables[0], decision: 'accept' } })).status).toBe(403);
    expect((await stack.api.call('POST', `${base}/sign-offs`, { token: rita, body: { role: 'executive_sponsor', decision: 'approve' } })).status).toBe(403);

    // The lead reviews what the requester submitted; the sponsor what the lead submitted (an author never rules on it).
    expect((await stack.api.call('POST', `${base}/deliverable-reviews`, { token: leo, body: { deliverable: phase.deliverables[1], decision: 'accept' } })).status).toBe(403);
    for (const deliverable of phase.deliverables) {
      const reviewer = deliverable === phase.deliverables[0] ? leo : sofia;
      const reviewed = await stack.api.call('POST', `${base}/deliverable-reviews`, { token: reviewer, body: { deliverable, decision: 'accept' } });
      expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
    }
    expect((await stack.api.call('POST', `${base}/sign-offs`, { token: leo, body: { role: 'engagement_lead', decision: 'approve' } })).status).toBe(200);
    const signed = await stack.api.call('POST', `${base}/sign-offs`, { token: sofia, body: { role: 'executive_sponsor', decision: 'approve' } });
    expect(signed.status).toBe(200);
    // Signed off on day 0: the phase waits for its minimum duration, and waits on nobody.
    expect(signed.body.stage).toBe(phase.key);
    expect(signed.body.pendingRoles).toEqual([]);
    const engagement = await stack.api.call('GET', base, { token: sofia });
    expect(engagement.body.phases[0].signOffs.map((s: { role: string }) => s.role)).toEqual(['engagement_lead', 'executive_sponsor']);

    const child = await stack.api.call('POST', `${base}/children`, {
      token: leo,
      body: { kind: 'architecture_review', businessKey: `${key}-ARCH`, title: 'Claims AI', input: { trigger: 'new_system_design', systemDescription: 'RAG' } },
    });
    expect(child.status).toBe(409); // children only from the strategy phase on
    // Evaluation input the engine would refuse is refused (400, naming the field) before it reaches the workflow.
    const badEvaluation = await stack.api.call('POST', `${base}/children`, {
      token: leo,
      body: { kind: 'technology_proposal_evaluation', businessKey: `${key}-TP`, title: 'pgvector', input: { technology: 'pgvector' } },
    });
    expect(badEvaluation.status).toBe(400);
    expect(badEvaluation.body.errors.every((e: { path: string }) => e.path.startsWith('input'))).toBe(true);

    const state = await stack.api.call('GET', base, { token: rita });
    expect(state.status).toBe(200);
    expect(state.body.phases[0].deliverables.every((d: { status: string }) => d.status === 'accepted')).toBe(true);
    expect((await stack.api.call('GET', `${base}/package`, { token: rita })).status).toBe(404);

    expect((await stack.api.call('POST', `${base}/withdraw`, { token: sofia, body: { reason: 'budget moved to 2028' } })).status).toBe(200);
    const row = await waitFor('the finished engagement', () => stack.db.process.findFirst({ where: { workflowId: started.body.workflowId, completedAt: { not: null } } }));
    expect(row.outcome).toBe('withdrawn');
    const pkg = await stack.api.call('GET', `${base}/package`, { token: rita });
    expect(pkg.status).toBe(200);
    expect(pkg.body.outcome).toBe('withdrawn');
    expect(pkg.body.deliverables).toHaveLength(4);
    expect(pkg.body.decisions.filter((d: { kind: string }) => d.kind === 'sign_off')).toHaveLength(2);
    expect(await stack.db.deliverable.count({ where: { workflowId: started.body.workflowId, status: 'accepted' } })).toBe(4);
  });
});
