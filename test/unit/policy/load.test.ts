import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { defaultPolicyDir, loadPolicySet, PolicyValidationError } from '../../../domain/policy/load.js';
import { parseDurationRange } from '../../../domain/policy/duration.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the default policy folder to break on purpose. */
function copyDefaults(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'govflow-policy-'));
  dirs.push(dir);
  cpSync(defaultPolicyDir(), dir, { recursive: true });
  return dir;
}

function edit(dir: string, file: string, change: (text: string) => string): void {
  const p = path.join(dir, file);
  const before = readFileSync(p, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before); // the edit must apply, or the test proves nothing
  writeFileSync(p, after);
}

async function errorsOf(dir: string): Promise<string[]> {
  try {
    await loadPolicySet(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyValidationError);
    return (err as PolicyValidationError).message.split('\n').map((line) => line.replace(`${path.relative(process.cwd(), dir)}/`, 'policies/'));
  }
  throw new Error('expected the policy set to be refused');
}

describe('the default policy set', () => {
  it('loads and carries the framework values', async () => {
    const p = await loadPolicySet(defaultPolicyDir());
    expect(p.decisionCriteria.criteria.map((c) => [c.key, c.weight])).toEqual([
      ['strategic_alignment', 0.25],
      ['technical_excellence', 0.2],
      ['implementation_feasibility', 0.2],
      ['risk_management', 0.15],
      ['long_term_value', 0.2],
    ]);
    expect(p.performanceAssessment.dimensions.map((d) => [d.key, d.weight])).toEqual([
      ['technical_expertise', 0.3],
      ['delivery_excellence', 0.25],
      ['collaboration_leadership', 0.25],
      ['business_impact', 0.2],
    ]);
    expect(p.roadmap.phases.map((ph) => [ph.key, ph.duration])).toEqual([
      ['phase_1_assessment', { minDays: 28, maxDays: 42 }],
      ['phase_2_strategy', { minDays: 28, maxDays: 56 }],
      ['phase_3_execution_planning', { minDays: 14, maxDays: 28 }],
    ]);
    expect(p.innovation.portfolioBalance.map((b) => b.share)).toEqual([0.7, 0.2, 0.1]);
    expect(p.ctoServiceModel.engagementTypes.map((e) => [e.key, e.duration])).toEqual([
      ['interim_cto', { minDays: 180, maxDays: 540 }],
      ['advisory_cto', { minDays: 0, maxDays: null }],
      ['project_cto', { minDays: 90, maxDays: 360 }],
    ]);
    expect(p.ctoServiceModel.reporting.map((r) => [r.key, r.intervalDays])).toEqual([
      ['board_reporting', 30],
      ['executive_updates', 7],
      ['stakeholder_communication', null],
      ['technical_reviews', 14],
    ]);
    expect(p.teamStructures.map((t) => [t.key, t.size])).toEqual([
      ['cross_functional_ai_team', { min: 8, max: 12 }],
      ['specialized_ai_research_team', { min: 4, max: 6 }],
    ]);
    expect(p.architectureReview.participants.map((x) => x.role)).toEqual(['technical_lead', 'enterprise_architect', 'security_architect', 'domain_expert']);
    expect(p.aiGovernance.committee.meetingCadence).toBe('monthly');
    expect(p.version.id).toMatch(/^1\.1\.0\+[0-9a-f]{12}$/);
  });

  it('has complete control catalogues: NIST AI RMF 4/19/72, ISO/IEC 42001 Annex A 38', async () => {
    const { catalogues } = await loadPolicySet(defaultPolicyDir());
    const nist = catalogues.nistAiRmf.controls;
    expect(new Set(nist.map((c) => c.id.split(' ')[0]))).toEqual(new Set(['GOVERN', 'MAP', 'MEASURE', 'MANAGE']));
    expect(new Set(nist.map((c) => c.group)).size).toBe(19);
    expect(nist).toHaveLength(72);
    const perFunction = Object.fromEntries(['GOVERN', 'MAP', 'MEASURE', 'MANAGE'].map((f) => [f, nist.filter((c) => c.id.startsWith(`${f} `)).length]));
    expect(perFunction).toEqual({ GOVERN: 19, MAP: 18, MEASURE: 22, MANAGE: 13 });
    // Identifiers that published trackers invent and that do not exist.
    expect(nist.map((c) => c.id)).not.toContain('MANAGE 3.3');
    expect(nist.map((c) => c.id)).not.toContain('MANAGE 4.4');
    const iso = catalogues.iso42001.controls.map((c) => c.id);
    expect(iso).toHaveLength(38);
    expect(iso).toContain('A.6.2.8');
    expect(iso.filter((id) => id.startsWith('A.10'))).toEqual(['A.10.2', 'A.10.3', 'A.10.4']);
    expect(catalogues.euAiAct.tiers.map((t) => t.tier)).toEqual(['prohibited', 'high_risk', 'transparency', 'minimal']);
    expect(catalogues.euAiAct.prohibitedPractices.find((p) => p.point === 'Art. 5(1)(a)')?.from).toBe('2025-02-02');
  });

  it('maps every checklist item to controls that exist: five items in each of the four framework domains, then Art. 50 and Art. 27', async () => {
    const p = await loadPolicySet(defaultPolicyDir());
    expect(p.complianceChecklist.domains.map((d) => [d.key, d.items.length])).toEqual([
      ['data_protection', 5],
      ['algorithmic_accountability', 5],
      ['security_requirements', 5],
      ['operational_governance', 5],
      ['transparency_obligations', 4],
      ['fundamental_rights_impact_assessment', 6],
    ]);
    const nist = new Set(p.catalogues.nistAiRmf.controls.map((c) => c.id));
    const iso = new Set(p.catalogues.iso42001.controls.map((c) => c.id));
    const eu = new Set(p.catalogues.euAiAct.articles.map((a) => a.id));
    for (const item of p.complianceChecklist.domains.flatMap((d) => d.items)) {
      expect(item.controls.nistAiRmf.length, item.key).toBeGreaterThan(0);
      for (const id of item.controls.nistAiRmf) expect(nist.has(id), `${item.key}: ${id}`).toBe(true);
      for (const id of item.controls.iso42001) expect(iso.has(id), `${item.key}: ${id}`).toBe(true);
      for (const id of item.controls.euAiAct) expect(eu.has(id), `${item.key}: ${id}`).toBe(true);
    }
  });
});

