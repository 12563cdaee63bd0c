/**
 * Numbering and supersession within one ADR collection. Pure.
 *
 * - Numbers follow the order in which the decisions reached the audit log (the closing entry's sequence number), from 1:
 *   a record written late is appended, never inserted, so a number once given stays.
 * - A later, accepted decision supersedes an earlier one of the collection when it names it (`supersedes` in its
 *   start request: the business key of an earlier process of the same kind), or, for technology proposals, when it
 *   is about the same technology (the radar moves the entry, so the earlier record no longer holds). The earlier
 *   record is then "superseded by" the latest one that supersedes it. A rejected or undecided record supersedes
 *   nothing: it replaced no decision.
 */
import { adrFileName, slugify, type AdrContent, type AdrRef, type NumberedAdr } from './madr.js';

export interface CollectedAdr {
  content: Omit<AdrContent, 'supersedes' | 'supersededBy'>;
  /** The closing audit entry's sequence number. */
  position: number;
  /** Workflow IDs of the earlier processes it names as superseded. */
  names: string[];
  /** Set for technology proposals: the technology it is about. */
  technology: string | null;
}

export function numberCollection(collection: { key: string; title: string }, records: CollectedAdr[]): NumberedAdr[] {
  const ordered = [...records].sort((a, b) => a.position - b.position);
  const numbered: NumberedAdr[] = ordered.map((r, i) => ({
    ...r.content,
    collection,
    number: i + 1,
    fileName: adrFileName(i + 1, r.content.title),
    supersedes: [],
    supersededBy: null,
  }));
  const ref = (a: NumberedAdr): AdrRef => ({ number: a.number, fileName: a.fileName, title: a.title });
  ordered.forEach((r, i) => {
    const later = numbered[i]!;
    if (later.status !== 'accepted') return;
    for (let j = 0; j < i; j++) {
      const earlier = numbered[j]!;
      const sameTechnology = r.technology !== null && ordered[j]!.technology !== null && slugify(r.technology) === slugify(ordered[j]!.technology!);
      if (!r.names.includes(earlier.workflowId) && !sameTechnology) continue;
      later.supersedes.push(ref(earlier));
      earlier.supersededBy = ref(later);
    }
  });
  return numbered;
}
