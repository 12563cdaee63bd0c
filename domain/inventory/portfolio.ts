/**
 * The AI portfolio: how many systems the inventory holds per EU AI Act risk tier and per stage, what is overdue about
 * them, which incidents are open, and one row per system. Pure: the API reads the systems' records and hands them in.
 */
import { compareText } from '../engines/rounding.js';
import type { EuAiActTier } from '../policy/types.js';
import { AI_SYSTEM_STAGES } from './lifecycle.js';


/** The tier bucket of a system no assessment has classified yet. */
export const UNCLASSIFIED = 'unclassified';

/** A process about a system, as the system's record links it. */
export interface PortfolioLink {
  workflowId: string;
  kind: string;
  title: string;
  openedAt: string;
  status: 'open' | 'closed';
  overdue: boolean;
  /** The linked process's current deadline, when the record has one. */
  dueAt?: string | null;
}

export interface PortfolioSystem {
  key: string;
  workflowId: string;
  title: string;
  owner: string;
  riskTier: string | null;
  stage: string;
  links: PortfolioLink[];
  openRisks: number;
}

export interface PortfolioInput {
  generatedAt: string;
  /** The EU AI Act catalogue's tiers, in its order: every one is counted, zeros included. */
  tiers: readonly EuAiActTier[];
  systems: PortfolioSystem[];
}

/** An open process about a system, with the system it is about. */
export interface PortfolioItem {
  system: string;
  systemTitle: string;
  workflowId: string;
  kind: string;
  title: string;
  openedAt: string;
  dueAt: string | null;
  overdue: boolean;
}

export interface PortfolioRow {
  key: string;
  workflowId: string;
  title: string;
  owner: string;
  riskTier: string | null;
  stage: string;
  openProcesses: number;
  /** Its open processes past their deadline, incidents included. */
  overdue: number;
  openIncidents: number;
  openRisks: number;
}

export interface Portfolio {
  generatedAt: string;
  /** Every system of the inventory, retired ones included. */
  total: number;
  /** Systems not retired. */
  active: number;
  /** Systems not retired, per tier: the catalogue's tiers in its order, then `unclassified`. */
  byTier: { tier: string; count: number }[];
  /** Every system, per stage in life-cycle order. */
  byStage: { stage: string; count: number }[];
  /** Open processes past their deadline (monitoring reviews, obligations and any other kind), incidents aside. */
  overdue: PortfolioItem[];
  overdueByKind: { kind: string; count: number }[];
  /** Open incidents, overdue or not. */
  openIncidents: PortfolioItem[];
  systems: PortfolioRow[];
}

/** Buckets in the given order, then any value the order does not know (a record older or newer than this code), sorted: no system goes uncounted. */
function countBy(order: readonly string[], values: string[]): { key: string; count: number }[] {
  const counts = new Map<string, number>(order.map((k) => [k, 0]));
  const extra = [...new Set(values.filter((v) => !counts.has(v)))].sort(compareText);
  for (const k of extra) counts.set(k, 0);
  for (const v of values) counts.set(v, counts.get(v)! + 1);
  return [...counts].map(([key, count]) => ({ key, count }));
}

const byDue = (a: PortfolioItem, b: PortfolioItem) =>
  // Undated last: a known deadline says how late, an unknown one does not.
  (a.dueAt === null ? 1 : 0) - (b.dueAt === null ? 1 : 0) || compareText(a.dueAt ?? '', b.dueAt ?? '') || compareText(a.system, b.system) || compareText(a.workflowId, b.workflowId);
const byOpened = (a: PortfolioItem, b: PortfolioItem) => compareText(a.openedAt, b.openedAt) || compareText(a.system, b.system) || compareText(a.workflowId, b.workflowId);

export function aiPortfolio(input: PortfolioInput): Portfolio {
  const systems = [...input.systems].sort((a, b) => compareText(a.key, b.key));
  const keys = systems.map((s) => s.key);
  const twice = keys.filter((k, i) => i > 0 && keys[i - 1] === k);
  if (twice.length > 0) throw new RangeError(`the inventory lists these systems more than once: ${[...new Set(twice)].join(', ')}`);

  const active = systems.filter((s) => s.stage !== 'retired');
  const item = (s: PortfolioSystem, l: PortfolioLink): PortfolioItem => ({
    system: s.key,
    systemTitle: s.title,
    workflowId: l.workflowId,
    kind: l.kind,
    title: l.title,
    openedAt: l.openedAt,
    dueAt: l.dueAt ?? null,
    overdue: l.overdue,
  });
  const open = systems.flatMap((s) => s.links.filter((l) => l.status === 'open').map((l) => item(s, l)));
  const overdue = open.filter((i) => i.overdue && i.kind !== 'incident').sort(byDue);
  const incidents = open.filter((i) => i.kind === 'incident').sort(byOpened);

  return {
    generatedAt: input.generatedAt,
    total: systems.length,
    active: active.length,
    byTier: countBy([...input.tiers, UNCLASSIFIED], active.map((s) => s.riskTier ?? UNCLASSIFIED)).map(({ key, count }) => ({ tier: key, count })),
    byStage: countBy(AI_SYSTEM_STAGES, systems.map((s) => s.stage)).map(({ key, count }) => ({ stage: key, count })),
    overdue,
    overdueByKind: countBy([], overdue.map((i) => i.kind)).map(({ key, count }) => ({ kind: key, count })),
    openIncidents: incidents,
    systems: systems.map((s) => {
      const mine = open.filter((i) => i.system === s.key);
      return {
        key: s.key,
        workflowId: s.workflowId,
        title: s.title,
        owner: s.owner,
        riskTier: s.riskTier,
        stage: s.stage,
        openProcesses: mine.length,
        overdue: mine.filter((i) => i.overdue).length,
        openIncidents: mine.filter((i) => i.kind === 'incident').length,
        openRisks: s.openRisks,
      };
    }),
  };
}