describe('a broken policy folder is refused with a precise message', () => {
  it.each([
    [
      'weights that do not sum to 1',
      'decision-criteria.yaml',
      (t: string) => t.replace('weight: 0.25', 'weight: 0.20'),
      'policies/decision-criteria.yaml: criteria weights sum to 0.95; they must sum to 1.00',
    ],
    [
      'an unknown reviewer role',
      'architecture-review.yaml',
      (t: string) => t.replace('{ role: domain_expert, required: true }', '{ role: domain_guru, required: true }'),
      'policies/architecture-review.yaml: participants[3].role: unknown role "domain_guru" (roles are declared in roles.yaml)',
    ],
    [
      'a permission naming an undeclared role',
      'roles.yaml',
      (t: string) => t.replace('architecture_review: { start: [requester] }', 'architecture_review: { start: [requestor] }'),
      'policies/roles.yaml: permissions.architecture_review.start[0]: unknown role "requestor" (roles are declared in roles.yaml)',
    ],
    [
      'a permission for an unknown scope',
      'roles.yaml',
      (t: string) => t.replace('architecture_review: { start: [requester] }', 'architecture_reviews: { start: [requester] }'),
      'policies/roles.yaml: permissions.architecture_reviews: unknown scope "architecture_reviews" (expected one of architecture_review, ethical_review, committee_approval, poc_scale_up, roadmap_engagement, cto_engagement, retrospective, technical_decision_evaluation, technology_proposal_evaluation, strategic_initiative_evaluation, performance_assessment, ai_compliance_assessment, incident, obligation, ai_system, monitoring_review, audit, reports)',
    ],
    [
      'a mutually exclusive pair naming an undeclared role',
      'roles.yaml',
      (t: string) => t.replace('mutuallyExclusiveRoles: []', 'mutuallyExclusiveRoles: [[requester, auditor]]'),
      'policies/roles.yaml: segregationOfDuties.default.mutuallyExclusiveRoles[0][1]: unknown role "auditor" (roles are declared in roles.yaml)',
    ],
    [
      'an unknown control ID',
      'compliance-checklist.yaml',
      (t: string) => t.replace('nistAiRmf: [MANAGE 4.3, MANAGE 2.4]', 'nistAiRmf: [MANAGE 4.4, MANAGE 2.4]'),
      'policies/compliance-checklist.yaml: domains[2].items[4].controls.nistAiRmf[0]: unknown control ID "MANAGE 4.4"',
    ],
    [
      'an amendment written over the original date instead of as a new version',
      'catalogues/eu-ai-act.yaml',
      (t: string) => t.replace("- { version: '2024.1', from: 2027-08-02, act: reg_2024_1689", "- { version: '2026.1', from: 2027-08-02, act: reg_2024_1689"),
      'policies/catalogues/eu-ai-act.yaml: obligations[4].schedule[0].version: the first entry must be catalogue version "2024.1"',
    ],
    [
      'a schedule citing a catalogue version that does not exist',
      'catalogues/eu-ai-act.yaml',
      (t: string) => t.replace("- { version: '2026.1', from: 2027-12-02, act: reg_2026_1744, source: \"Art. 113, third para, point (c), as amended by Art. 1(40)(b)\" }", "- { version: '2026.2', from: 2027-12-02, act: reg_2026_1744, source: x }"),
      'policies/catalogues/eu-ai-act.yaml: obligations[3].schedule[1].version: unknown catalogue version "2026.2"',
    ],
    [
      'a checklist item tied to an obligation the calendar lacks',
      'compliance-checklist.yaml',
      (t: string) => t.replace('obligation: transparency_deep_fake', 'obligation: transparency_deepfake'),
      'policies/compliance-checklist.yaml: domains[4].items[3].obligation: unknown EU AI Act obligation "transparency_deepfake"',
    ],
    [
      'a bad duration',
      'roadmap.yaml',
      (t: string) => t.replace('duration: 4-8_weeks', 'duration: four_to_eight_weeks'),
      'policies/roadmap.yaml: phases[1].duration: "four_to_eight_weeks" is not a duration; write e.g. 4-6_weeks, 2_weeks, 3-12_months, P4W-P6W or ongoing',
    ],
    [
      'a duration whose minimum exceeds its maximum',
      'roadmap.yaml',
      (t: string) => t.replace('duration: 2-4_weeks', 'duration: 4-2_weeks'),
      'policies/roadmap.yaml: phases[2].duration: "4-2_weeks": the minimum (4) is greater than the maximum (2)',
    ],
    [
      'a missing phase',
      'roadmap.yaml',
      (t: string) => t.replace('- key: phase_2_strategy', '- key: phase_2_strategising'),
      'policies/roadmap.yaml: phases: phase "phase_2_strategy" is missing',
    ],
    [
      'a duplicate criterion',
      'decision-criteria.yaml',
      (t: string) => t.replace('- key: long_term_value', '- key: strategic_alignment'),
      'policies/decision-criteria.yaml: criteria: duplicate criterion key "strategic_alignment"',
    ],
    [
      'a misspelt setting',
      'architecture-review.yaml',
      (t: string) => t.replace('maxRounds: 3', 'maxRound: 3'),
      'policies/architecture-review.yaml: outcome: Unrecognized key: "maxRound"',
    ],
    [
      'invalid YAML',
      'innovation.yaml',
      (t: string) => t.replace('portfolioTolerance: 0.05', 'portfolioTolerance: [0.05'),
      /^policies\/innovation\.yaml: invalid YAML at line \d+: /,
    ],
    [
      'escalation timers out of order',
      'ai-governance.yaml',
      (t: string) => t.replace('escalateAfterDays: 21', 'escalateAfterDays: 60'),
      'policies/ai-governance.yaml: committee.escalation: reminderAfterDays < escalateAfterDays < slaBreachAfterDays must hold',
    ],
    [
      'a NIST catalogue that lost a subcategory',
      'catalogues/nist-ai-rmf-1.0.yaml',
      (t: string) => t.replace(/^ {2}- \{ id: MAP 5\.2,.*\n/m, ''),
      'policies/catalogues/nist-ai-rmf-1.0.yaml: controls: NIST AI RMF 1.0 has 4 functions, 19 categories and 72 subcategories; this catalogue has 4, 19 and 71',
    ],
  ])('%s', async (_name, file, change, expected) => {
    const dir = copyDefaults();
    edit(dir, file, change);
    const errors = await errorsOf(dir);
    if (typeof expected === 'string') expect(errors).toContain(expected);
    else expect(errors.some((e) => expected.test(e)), errors.join('\n')).toBe(true);
  });

  it('names a missing file', async () => {
    const dir = copyDefaults();
    unlinkSync(path.join(dir, 'teams.yaml'));
    expect(await errorsOf(dir)).toEqual(['policies/teams.yaml: file is missing']);
  });

  it('reports problems in several files at once', async () => {
    const dir = copyDefaults();
    edit(dir, 'performance-assessment.yaml', (t) => t.replace('weight: 0.30', 'weight: 0.40'));
    edit(dir, 'innovation.yaml', (t) => t.replace('share: 0.10', 'share: 0.20'));
    edit(dir, 'roadmap.yaml', (t) => t.replace('escalateToRole: executive_sponsor', 'escalateToRole: ceo'));
    const errors = await errorsOf(dir);
    expect(errors).toEqual(
      expect.arrayContaining([
        'policies/performance-assessment.yaml: dimension weights sum to 1.10; they must sum to 1.00',
        'policies/innovation.yaml: portfolio shares sum to 1.10; they must sum to 1.00',
        'policies/roadmap.yaml: escalation.escalateToRole: unknown role "ceo" (roles are declared in roles.yaml)',
      ]),
    );
  });
});

describe('policy versions', () => {
  it('keep their hash when a file is only reformatted or reordered, and change it when a value changes', async () => {
    const original = await loadPolicySet(defaultPolicyDir());
    const dir = copyDefaults();
    const file = path.join(dir, 'decision-criteria.yaml');
    const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(doc).reverse());
    writeFileSync(file, `# reformatted\n${stringify(reordered, { indent: 4 })}`);
    expect((await loadPolicySet(dir)).version).toEqual(original.version);

    edit(dir, 'decision-criteria.yaml', (t) => t.replace('noClearWinnerMargin: 0.25', 'noClearWinnerMargin: 0.5'));
    const changed = await loadPolicySet(dir);
    expect(changed.version.semver).toBe(original.version.semver);
    expect(changed.version.contentHash).not.toBe(original.version.contentHash);
    expect(changed.decisionCriteria.noClearWinnerMargin).toBe(0.5);
  });
});

