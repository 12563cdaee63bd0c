import { describe, expect, it } from 'vitest';
import { policyImpact, type ImpactReport, type RecordedProcess } from '../../../domain/policy/impact.js';
import { impactMarkdown } from '../../../domain/policy/impact-markdown.js';
import { defaultPolicyDir, loadPolicySet } from '../../../domain/policy/load.js';
import type { PolicySet } from '../../../domain/policy/types.js';

const open = (kind: string, policyVersion: string): RecordedProcess => ({ workflowId: `${kind}/X`, kind, title: 'X', requester: 'rita', policyVersion, outcome: null, slaDueAt: null, state: {} });

describe('policy impact replay (pure)', () => {
  it('reports a changed decision rule of an open review without flagging it, and a draft that refuses a recorded input as flagged', async () => {
    const current = await loadPolicySet(defaultPolicyDir());
    const draft: PolicySet = structuredClone(current);
    draft.architectureReview.outcome.unanimousRequired = !current.architectureReview.outcome.unanimousRequired;
    draft.catalogues.euAiAct.prohibitedPractices = current.catalogues.euAiAct.prohibitedPractices.filter((p) => p.key !== 'social_scoring');
    const input = {
      system: 's',
      assessmentDate: '2026-06-01',
      intake: { prohibitedPractices: ['social_scoring'], annexIIIAreas: [], annexISafetyComponent: false, interactsWithNaturalPersons: false, generatesSyntheticContent: false, emotionRecognitionOrBiometricCategorisation: false },
      owners: { default: 'owner@example.com', byDomain: { security_requirements: 'sec@example.com' } },
    };
    const report = policyImpact(
      draft,
      { evaluations: [{ workflowId: 'ai-compliance-assessment/S', engine: 'ai_compliance', subject: 'S', input, result: {}, policyVersion: current.version.id }], processes: [open('architecture_review', current.version.id), open('architecture_review', 'unknown')] },
      (id) => (id === current.version.id ? current : undefined),
      '2026-12-01',
    );
    expect(report.examined).toEqual({ evaluations: 1, processes: 2 });
    expect(report.processes).toEqual([
      expect.objectContaining({ workflowId: 'architecture_review/X', changes: [expect.objectContaining({ kind: 'review_rule', subject: 'outcome.unanimousRequired', flagged: false })] }),
    ]);
    expect(report.evaluations).toEqual([
      expect.objectContaining({ owners: ['owner@example.com', 'sec@example.com'], changes: [expect.objectContaining({ kind: 'refused', after: expect.stringContaining('intake.prohibitedPractices[0]'), flagged: true })] }),
    ]);
    expect(report.flagged).toBe(1);
  });
});

