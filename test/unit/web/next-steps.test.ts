import type { EscalationPolicy } from '../../../domain/policy/types.js';
import { describe, expect, it } from 'vitest';
import type { ProcessStateBase } from '../../../workflows/contracts/common.js';
import { nextSteps } from '../../../web/next-steps.js';
import { processSection } from '../../../web/pages/process.js';
import { defaultPolicy } from '../../support/policy.js';

const now = new Date('2026-12-01T09:00:00Z');
const review = (extra: Partial<ProcessStateBase> & Record<string, unknown> = {}): ProcessStateBase =>
  ({
    workflowId: 'architecture-review/ARCH-1',
    kind: 'architecture_review',
    businessKey: 'ARCH-1',
    title: 'Payments',
    requester: 'rita',
    policyVersion: 'v1',
    stage: 'in_review',
    outcome: null,
    pendingRoles: ['technical_lead'],
    // Started 2026-11-30 09:00: the policy's 14-day SLA.
    slaDueAt: '2026-12-14T09:00:00.000Z',
    events: [],
    notices: [],
    ...extra,
  }) as ProcessStateBase;

const page = (state: ProcessStateBase, next: ReturnType<typeof nextSteps>) => processSection({ state, forms: [], next, now }).value;

describe('what happens next on the process page', () => {
  it('derives the reminder and escalation from the SLA deadline and the pinned policy when the process reports no deadlines', async () => {
    const policy = await defaultPolicy();
    const { reminderAfterDays, escalateAfterDays, slaBreachAfterDays } = policy.architectureReview.escalation as Required<EscalationPolicy>;
    const next = nextSteps(review(), policy)!;
    const day = 86_400_000;
    const started = new Date('2026-12-14T09:00:00Z').getTime() - slaBreachAfterDays * day;
    expect(next).toEqual({
      reminderAt: new Date(started + reminderAfterDays * day).toISOString(),
      escalationAt: new Date(started + escalateAfterDays * day).toISOString(),
      dueAt: '2026-12-14T09:00:00.000Z',
      escalateTo: 'committee_chair',
      breachAtDue: true,
    });
    const html = page(review(), next);
    expect(html).toContain('What happens next');
    expect(html).toMatch(/Reminder to technical lead<\/strong>: 2026-12-03 09:00 UTC <span class="meta">\(in 2 days\)/);
    expect(html).toMatch(/Escalation to the committee chair<\/strong>: 2026-12-07 09:00 UTC/);
    expect(html).toContain('Not decided by then, it closes as SLA breached and goes to the committee chair.');
  });

  it('shows the deadlines the process reports, as they are, past ones marked', async () => {
    const deadlines = { reminderAt: '2026-11-30T12:00:00.000Z', escalationAt: '2026-12-05T12:00:00.000Z', dueAt: '2026-12-20T12:00:00.000Z' };
    const state = review({ deadlines });
    const next = nextSteps(state, await defaultPolicy())!;
    expect(next).toMatchObject(deadlines);
    const html = page(state, next);
    expect(html).toMatch(/Reminder to technical lead<\/strong>: 2026-11-30 12:00 UTC <span class="meta">\(passed\)/);
    expect(html).toMatch(/Escalation to the committee chair<\/strong>: 2026-12-05 12:00 UTC <span class="meta">\(in 4 days\)/);
    expect(html).toMatch(/Deadline<\/strong>: 2026-12-20 12:00 UTC/);
    // Steps minutes or hours away say so.
    const soon = page(state, { ...next, reminderAt: '2026-12-01T09:10:00.000Z', escalationAt: '2026-12-01T13:30:00.000Z' });
    expect(soon).toMatch(/Reminder to technical lead<\/strong>: 2026-12-01 09:10 UTC <span class="meta">\(in 10 minutes\)/);
    expect(soon).toMatch(/Escalation to the committee chair<\/strong>: 2026-12-01 13:30 UTC <span class="meta">\(in 4 hours\)/);
    // A step the process reports none for is not invented.
    expect(page(state, { ...next, reminderAt: null })).not.toContain('Reminder to');
  });

  it('a deadline of its own (a roadmap phase, an engagement term) is only a deadline; a closed process has none', async () => {
    const policy = await defaultPolicy();
    const roadmap = review({ kind: 'roadmap_engagement', workflowId: 'roadmap-engagement/R-1', stage: 'assessment' });
    expect(nextSteps(roadmap, policy)).toEqual({ reminderAt: null, escalationAt: null, dueAt: '2026-12-14T09:00:00.000Z', breachAtDue: false });
    expect(page(roadmap, nextSteps(roadmap, policy))).not.toContain('SLA breached');
    expect(nextSteps(review({ outcome: 'approved' }), policy)).toBeNull();
    expect(nextSteps(review({ slaDueAt: null }), policy)).toBeNull();
  });

  it('says when the steps count working time, and in which calendar', async () => {
    const policy = structuredClone(await defaultPolicy());
    const calendar = policy.calendars!.calendars[0]!;
    policy.architectureReview.escalation = { escalateToRole: 'committee_chair', maxExtensionDays: 10, calendar, reminderAfter: { duration: 'P1D', time: 'working' }, escalateAfter: { duration: 'P3D', time: 'working' }, slaBreachAfter: { duration: 'P5D', time: 'working' } };
    const next = nextSteps(review({ deadlines: { reminderAt: '2026-12-02T09:00:00.000Z', escalationAt: '2026-12-04T09:00:00.000Z', dueAt: '2026-12-07T09:00:00.000Z' } }), policy)!;
    expect(next.workingTime).toEqual({ calendar: 'default', timeZone: 'Europe/Brussels' });
    expect(page(review(), next)).toContain("Counted in working time: the default calendar's working days and hours (Europe/Brussels), without its public holidays.");
    // Calendar time says nothing of the kind.
    expect(page(review(), nextSteps(review(), await defaultPolicy()))).not.toContain('working time');
  });
});