describe('durations', () => {
  it.each([
    ['4-6_weeks', { minDays: 28, maxDays: 42 }],
    ['2_weeks', { minDays: 14, maxDays: 14 }],
    ['6-18_months', { minDays: 180, maxDays: 540 }],
    ['10_days', { minDays: 10, maxDays: 10 }],
    ['ongoing', { minDays: 0, maxDays: null }],
    ['P4W-P6W', { minDays: 28, maxDays: 42 }],
    ['P2W', { minDays: 14, maxDays: 14 }],
    ['P6M-P18M', { minDays: 180, maxDays: 540 }],
    ['PT6H-P1D', { minDays: 0.25, maxDays: 1 }],
  ])('%s', (text, expected) => {
    expect(parseDurationRange(text)).toEqual(expected);
  });

  it.each([['P6W-P4W', 'the minimum is greater than the maximum'], ['P1W-P2W-P3W', 'not a duration range'], ['P4W-6W', 'not an ISO 8601 duration'], ['P0D', 'longer than zero']])('refuses %s', (text, message) => {
    expect(parseDurationRange(text)).toContain(message);
  });
});

describe('durations and calendars', () => {
  it('takes ISO 8601 delays in calendar or working time, and pins the calendar a working delay counts in', async () => {
    const dir = copyDefaults();
    edit(dir, 'architecture-review.yaml', (t) =>
      t.replace('  reminderAfterDays: 3\n  escalateAfterDays: 7\n  slaBreachAfterDays: 14\n', '  reminderAfter: PT10M\n  escalateAfter: { duration: PT4H, time: working }\n  slaBreachAfter: { duration: P5D, time: working }\n'),
    );
    const policy = await loadPolicySet(dir);
    const e = policy.architectureReview.escalation;
    expect([e.reminderAfter, e.escalateAfter, e.slaBreachAfter]).toEqual([
      { duration: 'PT10M', time: 'calendar' },
      { duration: 'PT4H', time: 'working' },
      { duration: 'P5D', time: 'working' },
    ]);
    expect(e.reminderAfterDays).toBeUndefined();
    expect(e.calendar).toMatchObject({ key: 'default', timeZone: 'Europe/Brussels', workingDays: [1, 2, 3, 4, 5], workingHours: { start: 540, end: 1020 } });
    expect(e.calendar!.offsets.length).toBeGreaterThan(40);
    // Whole days name no calendar: they count UTC days, as they always did.
    expect(policy.aiGovernance.committee.escalation.calendar).toBeUndefined();
    expect(policy.calendars?.timeZone).toBe('Europe/Brussels');
    // "Monthly on day 1" reporting runs in the organisation's time zone.
    expect(policy.ctoServiceModel.reporting.find((r) => r.key === 'board_reporting')).toEqual({ key: 'board_reporting', cadence: 'monthly', intervalDays: 30, dayOfMonth: 1, at: 540, timeZone: 'Europe/Brussels', report: 'board_report' });
    expect(policy.ctoServiceModel.reporting.find((r) => r.key === 'executive_updates')).toEqual({ key: 'executive_updates', cadence: 'weekly', intervalDays: 7, report: 'executive_update' });
  });

  it('refuses a day of the month for a cadence that is not monthly or quarterly, and an unknown time zone', async () => {
    const dir = copyDefaults();
    edit(dir, 'cto-service-model.yaml', (t) => t.replace('{ key: executive_updates, cadence: weekly,', '{ key: executive_updates, cadence: weekly, dayOfMonth: 3,'));
    edit(dir, 'calendars.yaml', (t) => t.replace('timeZone: Europe/Brussels            #', 'timeZone: Europe/Atlantis            #'));
    expect(await errorsOf(dir)).toEqual([
      'policies/cto-service-model.yaml: reporting[1].dayOfMonth: a day of the month is for a monthly or quarterly cadence',
      'policies/calendars.yaml: timeZone: expected an IANA time zone such as Europe/Brussels',
    ]);
  });

  it('refuses a step given twice or not at all, a bad duration, months in working time, steps out of order and an unknown calendar', async () => {
    const dir = copyDefaults();
    edit(dir, 'architecture-review.yaml', (t) => t.replace('  reminderAfterDays: 3\n', '  reminderAfterDays: 3\n  reminderAfter: P3D\n').replace('  escalateAfterDays: 7\n', ''));
    edit(dir, 'roadmap.yaml', (t) => t.replace(/ {2}reminderAfterDays: \d+\n/, '  reminderAfter: 3 days\n'));
    edit(dir, 'ai-governance.yaml', (t) =>
      t
        .replace(/(committee:[\s\S]*?escalation:\n)(\s+)reminderAfterDays: \d+\n\s+escalateAfterDays: \d+\n/, '$1$2reminderAfter: { duration: P1M, time: working }\n$2escalateAfter: P1D\n')
        .replace(/(ethicalReviewBoard:[\s\S]*?escalation:\n)(\s+)reminderAfterDays: \d+\n\s+escalateAfterDays: \d+\n\s+slaBreachAfterDays: \d+\n/, '$1$2reminderAfter: P2D\n$2escalateAfter: P1D\n$2slaBreachAfter: P3D\n$2calendar: nowhere\n'),
    );
    const errors = await errorsOf(dir);
    expect(errors).toEqual(
      expect.arrayContaining([
        'policies/architecture-review.yaml: escalation.reminderAfter: give either reminderAfterDays (whole days) or reminderAfter (an ISO 8601 duration), not both',
        'policies/architecture-review.yaml: escalation.escalateAfterDays: give either escalateAfterDays (whole days) or escalateAfter (an ISO 8601 duration), not neither',
        'policies/roadmap.yaml: escalation.reminderAfter: "3 days" is not an ISO 8601 duration; write e.g. PT10M, PT4H, P3D, P2W or P1M',
        'policies/ai-governance.yaml: committee.escalation.reminderAfter: working time counts weeks, days, hours and minutes, not months or years',
      ]),
    );
    // Cross-file rules run once every file parses.
    const fixed = copyDefaults();
    edit(fixed, 'ai-governance.yaml', (t) => t.replace(/(ethicalReviewBoard:[\s\S]*?escalation:\n)(\s+)/, '$1$2calendar: nowhere\n$2'));
    edit(fixed, 'architecture-review.yaml', (t) => t.replace('  reminderAfterDays: 3\n  escalateAfterDays: 7\n  slaBreachAfterDays: 14\n', '  reminderAfter: P2D\n  escalateAfter: PT1H\n  slaBreachAfter: P3D\n'));
    expect(await errorsOf(fixed)).toEqual([
      'policies/architecture-review.yaml: escalation: the reminder must come before the escalation, and the escalation before the SLA breach',
      'policies/ai-governance.yaml: ethicalReviewBoard.escalation.calendar: unknown calendar "nowhere" (calendars are declared in calendars.yaml)',
    ]);
  });

  it('loads a folder without calendars.yaml (from before calendars): delays in UTC days, as before', async () => {
    const dir = copyDefaults();
    unlinkSync(path.join(dir, 'calendars.yaml'));
    const [without, withDefaults] = [await loadPolicySet(dir), await loadPolicySet(defaultPolicyDir())];
    expect(without.version.contentHash).not.toBe(withDefaults.version.contentHash);
    expect(without.calendars).toMatchObject({ timeZone: 'UTC', calendars: [{ key: 'default', timeZone: 'UTC', holidays: [] }] });
    expect(without.architectureReview.escalation).toEqual(withDefaults.architectureReview.escalation);
  });

  it('loads a folder without decision-records.yaml (from before ADRs): one collection, the engine\'s rings, an empty radar', async () => {
    const dir = copyDefaults();
    unlinkSync(path.join(dir, 'decision-records.yaml'));
    const { decisionRecords } = await loadPolicySet(dir);
    expect(decisionRecords.adr.collections).toEqual([{ key: 'architecture', title: 'Architecture decisions', kinds: ['architecture_review', 'technical_decision_evaluation', 'technology_proposal_evaluation'] }]);
    expect(decisionRecords.techRadar.rings.map((r) => r.id)).toEqual(['adopt', 'trial', 'assess', 'hold']);
    expect(decisionRecords.techRadar.entries).toEqual([]);
  });
});
