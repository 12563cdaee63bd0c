import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { architectureReview } from '../../workflows/architecture-review/workflow.js';
import { extendDeadlineUpdate, stateQuery } from '../../workflows/contracts/common.js';
import type { ArchitectureReviewState } from '../../workflows/architecture-review/contract.js';
import { isoDateOfDay } from '../../domain/engines/calendar.js';
import { utcOffsets } from '../../domain/policy/time-zones.js';
import type { BusinessCalendar, EscalationPolicy } from '../../domain/policy/types.js';
import { requester } from '../support/actors.js';
import { architectureReviewInput } from '../support/reviews.js';
import { actThenState } from '../support/updates.js';
import { useWorkflowStack } from '../support/stack.js';

const stack = useWorkflowStack('business-time');
const DAY = 86_400_000;
const ZONE = 'Europe/Brussels';

/** Date and wall-clock time in Brussels, e.g. "2027-05-24 14:00", as a person there reads them. */
function local(iso: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

describe('deadlines in working time', () => {
  it('a 5-working-day SLA started on a Friday before a public holiday ends on the right day, and the review breaches then', async () => {
    // The next Friday at 12:00 UTC (13:00 or 14:00 in Brussels: within working hours), with the Monday after it off.
    const now = await stack.env.currentTimeMs();
    let friday = Math.floor(now / DAY) + 1;
    while (new Date(friday * DAY).getUTCDay() !== 5) friday++;
    const startAt = friday * DAY + 12 * 3_600_000;
    await stack.env.sleep(startAt - now);
    const calendar: BusinessCalendar = {
      key: 'default',
      timeZone: ZONE,
      workingDays: [1, 2, 3, 4, 5],
      workingHours: { start: 9 * 60, end: 17 * 60 },
      holidays: [{ date: isoDateOfDay(friday + 3), name: 'a public holiday' }],
      offsets: utcOffsets(ZONE),
    };
    const escalation: EscalationPolicy = {
      reminderAfter: { duration: 'P1D', time: 'working' },
      escalateAfter: { duration: 'P3D', time: 'working' },
      slaBreachAfter: { duration: 'P5D', time: 'working' },
      escalateToRole: 'committee_chair',
      maxExtensionDays: 10,
      calendar,
    };
    const businessKey = `WORKDAYS-${randomUUID().slice(0, 8)}`;
    const input = architectureReviewInput(stack.policySet, businessKey, { policy: { ...stack.policySet.architectureReview, escalation } });
    const handle = await stack.env.client.workflow.start<typeof architectureReview>('architectureReview', { taskQueue: stack.taskQueue, workflowId: `architecture-review/${businessKey}`, args: [input] });

    // Friday → (Saturday, Sunday, the holiday) → Tuesday 1, Wednesday 2, Thursday 3, Friday 4, Monday 5.
    const started = (await handle.query(stateQuery)) as ArchitectureReviewState;
    const time = local(new Date(startAt).toISOString()).slice(11);
    expect(started.deadlines).toBeDefined();
    const { reminderAt, escalationAt, dueAt } = started.deadlines!;
    expect([local(reminderAt!), local(escalationAt!), local(dueAt!)]).toEqual([`${isoDateOfDay(friday + 4)} ${time}`, `${isoDateOfDay(friday + 6)} ${time}`, `${isoDateOfDay(friday + 10)} ${time}`]);
    expect(started.slaDueAt).toBe(dueAt);

    // A minute before the deadline it still waits, reminded and escalated; a minute after, it has breached.
    await stack.env.sleep(Date.parse(dueAt!) - startAt - 60_000);
    const waiting = (await handle.query(stateQuery)) as ArchitectureReviewState;
    expect(waiting.outcome).toBeNull();
    expect(waiting.notices.map((n) => n.kind)).toEqual(['reminder', 'escalation']);
    const sentOn = (action: string) => local(waiting.events.find((e) => e.action === action)!.at).slice(0, 10);
    expect([sentOn('reminder_sent'), sentOn('escalated')]).toEqual([isoDateOfDay(friday + 4), isoDateOfDay(friday + 6)]);

    const result = (await handle.result()) as ArchitectureReviewState;
    expect(result.outcome).toBe('sla_breached');
    const decided = result.events.find((e) => e.action === 'decided')!;
    expect(Date.parse(decided.at)).toBeGreaterThanOrEqual(Date.parse(dueAt!));
    expect(local(decided.at).slice(0, 10)).toBe(isoDateOfDay(friday + 10));
    expect(decided.details.reason).toBe('no decision within 5 days (working time); referred to the committee_chair');
    expect(result.deadlines).toBeNull();
  });

  it('an extension moves every step by working days, as the wait then fires', async () => {
    const now = await stack.env.currentTimeMs();
    const escalation: EscalationPolicy = {
      reminderAfter: { duration: 'PT4H', time: 'working' },
      escalateAfter: { duration: 'P1D', time: 'working' },
      slaBreachAfter: { duration: 'P2D', time: 'working' },
      escalateToRole: 'committee_chair',
      maxExtensionDays: 10,
      calendar: { key: 'default', timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], workingHours: { start: 9 * 60, end: 17 * 60 }, holidays: [], offsets: [] },
    };
    const businessKey = `EXTEND-${randomUUID().slice(0, 8)}`;
    const input = architectureReviewInput(stack.policySet, businessKey, { policy: { ...stack.policySet.architectureReview, escalation } });
    const handle = await stack.env.client.workflow.start<typeof architectureReview>('architectureReview', { taskQueue: stack.taskQueue, workflowId: `architecture-review/${businessKey}`, args: [input] });
    const before = ((await handle.query(stateQuery)) as ArchitectureReviewState).deadlines!;
    expect(Date.parse(before.dueAt!)).toBeGreaterThan(now);
    const after = await actThenState(handle, extendDeadlineUpdate, { args: [{ actor: requester, days: 1, reason: 'the architects are at a conference' }] });
    // Each step one working day later (Monday to Friday, UTC), the state's deadlines and the wait alike.
    const nextWorkingDay = (iso: string) => {
      let at = Date.parse(iso) + DAY;
      while ([0, 6].includes(new Date(at).getUTCDay())) at += DAY;
      return new Date(at).toISOString();
    };
    expect(after.deadlines).toEqual({ reminderAt: nextWorkingDay(before.reminderAt!), escalationAt: nextWorkingDay(before.escalationAt!), dueAt: nextWorkingDay(before.dueAt!) });
    await stack.env.sleep(Date.parse(before.dueAt!) - (await stack.env.currentTimeMs()) + 60_000);
    expect(((await handle.query(stateQuery)) as ArchitectureReviewState).outcome).toBeNull();
    const result = (await handle.result()) as ArchitectureReviewState;
    expect(result.outcome).toBe('sla_breached');
    expect(Date.parse(result.events.at(-1)!.at)).toBeGreaterThanOrEqual(Date.parse(after.deadlines!.dueAt!));
  });
});
