/**
 * The shipped EU AI Act catalogue against the legal texts: Regulation (EU) 2024/1689 (Arts. 5, 6(3), 27, 50, 113)
 * as amended by Regulation (EU) 2026/1744 (in force 27 July 2026), and the exact identifier sets of NIST AI RMF
 * 1.0 and ISO/IEC 42001:2023 Annex A.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { aiCompliancePolicyOf, runAiCompliance, type AiCompliancePolicy } from '../../../domain/engines/ai-compliance.js';
import { catalogueVersionAsOf, prohibitedPracticesAsOf } from '../../../domain/engines/eu-ai-act-calendar.js';
import type { EngineInputError } from '../../../domain/engines/errors.js';
import { defaultPolicyDir, loadPolicySet } from '../../../domain/policy/load.js';
import type { PolicySet } from '../../../domain/policy/types.js';
import { thrown } from './fixtures.js';

let set: PolicySet;
let policy: AiCompliancePolicy;
beforeAll(async () => {
  set = await loadPolicySet(defaultPolicyDir());
  policy = aiCompliancePolicyOf(set);
});

const flags = { annexISafetyComponent: false, interactsWithNaturalPersons: false, generatesSyntheticContent: false, emotionRecognitionOrBiometricCategorisation: false };
const assess = (asOf: string, intake: Record<string, unknown>) =>
  runAiCompliance({ system: 's', assessmentDate: '2026-06-01', asOf, intake: { ...flags, ...intake }, owners: { default: 'owner@example.com' } }, policy);
const obligation = (r: ReturnType<typeof assess>, key: string) => r.obligations.find((o) => o.key === key);
const applicable = (r: ReturnType<typeof assess>) => r.requirements.filter((q) => q.status !== 'not_applicable').map((q) => q.key);

describe('the regulatory calendar, as of a date', () => {
  it('an Annex III employment system as of 2026-12-01: high-risk obligations from 2 December 2027, set by Regulation (EU) 2026/1744', () => {
    const r = assess('2026-12-01', { annexIIIAreas: ['4'] });
    expect(r.classification.tier).toBe('high_risk');
    expect(r.catalogueVersion).toEqual({ version: '2026.1', act: 'reg_2026_1744', citation: 'OJ L, 2026/1744, 24.7.2026', inForceFrom: '2026-07-27' });
    expect(obligation(r, 'annex_iii_high_risk')).toMatchObject({
      status: 'upcoming',
      appliesFrom: '2027-12-02',
      roles: ['provider', 'deployer'],
      source: 'Art. 113, third para, point (c), as amended by Art. 1(40)(b)',
      act: { id: 'reg_2026_1744', url: 'https://eur-lex.europa.eu/eli/reg/2026/1744/oj' },
      catalogueVersion: '2026.1',
    });
  });

  it('the same system as of a date before the amendment entered into force: the original 2 August 2026', () => {
    const r = assess('2026-07-26', { annexIIIAreas: ['4'] });
    expect(r.catalogueVersion.version).toBe('2024.1');
    expect(obligation(r, 'annex_iii_high_risk')).toMatchObject({ status: 'upcoming', appliesFrom: '2026-08-02', act: { id: 'reg_2024_1689' }, source: 'Art. 113, second para (general date of application)' });
    expect(obligation(assess('2026-07-27', { annexIIIAreas: ['4'] }), 'annex_iii_high_risk')?.appliesFrom).toBe('2027-12-02');
  });

  it('Annex I safety components: 2 August 2027 before the amendment, 2 August 2028 after', () => {
    expect(obligation(assess('2026-01-01', { annexISafetyComponent: true }), 'annex_i_high_risk')?.appliesFrom).toBe('2027-08-02');
    expect(obligation(assess('2026-12-01', { annexISafetyComponent: true }), 'annex_i_high_risk')?.appliesFrom).toBe('2028-08-02');
  });

  it('reports what applies now and what later: AI literacy (Art. 4) applies since 2 February 2025 to every system', () => {
    const r = assess('2026-12-01', { annexIIIAreas: ['4'], interactsWithNaturalPersons: true, operatorRoles: ['provider'] });
    expect(r.obligations.map((o) => [o.key, o.status, o.appliesFrom])).toEqual([
      ['ai_literacy', 'applies', '2025-02-02'],
      ['transparency_interaction', 'applies', '2026-08-02'],
      ['annex_iii_high_risk', 'upcoming', '2027-12-02'],
    ]);
  });

  it('general-purpose AI models: Chapter V is Arts. 51 to 56, from 2 August 2025, for providers', () => {
    const gpai = set.catalogues.euAiAct.obligations.find((o) => o.key === 'general_purpose_ai_models')!;
    expect(gpai.title).toContain('Arts. 51-56');
    expect(gpai.articles).toEqual(['Art. 51', 'Art. 53', 'Art. 56']);
    expect(obligation(assess('2026-12-01', { generalPurposeAiModel: true }), gpai.key)).toMatchObject({ roles: ['provider'], appliesFrom: '2025-08-02', status: 'applies' });
  });

  it('the version in force before the regulation itself is the regulation as adopted', () => {
    expect(catalogueVersionAsOf(set.catalogues.euAiAct, '2024-01-01').version).toBe('2024.1');
  });
});

describe('Art. 5: the list of prohibited practices as of a date', () => {
  const original = ['Art. 5(1)(a)', 'Art. 5(1)(b)', 'Art. 5(1)(c)', 'Art. 5(1)(d)', 'Art. 5(1)(e)', 'Art. 5(1)(f)', 'Art. 5(1)(g)', 'Art. 5(1)(h)'];
  const points = (date: string, status?: 'applies' | 'upcoming') =>
    prohibitedPracticesAsOf(set.catalogues.euAiAct, date)
      .filter((p) => !status || p.status === status)
      .map((p) => p.point)
      .sort();

  it('before Regulation (EU) 2026/1744 entered into force: points (a) to (h), all applying since 2 February 2025', () => {
    expect(points('2026-07-26')).toEqual(original);
    expect(points('2026-07-26', 'upcoming')).toEqual([]);
  });

  it('from 27 July 2026: points (ba) and (bb) are law, prohibited from 2 December 2026', () => {
    expect(points('2026-12-01', 'applies')).toEqual(original);
    expect(points('2026-12-01', 'upcoming')).toEqual(['Art. 5(1)(ba)', 'Art. 5(1)(bb)']);
    expect(points('2026-12-02', 'applies')).toEqual([...original, 'Art. 5(1)(ba)', 'Art. 5(1)(bb)'].sort());
  });

  it('a system generating non-consensual intimate imagery is prohibited from 2 December 2026, and told so the day before', () => {
    const before = assess('2026-12-01', { prohibitedPractices: ['non_consensual_intimate_content'], generatesSyntheticContent: true });
    expect(before.classification).toMatchObject({ tier: 'transparency', blocked: false });
    expect(before.classification.reasons).toContain('Art. 5(1)(ba): Generating sexually explicit or intimate content of an identifiable person without consent: prohibited from 2026-12-02, not yet on 2026-12-01');
    expect(obligation(before, 'prohibited_practices')).toMatchObject({ status: 'upcoming', appliesFrom: '2026-12-02' });
    const after = assess('2026-12-02', { prohibitedPractices: ['non_consensual_intimate_content'], generatesSyntheticContent: true });
    expect(after.classification).toMatchObject({ tier: 'prohibited', blocked: true });
    expect(after.classification.reasons).toEqual([expect.stringMatching(/^Art\. 5\(1\)\(ba\)/)]);
  });
});

describe('Art. 50(2): the transition for generative systems already on the market (Art. 111(4))', () => {
  it('a system placed on the market before 2 August 2026 marks its output from 2 December 2026; a later one from 2 August 2026', () => {
    const early = assess('2026-09-01', { generatesSyntheticContent: true, placedOnMarket: '2026-03-01' });
    expect(obligation(early, 'transparency_marking')).toMatchObject({ status: 'upcoming', appliesFrom: '2026-12-02', source: 'Art. 111(4), inserted by Art. 1(39)(b) of Regulation (EU) 2026/1744' });
    expect(obligation(assess('2026-09-01', { generatesSyntheticContent: true, placedOnMarket: '2026-09-01' }), 'transparency_marking')).toMatchObject({ status: 'applies', appliesFrom: '2026-08-02' });
    // Before the amendment there was no transition.
    expect(obligation(assess('2026-07-01', { generatesSyntheticContent: true, placedOnMarket: '2026-03-01' }), 'transparency_marking')?.appliesFrom).toBe('2026-08-02');
  });

  it('a transparency-tier system is assessed on its own Art. 50 duties', () => {
    const chatbot = applicable(assess('2026-12-01', { interactsWithNaturalPersons: true }));
    expect(chatbot).toContain('ai_interaction_disclosed');
    expect(chatbot).not.toContain('synthetic_content_marked');
    const generator = applicable(assess('2026-12-01', { generatesSyntheticContent: true }));
    expect(generator.filter((k) => ['ai_interaction_disclosed', 'synthetic_content_marked', 'deep_fake_disclosed', 'emotion_biometric_exposure_disclosed'].includes(k))).toEqual(['synthetic_content_marked', 'deep_fake_disclosed']);
    // Art. 50(2) binds providers, Art. 50(4) deployers.
    expect(applicable(assess('2026-12-01', { generatesSyntheticContent: true, operatorRoles: ['deployer'] }))).not.toContain('synthetic_content_marked');
  });
});

describe('emotion recognition and biometric categorisation: Annex III point 1 and Art. 50(3)', () => {
  it('is high-risk, with the deployer’s duty to inform the persons exposed', () => {
    const r = assess('2026-12-01', { emotionRecognitionOrBiometricCategorisation: true });
    expect(r.classification).toMatchObject({ tier: 'high_risk', transparencyObligations: true });
    expect(r.classification.reasons[0]).toBe('Annex III area 1: Biometrics (Art. 6(2))');
    expect(obligation(r, 'transparency_emotion_biometric')).toMatchObject({ roles: ['deployer'], status: 'applies', appliesFrom: '2026-08-02' });
    expect(applicable(r)).toContain('emotion_biometric_exposure_disclosed');
  });
});

describe('Art. 27(1): who performs a fundamental rights impact assessment, and its elements (a) to (f)', () => {
  const FRIA_ITEMS = ['fria_deployer_processes', 'fria_period_and_frequency', 'fria_affected_persons', 'fria_specific_risks', 'fria_human_oversight', 'fria_risk_materialisation_measures'];
  const fria = (intake: Record<string, unknown>) => {
    const r = assess('2026-12-01', intake);
    return { obligation: obligation(r, 'fundamental_rights_impact_assessment'), items: applicable(r).filter((k) => k.startsWith('fria_')) };
  };

  it('the checklist has one item per element, (a) to (f), all tied to the Art. 27 obligation', () => {
    const domain = set.complianceChecklist.domains.find((d) => d.key === 'fundamental_rights_impact_assessment')!;
    expect(domain.items.map((i) => i.key)).toEqual(FRIA_ITEMS);
    expect(domain.items.map((i) => /\(Art\. 27\(1\)\(([a-f])\)\)$/.exec(i.title)?.[1])).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(new Set(domain.items.map((i) => i.obligation))).toEqual(new Set(['fundamental_rights_impact_assessment']));
  });

  it('binds public bodies and private entities providing public services deploying an Annex III system', () => {
    for (const deployerType of ['public_body', 'private_public_service']) {
      const r = fria({ annexIIIAreas: ['4'], deployerType });
      expect(r.obligation).toMatchObject({ roles: ['deployer'], appliesFrom: '2027-12-02', articles: ['Art. 27'] });
      expect(r.items).toEqual(FRIA_ITEMS);
    }
  });

  it('binds any deployer of an Annex III 5(b) or 5(c) system (creditworthiness, life and health insurance)', () => {
    expect(fria({ annexIIIAreas: ['5'], annexIIIPoints: ['5(b)'] }).items).toEqual(FRIA_ITEMS);
    expect(fria({ annexIIIAreas: ['5'], annexIIIPoints: ['5(c)'] }).items).toEqual(FRIA_ITEMS);
    expect(fria({ annexIIIAreas: ['5'], annexIIIPoints: ['5(a)'] }).obligation).toBeUndefined();
  });

  it('does not bind a private employer’s high-risk system, a point 2 (critical infrastructure) system, or a provider', () => {
    expect(fria({ annexIIIAreas: ['4'] })).toEqual({ obligation: undefined, items: [] });
    expect(fria({ annexIIIAreas: ['2'], deployerType: 'public_body' })).toEqual({ obligation: undefined, items: [] });
    expect(fria({ annexIIIAreas: ['4'], deployerType: 'public_body', operatorRoles: ['provider'] })).toEqual({ obligation: undefined, items: [] });
  });

  it('refuses a point outside the areas named', () => {
    const e = thrown(() => assess('2026-12-01', { annexIIIAreas: ['4'], annexIIIPoints: ['5(b)'] })) as EngineInputError;
    expect(e.fields).toEqual([{ path: 'intake.annexIIIPoints[0]', message: "the point's area is not among intake.annexIIIAreas" }]);
  });
});

describe('Art. 6(3): an Annex III system that poses no significant risk', () => {
  const derogation = { conditions: ['narrow_procedural_task'], documented: true };

  it('is not high-risk when a condition holds and the assessment is documented; the provider keeps the documentation duty', () => {
    const r = assess('2026-12-01', { annexIIIAreas: ['4'], derogation });
    expect(r.classification).toMatchObject({ tier: 'minimal', derogation: { claimed: true, effective: true, conditions: ['Art. 6(3)(a)'] } });
    expect(obligation(r, 'annex_iii_high_risk')).toBeUndefined();
    expect(obligation(r, 'non_high_risk_assessment_documented')).toMatchObject({ roles: ['provider'], appliesFrom: '2027-12-02', articles: ['Art. 6'] });
  });

  it('never when the system profiles natural persons', () => {
    const r = assess('2026-12-01', { annexIIIAreas: ['4'], derogation, profiling: true });
    expect(r.classification).toMatchObject({ tier: 'high_risk', derogation: { effective: false } });
    expect(r.classification.reasons).toContain('Art. 6(3), 6(4): an Annex III system that performs profiling of natural persons is always high-risk');
    expect(obligation(r, 'non_high_risk_assessment_documented')).toBeUndefined();
  });

  it('not without the documented assessment', () => {
    const r = assess('2026-12-01', { annexIIIAreas: ['4'], derogation: { ...derogation, documented: false } });
    expect(r.classification).toMatchObject({ tier: 'high_risk', derogation: { effective: false } });
    expect(obligation(r, 'annex_iii_high_risk')).toBeDefined();
  });

  it('the four conditions are points (a) to (d); an unknown one, or a claim without an Annex III area, is refused', () => {
    expect(set.catalogues.euAiAct.derogation.conditions.map((c) => c.point)).toEqual(['Art. 6(3)(a)', 'Art. 6(3)(b)', 'Art. 6(3)(c)', 'Art. 6(3)(d)']);
    const e = thrown(() => assess('2026-12-01', { derogation: { conditions: ['harmless'], documented: true } })) as EngineInputError;
    expect(e.fields.map((f) => f.path)).toEqual(['intake.derogation', 'intake.derogation.conditions[0]']);
  });
});

describe('control catalogues: the exact identifier sets', () => {
  const expand = (prefix: string, groups: [number, number][], sep = '.') => groups.flatMap(([g, n]) => Array.from({ length: n }, (_, i) => `${prefix}${g}${sep}${i + 1}`));

  it('NIST AI RMF 1.0: the 72 subcategories of NIST AI 100-1, Tables 1-4', () => {
    const expected = [
      ...expand('GOVERN ', [[1, 7], [2, 3], [3, 2], [4, 3], [5, 2], [6, 2]]),
      ...expand('MAP ', [[1, 6], [2, 3], [3, 5], [4, 2], [5, 2]]),
      ...expand('MEASURE ', [[1, 3], [2, 13], [3, 3], [4, 3]]),
      ...expand('MANAGE ', [[1, 4], [2, 4], [3, 2], [4, 3]]),
    ];
    expect(set.catalogues.nistAiRmf.controls.map((c) => c.id)).toEqual(expected);
  });

  it('ISO/IEC 42001:2023 Annex A: the 38 controls', () => {
    const ranges: [string, number, number][] = [['A.2.', 2, 4], ['A.3.', 2, 3], ['A.4.', 2, 6], ['A.5.', 2, 5], ['A.6.1.', 2, 3], ['A.6.2.', 2, 8], ['A.7.', 2, 6], ['A.8.', 2, 5], ['A.9.', 2, 4], ['A.10.', 2, 4]];
    const expected = ranges.flatMap(([p, from, to]) => Array.from({ length: to - from + 1 }, (_, i) => `${p}${from + i}`));
    expect(set.catalogues.iso42001.controls.map((c) => c.id)).toEqual(expected);
  });

  it('titles follow the source wording where it drifted (MAP 1.2, GOVERN 5.2, A.5.4)', () => {
    const title = (id: string) => [...set.catalogues.nistAiRmf.controls, ...set.catalogues.iso42001.controls].find((c) => c.id === id)!.title;
    expect(title('MAP 1.2')).toMatch(/capacities for establishing context reflect demographic diversity/);
    expect(title('GOVERN 5.2')).toMatch(/adjudicated feedback from relevant AI actors into system design and implementation/);
    expect(title('A.5.4')).toBe('Assessing AI system impact on individuals or groups of individuals');
  });
});
