/**
 * The EU AI Act as effective-dated data: which catalogue version (amending act) is in force on a date, the Art. 5
 * list on a date, and each obligation's application date under that version. Dates are ISO `YYYY-MM-DD` strings,
 * so comparing them as text orders them. Pure: safe to import from workflow code.
 */
import type { EuAiActObligation, EuAiActPolicy, OperatorRole } from '../policy/types.js';

export type CatalogueVersion = EuAiActPolicy['catalogueVersions'][number];

/** The catalogue version in force on `date`; before the first one, the first (the regulation as adopted). */
export function catalogueVersionAsOf(eu: EuAiActPolicy, date: string): CatalogueVersion {
  return eu.catalogueVersions.filter((v) => v.inForceFrom <= date).at(-1) ?? eu.catalogueVersions[0]!;
}

function versionIndex(eu: EuAiActPolicy, version: string): number {
  return eu.catalogueVersions.findIndex((v) => v.version === version);
}

export interface ProhibitionAsOf {
  key: string;
  point: string;
  title: string;
  from: string;
  source: string;
  status: 'applies' | 'upcoming';
}

/** The Art. 5(1) list as the catalogue version in force on `date` has it, each prohibition applying or upcoming. */
export function prohibitedPracticesAsOf(eu: EuAiActPolicy, date: string): ProhibitionAsOf[] {
  const at = versionIndex(eu, catalogueVersionAsOf(eu, date).version);
  return eu.prohibitedPractices
    .filter((p) => versionIndex(eu, p.since) <= at)
    .map((p) => ({ key: p.key, point: p.point, title: p.title, from: p.from, source: p.source, status: p.from <= date ? 'applies' : 'upcoming' }));
}

export interface ObligationDate {
  from: string;
  source: string;
  act: string;
  catalogueVersion: string;
}

/**
 * An obligation's application date under the catalogue version in force on `date` (its last schedule entry at or
 * before that version), with the transition for systems placed on the market before a cut-off when one applies.
 */
export function obligationDateAsOf(eu: EuAiActPolicy, o: EuAiActObligation, date: string, placedOnMarket: string | undefined): ObligationDate {
  const at = versionIndex(eu, catalogueVersionAsOf(eu, date).version);
  const entry = o.schedule.filter((e) => versionIndex(eu, e.version) <= at).at(-1) ?? o.schedule[0]!;
  const transition = entry.placedOnMarketBefore !== undefined && placedOnMarket !== undefined && placedOnMarket < entry.placedOnMarketBefore;
  return {
    from: transition ? entry.transitionFrom! : entry.from,
    source: transition ? entry.transitionSource! : entry.source,
    act: entry.act,
    catalogueVersion: entry.version,
  };
}

export interface ObligationResult {
  key: string;
  title: string;
  articles: string[];
  /** The system's operator roles the obligation binds. */
  roles: OperatorRole[];
  status: 'applies' | 'upcoming';
  appliesFrom: string;
  /** The provision that sets the date, and the act that set or last amended it. */
  source: string;
  act: { id: string; title: string; citation: string; url: string };
  /** The catalogue version whose schedule entry gives the date. */
  catalogueVersion: string;
}

/** The result entry of an obligation in scope for a system, as of `date`. */
export function obligationAsOf(eu: EuAiActPolicy, o: EuAiActObligation, roles: OperatorRole[], date: string, d: ObligationDate): ObligationResult {
  const act = eu.acts.find((a) => a.id === d.act)!;
  return {
    key: o.key,
    title: o.title,
    articles: [...o.articles],
    roles,
    status: d.from <= date ? 'applies' : 'upcoming',
    appliesFrom: d.from,
    source: d.source,
    act: { ...act },
    catalogueVersion: d.catalogueVersion,
  };
}