describe('policy impact replay of architecture reviews', () => {
  const rulings = (policy: PolicySet, overrides: Record<string, string> = {}) => ({ ...Object.fromEntries(policy.architectureReview.approvalCriteria.map((c) => [c, 'approve'])), ...overrides });
  const vote = (role: string, r: Record<string, string>, round = 1) => ({ role, round, rulings: r });
  const review = (id: string, policyVersion: string, outcome: string | null, votes: unknown[], history: unknown[] = []): RecordedProcess => ({
    workflowId: `architecture-review/${id}`, kind: 'architecture_review', title: id, requester: 'rita', policyVersion, outcome, slaDueAt: outcome ? null : new Date('2026-12-20T10:00:00Z'), state: { votes, history },
  });

  it('re-decides recorded votes under a draft outcome rule, criteria and participants, and moves the timers of open reviews', async () => {
    const current = await loadPolicySet(defaultPolicyDir());
    const v = current.version.id;
    // Under unanimity the domain expert's rejection of scalability rejects; three approvals of four carry without it.
    const rejectedByOne = review('ONE-REJECTS', v, 'rejected', [
      vote('technical_lead', rulings(current)), vote('enterprise_architect', rulings(current)), vote('security_architect', rulings(current)),
      vote('domain_expert', rulings(current, { scalability_validation: 'reject' })),
    ]);
    // A blocking role's rejection rejects under either rule.
    const blocked = review('BLOCKED', v, 'rejected', [vote('security_architect', rulings(current, { security_assessment_approval: 'reject' }))]);
    // Round 1 asked for changes; round 2 approved.
    const secondRound = review('ROUND-2', v, 'approved', ['technical_lead', 'enterprise_architect', 'security_architect', 'domain_expert'].map((r) => vote(r, rulings(current), 2)), [
      ...['technical_lead', 'enterprise_architect', 'security_architect'].map((r) => vote(r, rulings(current))),
      vote('domain_expert', rulings(current, { maintainability_review_pass: 'request_changes' })),
    ]);
    const open = review('OPEN', v, null, [vote('technical_lead', rulings(current))]);

    const byMajority: PolicySet = structuredClone(current);
    byMajority.architectureReview.outcome.unanimousRequired = false;
    byMajority.architectureReview.escalation.slaBreachAfterDays! += 7;
    const report = policyImpact(byMajority, { evaluations: [], processes: [rejectedByOne, blocked, secondRound, open] }, () => current, '2026-12-01');
    const changes = Object.fromEntries(report.processes.map((p) => [p.title, p.changes.map((c) => [c.kind, c.subject, c.before, c.after, c.flagged])]));
    expect(changes).toEqual({
      'ONE-REJECTS': [['review_rule', 'outcome.unanimousRequired', true, false, false], ['review_outcome', 'round.1', 'rejected', 'approved', true]],
      BLOCKED: [['review_rule', 'outcome.unanimousRequired', true, false, false]],
      'ROUND-2': [['review_rule', 'outcome.unanimousRequired', true, false, false]],
      OPEN: [
        ['timer', 'escalation.slaBreachAfterDays', '2026-12-20T10:00:00.000Z', '2026-12-27T10:00:00.000Z', true],
        ['review_rule', 'outcome.unanimousRequired', true, false, false],
      ],
    });
    expect(report.processes.find((p) => p.title === 'ONE-REJECTS')!.changes[1]!.detail).toBe("the recorded votes of round 1 would be approved instead of rejected under the draft's criteria and outcome rule");

    // Without the maintainability criterion, round 1 of ROUND-2 approves; a new required role leaves every round pending.
    const fewerCriteria: PolicySet = structuredClone(current);
    fewerCriteria.architectureReview.approvalCriteria = current.architectureReview.approvalCriteria.filter((c) => c !== 'maintainability_review_pass');
    const flips = policyImpact(fewerCriteria, { evaluations: [], processes: [secondRound] }, () => current, '2026-12-01').processes[0]!.changes.filter((c) => c.kind === 'review_outcome');
    expect(flips.map((c) => [c.subject, c.before, c.after])).toEqual([['round.1', 'changes_requested', 'approved']]);
    const moreRoles: PolicySet = structuredClone(current);
    moreRoles.architectureReview.participants = [...current.architectureReview.participants, { role: 'data_protection_officer', required: true }];
    const pending = policyImpact(moreRoles, { evaluations: [], processes: [rejectedByOne] }, () => current, '2026-12-01').processes[0]!.changes;
    expect(pending.map((c) => [c.kind, c.before, c.after])).toEqual([['review_outcome', 'rejected', 'pending on data_protection_officer']]);
  });
});

