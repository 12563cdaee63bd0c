/**
 * The technology radar, in the shape of Backstage's `TechRadarLoaderResponse` (@backstage-community/plugin-tech-radar-common;
 * the test checks the two agree, at compile time and against a JSON Schema of the published type). Rings and
 * quadrants are policy data (decision-records.yaml); entries start from the policy's baseline and move with each
 * technology proposal decided since. Backstage takes `timeline[0]` as the entry's ring, so timelines are newest first.
 * Pure.
 */
import { slugify } from '../adr/madr.js';
import type { DecisionRecordsPolicy } from '../policy/types.js';

/** Backstage's MovedState: 1 moved in (towards the first ring), -1 moved out, 0 no change. */
export type Moved = -1 | 0 | 1;

export interface TechRadar {
  quadrants: { id: string; name: string }[];
  rings: { id: string; name: string; color: string; description?: string }[];
  entries: {
    key: string;
    id: string;
    quadrant: string;
    title: string;
    description?: string;
    timeline: { date: Date; ringId: string; description?: string; moved?: Moved }[];
    links?: { url: string; title: string }[];
  }[];
}

/** One decided technology proposal, from the audit log (when) and its evaluation (which ring). */
export interface RadarMove {
  technology: string;
  category: string | null;
  ring: string;
  at: Date;
  description: string;
  links: { url: string; title: string }[];
}

export function radarEntryId(technology: string): string {
  return slugify(technology);
}

export function buildTechRadar(policy: DecisionRecordsPolicy['techRadar'], moves: RadarMove[]): TechRadar {
  const order = new Map(policy.rings.map((r, i) => [r.id, i]));
  const quadrantOf = (category: string | null) =>
    policy.quadrants.find((q) => category !== null && q.categories.some((c) => c.toLowerCase() === category.toLowerCase()))?.id ?? policy.defaultQuadrant;
  type Building = { title: string; quadrant: string; description?: string; steps: { date: Date; ringId: string; description?: string }[]; links: { url: string; title: string }[] };
  const entries = new Map<string, Building>();
  for (const e of policy.entries) {
    entries.set(e.id, { title: e.title, quadrant: e.quadrant, ...(e.description ? { description: e.description } : {}), steps: [{ date: new Date(`${e.since}T00:00:00Z`), ringId: e.ring, description: 'On the radar before govflow decided on it' }], links: [] });
  }
  for (const m of [...moves].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const id = radarEntryId(m.technology);
    const entry = entries.get(id) ?? { title: m.technology, quadrant: quadrantOf(m.category), steps: [], links: [] };
    // A proposal that names a category places the entry by it; one that does not keeps where the entry was.
    if (m.category !== null) entry.quadrant = quadrantOf(m.category);
    entry.steps.push({ date: m.at, ringId: m.ring, description: m.description });
    entry.links = m.links;
    entries.set(id, entry);
  }
  return {
    quadrants: policy.quadrants.map((q) => ({ id: q.id, name: q.name })),
    rings: policy.rings.map((r) => ({ id: r.id, name: r.name, color: r.color, ...(r.description ? { description: r.description } : {}) })),
    entries: [...entries.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, e]) => ({
        key: id,
        id,
        quadrant: e.quadrant,
        title: e.title,
        ...(e.description ? { description: e.description } : {}),
        timeline: e.steps
          .map((s, i) => {
            const before = e.steps[i - 1];
            const moved: Moved = !before ? 0 : (Math.sign(order.get(before.ringId)! - order.get(s.ringId)!) as Moved);
            return { ...s, moved };
          })
          .reverse(),
        ...(e.links.length ? { links: e.links } : {}),
      })),
  };
}
