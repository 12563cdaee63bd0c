import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { numberCollection, type CollectedAdr } from '../../../domain/adr/collection.js';
import { adrFileName, renderMadr, slugify } from '../../../domain/adr/madr.js';
import { loadPolicySetFromFiles, defaultPolicyDir, PolicyValidationError } from '../../../domain/policy/load.js';
import { buildTechRadar } from '../../../domain/radar/tech-radar.js';
import { defaultPolicy } from '../../support/policy.js';

const collection = { key: 'architecture', title: 'Architecture decisions' };

function record(workflowId: string, position: number, over: Partial<CollectedAdr['content']> = {}, extra: Partial<CollectedAdr> = {}): CollectedAdr {
  return {
    position,
    names: [],
    technology: null,
    ...extra,
    content: {
      kind: 'architecture_review',
      workflowId,
      businessKey: workflowId.split('/')[1]!,
      title: `Decision ${workflowId}`,
      status: 'accepted',
      outcome: 'approved',
      date: '2026-01-01',
      deciders: ['tom'],
      requester: 'rita',
      policyVersion: '1.0.0+abc',
      context: 'Why | we decide\nthis',
      contextDetails: [],
      drivers: ['a driver'],
      scale: null,
      options: [{ name: 'Option | A', score: null, summary: 's', good: ['g'], neutral: [], bad: [] }],
      chosen: 'Option | A',
      rationale: 'it won',
      consequences: { good: [], bad: [] },
      conditions: [],
      rulings: { reviewers: ['tom (technical_lead)'], criteria: [{ criterion: 'security', cells: ['appro|ve'] }], byReviewer: [] },
      dissent: [],
      links: { process: 'http://x/p', app: 'http://x/app', receipt: null },
      ...over,
    },
  };
}

describe('ADR numbering and supersession', () => {
  it('numbers in the order the decisions reached the audit log, whatever order the record lists them in', () => {
    const adrs = numberCollection(collection, [record('architecture-review/B', 2), record('architecture-review/A', 1)]);
    expect(adrs.map((a) => [a.number, a.workflowId, a.fileName])).toEqual([
      [1, 'architecture-review/A', '0001-decision-architecture-review-a.md'],
      [2, 'architecture-review/B', '0002-decision-architecture-review-b.md'],
    ]);
  });

  it('supersedes what an accepted decision names, and a rejected one supersedes nothing', () => {
    const adrs = numberCollection(collection, [
      record('architecture-review/A', 1),
      record('architecture-review/R', 2, { status: 'rejected' }, { names: ['architecture-review/A'] }),
      record('architecture-review/B', 3, {}, { names: ['architecture-review/A'] }),
    ]);
    expect(adrs[0]!.supersededBy).toMatchObject({ number: 3 });
    expect(adrs[1]!.supersedes).toEqual([]);
    expect(adrs[2]!.supersedes.map((s) => s.number)).toEqual([1]);
    const md = renderMadr(adrs[0]!);
    expect(md).toContain(`- Status: superseded by [${adrs[2]!.fileName.replace('.md', '')}](${adrs[2]!.fileName})`);
  });

  it('lets a later proposal about the same technology supersede the earlier one without naming it', () => {
    const tp = (id: string, at: number, technology: string) => record(`technology-proposal-evaluation/${id}`, at, { kind: 'technology_proposal_evaluation' }, { technology });
    const adrs = numberCollection(collection, [tp('1', 1, 'PostgreSQL pgvector'), tp('2', 2, 'Kafka'), tp('3', 3, 'postgresql  PGVECTOR')]);
    expect(adrs[0]!.supersededBy?.number).toBe(3);
    expect(adrs[1]!.supersededBy).toBeNull();
  });

  it("keeps a person's words from breaking the record's structure", () => {
    const md = renderMadr(numberCollection(collection, [record('architecture-review/A', 1, { title: 'Title\n## Not a section' })])[0]!);
    expect(md.split('\n')[0]).toBe('# Title ## Not a section');
    expect(md).toContain('| security | appro\\|ve |');
    expect(md).toContain('* Option | A');
    expect(md.match(/^## /gm)).toHaveLength(6);
  });

  it('names files as MADR does', () => {
    expect(slugify('Ünïcode & Co: the API/v2!')).toBe('unicode-co-the-api-v2');
    expect(adrFileName(42, '')).toBe('0042-decision.md');
  });
});

describe('the technology radar', () => {
  it('starts from the policy baseline, moves entries in time order and reports each move', async () => {
    const radar = (await defaultPolicy()).decisionRecords.techRadar;
    const policy = { ...radar, entries: [{ id: 'kafka', title: 'Kafka', quadrant: 'platforms', ring: 'assess', since: '2025-06-01' }] };
    const built = buildTechRadar(policy, [
      { technology: 'Kafka', category: null, ring: 'hold', at: new Date(3), description: 'rejected', links: [] },
      { technology: 'Kafka', category: null, ring: 'adopt', at: new Date(2), description: 'approved', links: [{ url: 'http://x', title: 'ADR' }] },
      { technology: 'Helm', category: 'Tool', ring: 'trial', at: new Date(1), description: 'approved', links: [] },
    ]);
    const kafka = built.entries.find((e) => e.id === 'kafka')!;
    expect(kafka.quadrant).toBe('platforms');
    expect(kafka.timeline.map((t) => [t.ringId, t.moved])).toEqual([['hold', -1], ['adopt', 1], ['assess', 0]]);
    // Links are the latest decision's (this one had none).
    expect(kafka.links).toBeUndefined();
    expect(built.entries.find((e) => e.id === 'helm')).toMatchObject({ quadrant: 'tools', timeline: [{ ringId: 'trial', moved: 0 }] });
    expect(built.rings.map((r) => r.id)).toEqual(['adopt', 'trial', 'assess', 'hold']);
  });
});

describe('decision-records.yaml', () => {
  it('refuses rings other than the engine\'s, unknown quadrants and a kind in two collections', async () => {
    const policy = await defaultPolicy();
    const bad = structuredClone(policy.decisionRecords);
    bad.adr.collections.push({ key: 'again', title: 'Again', kinds: ['architecture_review', 'ethical_review'] });
    bad.techRadar.rings.reverse();
    bad.techRadar.defaultQuadrant = 'nowhere';
    const refused = await loadPolicySetFromFiles({ 'decision-records.yaml': stringify(bad) }, defaultPolicyDir()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PolicyValidationError);
    const lines = (refused as PolicyValidationError).message.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'draft/decision-records.yaml: adr.collections[1].kinds[0]: "architecture_review" is already in collection "architecture"',
        expect.stringMatching(/^draft\/decision-records.yaml: adr.collections\[1\].kinds\[1\]: "ethical_review" yields no ADR/),
        expect.stringMatching(/^draft\/decision-records.yaml: techRadar.rings: expected the rings adopt, trial, assess, hold in this order/),
        'draft/decision-records.yaml: techRadar.defaultQuadrant: unknown quadrant "nowhere"',
      ]),
    );
  });
});