describe('the impact report in Markdown', () => {
  const report: ImpactReport = {
    draftVersion: '1.2.0+abc',
    asOf: '2026-12-01',
    examined: { evaluations: 3, processes: 1 },
    evaluations: [
      {
        workflowId: 'ai-compliance-assessment/CV', what: 'ai_compliance', title: 'CV *screening* | v2', owners: ['hr@example.com'], policyVersion: '1.0.0+old',
        changes: [
          { kind: 'score', subject: 'score', before: 60, after: 62, detail: 'score 60 → 62', flagged: false },
          { kind: 'obligation_date', subject: 'annex_iii_high_risk', before: '2026-08-02', after: '2027-12-02', detail: 'High-risk obligations: applies from 2027-12-02 instead of 2026-08-02 (Art. 113)', flagged: true },
        ],
      },
    ],
    processes: [],
    flagged: 1,
  };

  it('says what is flagged first, for whom, under which pinned version, with recorded text escaped', () => {
    expect(impactMarkdown(report)).toBe(
      [
        '# Policy impact of draft 1.2.0+abc, as of 2026-12-01',
        '',
        "**1 flagged change** for the committee's attention. Examined 3 recorded evaluations and 1 process; 1 evaluation and 0 processes would change.",
        '',
        '## Evaluations',
        '',
        '### CV \\*screening\\* \\| v2',
        '',
        'ai compliance `ai-compliance-assessment/CV` · pinned policy 1.0.0+old · owners: hr@example.com',
        '',
        '- **flagged** · obligation date · `annex_iii_high_risk`: High-risk obligations: applies from 2027-12-02 instead of 2026-08-02 (Art. 113)',
        '- score · `score`: score 60 → 62',
        '',
      ].join('\n'),
    );
  });

  it('fits a bound, leaving out the entries past it and saying so', () => {
    const many = { ...report, evaluations: Array.from({ length: 40 }, (_, i) => ({ ...report.evaluations[0]!, workflowId: `ai-compliance-assessment/CV-${i}` })) };
    const full = impactMarkdown(many);
    const bounded = impactMarkdown(many, 2000);
    expect(full.length).toBeGreaterThan(2000);
    expect(bounded.length).toBeLessThanOrEqual(2000);
    const shown = bounded.split('\n### ').length - 1;
    expect(shown).toBeGreaterThan(0);
    expect(bounded).toContain(`_${40 - shown} more entries left out here: see the full report (\`govflow policy impact\`, JSON)._`);
  });

  it('says so when nothing would change', () => {
    expect(impactMarkdown({ ...report, evaluations: [], flagged: 0 })).toContain('**0 flagged changes** for the committee\'s attention. Examined 3 recorded evaluations and 1 process; nothing recorded would change.');
  });
});

describe('policy impact on timers in ISO 8601 and working time', () => {
  it('moves an open review’s SLA by what the draft’s delay counts from the same start, and names the delays read as durations', async () => {
    const current = await loadPolicySet(defaultPolicyDir());
    const draft: PolicySet = structuredClone(current);
    const { reminderAfterDays: _r, slaBreachAfterDays: _s, ...rest } = current.architectureReview.escalation;
    // The default calendar, Brussels working days; the pinned SLA of 14 calendar days ends Friday 2027-05-21 at 10:00 Brussels.
    draft.architectureReview.escalation = { ...rest, reminderAfter: { duration: 'PT4H', time: 'calendar' }, slaBreachAfter: { duration: 'P10D', time: 'working' }, calendar: current.calendars!.calendars[0]! };
    const review: RecordedProcess = { ...open('architecture_review', current.version.id), slaDueAt: new Date('2027-05-21T08:00:00Z') };
    const report = policyImpact(draft, { evaluations: [], processes: [review] }, () => current, '2026-12-01');
    // The wait started Friday 2027-05-07; ten working days later, past the weekends and Whit Monday (17th), is Monday 2027-05-24.
    expect(report.processes[0]!.changes.map((c) => [c.subject, c.before, c.after, c.detail])).toEqual([
      ['escalation.reminderAfter', 'P3D', 'PT4H', 'reminderAfter: 3 days → 4 hours'],
      ['escalation.slaBreachAfter', '2027-05-21T08:00:00.000Z', '2027-05-24T08:00:00.000Z', 'slaBreachAfter: 14 days → 10 days (working time) (calendar none → default)'],
    ]);
    expect(report.flagged).toBe(2);
  });
});
