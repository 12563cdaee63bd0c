import { beforeAll, describe, expect, it } from 'vitest';
import { AI_SYSTEM_STAGES } from '../../../domain/inventory/lifecycle.js';
import { aiPortfolio, type PortfolioLink, type PortfolioSystem } from '../../../domain/inventory/portfolio.js';
import { defaultPolicyDir, loadPolicySet } from '../../../domain/policy/load.js';
import type { EuAiActTier } from '../../../domain/policy/types.js';

let tiers: EuAiActTier[];
beforeAll(async () => {
  tiers = (await loadPolicySet(defaultPolicyDir())).catalogues.euAiAct.tiers.map((t) => t.tier);
});

const GENERATED = '2026-12-10T09:00:00.000Z';
const link = (workflowId: string, over: Partial<PortfolioLink> = {}): PortfolioLink => ({
  workflowId,
  kind: workflowId.split('/')[0]!.replace(/-/g, '_'),
  title: `Process ${workflowId}`,
  openedAt: '2026-10-01T08:00:00.000Z',
  status: 'open',
  overdue: false,
  ...over,
});
const system = (key: string, riskTier: string | null, stage: string, links: PortfolioLink[] = [], openRisks = 0): PortfolioSystem => ({
  key,
  workflowId: `ai-system/${key}`,
  title: `System ${key}`,
  owner: `owner-${key}`,
  riskTier,
  stage,
  links,
  openRisks,
});

describe('the AI portfolio', () => {
  it("counts every tier of the EU AI Act catalogue and every stage, zeros included, for an empty inventory", () => {
    expect(tiers).toEqual(['prohibited', 'high_risk', 'transparency', 'minimal']);
    const p = aiPortfolio({ generatedAt: GENERATED, tiers, systems: [] });
    expect(p.byTier).toEqual([...tiers, 'unclassified'].map((tier) => ({ tier, count: 0 })));
    expect(p.byStage).toEqual(['registered', 'assessed', 'approved', 'in_production', 'suspended', 'retired'].map((stage) => ({ stage, count: 0 })));
    expect(p).toMatchObject({ generatedAt: GENERATED, total: 0, active: 0, overdue: [], overdueByKind: [], openIncidents: [], systems: [] });
  });

  it('counts systems per tier (retired ones aside) and per stage (all of them)', () => {
    const p = aiPortfolio({
      generatedAt: GENERATED,
      tiers,
      systems: [
        system('CV-1', 'high_risk', 'in_production'),
        system('CV-2', 'high_risk', 'approved'),
        system('BOT-1', 'transparency', 'in_production'),
        system('NEW-1', null, 'registered'),
        system('OLD-1', 'high_risk', 'retired'),
      ],
    });
    expect(p.total).toBe(5);
    expect(p.active).toBe(4);
    expect(p.byTier).toEqual([
      { tier: 'prohibited', count: 0 },
      { tier: 'high_risk', count: 2 },
      { tier: 'transparency', count: 1 },
      { tier: 'minimal', count: 0 },
      { tier: 'unclassified', count: 1 },
    ]);
    expect(p.byStage).toEqual([
      { stage: 'registered', count: 1 },
      { stage: 'assessed', count: 0 },
      { stage: 'approved', count: 1 },
      { stage: 'in_production', count: 2 },
      { stage: 'suspended', count: 0 },
      { stage: 'retired', count: 1 },
    ]);
    expect(p.byStage.map((s) => s.stage)).toEqual([...AI_SYSTEM_STAGES]);
  });

  it('lists open overdue processes (incidents aside) by deadline, and open incidents by age; closed or on-time ones are left out', () => {
    const p = aiPortfolio({
      generatedAt: GENERATED,
      tiers,
      systems: [
        system('CV-1', 'high_risk', 'in_production', [
          link('monitoring-review/CV-1-Q3', { overdue: true, dueAt: '2026-11-20T00:00:00.000Z' }),
          link('obligation/CV-1-OB1', { overdue: true, dueAt: '2026-11-01T00:00:00.000Z' }),
          link('obligation/CV-1-OB2', { overdue: true, status: 'closed' }),
          link('obligation/CV-1-OB3'),
          link('incident/INC-7', { overdue: true, openedAt: '2026-11-15T10:00:00.000Z' }),
        ], 2),
        system('BOT-1', 'transparency', 'suspended', [
          link('incident/INC-3', { openedAt: '2026-09-01T10:00:00.000Z' }),
          link('incident/INC-4', { status: 'closed' }),
          link('monitoring-review/BOT-1-Q3', { overdue: true }),
        ]),
      ],
    });
    expect(p.overdue.map((i) => [i.workflowId, i.system, i.dueAt])).toEqual([
      ['obligation/CV-1-OB1', 'CV-1', '2026-11-01T00:00:00.000Z'],
      ['monitoring-review/CV-1-Q3', 'CV-1', '2026-11-20T00:00:00.000Z'],
      // No known deadline: last.
      ['monitoring-review/BOT-1-Q3', 'BOT-1', null],
    ]);
    expect(p.overdueByKind).toEqual([
      { kind: 'monitoring_review', count: 2 },
      { kind: 'obligation', count: 1 },
    ]);
    expect(p.openIncidents.map((i) => [i.workflowId, i.systemTitle, i.overdue])).toEqual([
      ['incident/INC-3', 'System BOT-1', false],
      ['incident/INC-7', 'System CV-1', true],
    ]);
    expect(p.systems).toEqual([
      { key: 'BOT-1', workflowId: 'ai-system/BOT-1', title: 'System BOT-1', owner: 'owner-BOT-1', riskTier: 'transparency', stage: 'suspended', openProcesses: 2, overdue: 1, openIncidents: 1, openRisks: 0 },
      { key: 'CV-1', workflowId: 'ai-system/CV-1', title: 'System CV-1', owner: 'owner-CV-1', riskTier: 'high_risk', stage: 'in_production', openProcesses: 4, overdue: 3, openIncidents: 1, openRisks: 2 },
    ]);
  });

  it('counts a stage or tier it does not know after the known ones, rather than losing the system', () => {
    const p = aiPortfolio({ generatedAt: GENERATED, tiers, systems: [system('X-1', 'gpai', 'decommissioning')] });
    expect(p.byStage.at(-1)).toEqual({ stage: 'decommissioning', count: 1 });
    expect(p.byTier.at(-1)).toEqual({ tier: 'gpai', count: 1 });
    expect(p.byStage.reduce((n, s) => n + s.count, 0)).toBe(1);
  });

  it('is the same whatever order the systems come in, and refuses a system listed twice', () => {
    const systems = [system('B', 'minimal', 'registered', [link('obligation/B-1', { overdue: true })]), system('A', 'minimal', 'registered', [link('obligation/A-1', { overdue: true })])];
    expect(aiPortfolio({ generatedAt: GENERATED, tiers, systems })).toEqual(aiPortfolio({ generatedAt: GENERATED, tiers, systems: [...systems].reverse() }));
    expect(aiPortfolio({ generatedAt: GENERATED, tiers, systems }).overdue.map((i) => i.system)).toEqual(['A', 'B']);
    expect(() => aiPortfolio({ generatedAt: GENERATED, tiers, systems: [system('A', null, 'registered'), system('A', null, 'assessed')] })).toThrow(/more than once: A/);
  });
});
