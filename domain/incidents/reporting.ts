/**
 * Serious incidents under the EU AI Act: which kinds of harm make an incident serious (Art. 3(49), and the
 * widespread infringement of Art. 3(61)), and how soon each must be reported to the market surveillance authority
 * once the provider is aware of it (Art. 73(2)–(4)). The figures are policy data (the catalogue); this is the rule.
 */

export interface SeriousIncidentCategory {
  key: string;
  /** Where the law defines it, e.g. "Art. 3(49)(a)". */
  point: string;
  title: string;
  /** Days from awareness within which the report is due. */
  reportWithinDays: number;
  /** The provision that sets that limit, e.g. "Art. 73(4)". */
  provision: string;
}

export interface ReportingDeadline {
  dueAt: string;
  days: number;
  provision: string;
  /** The category whose limit applies (the shortest of those the incident falls under). */
  category: string;
}

const DAY_MS = 86_400_000;

/** The report is due by the shortest limit among the incident's categories, counted from awareness. */
export function reportingDeadline(awareAt: string, categories: string[], catalogue: SeriousIncidentCategory[]): ReportingDeadline {
  const applicable = catalogue.filter((c) => categories.includes(c.key));
  if (applicable.length === 0) throw new RangeError(`none of ${categories.join(', ')} is a serious-incident category`);
  const shortest = applicable.reduce((a, b) => (b.reportWithinDays < a.reportWithinDays ? b : a));
  return { dueAt: new Date(Date.parse(awareAt) + shortest.reportWithinDays * DAY_MS).toISOString(), days: shortest.reportWithinDays, provision: shortest.provision, category: shortest.key };
}
