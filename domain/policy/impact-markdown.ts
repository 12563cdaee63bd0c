/**
 * An impact report as a committee member reads it: flagged changes first, each entry with who it concerns and the
 * policy version it pinned, every change in one sentence. Plain Markdown, readable unrendered too (the committee
 * item's papers show it as text). Pure.
 */
import type { Change, ImpactEntry, ImpactReport } from './impact.js';

/** Backslash-escapes what Markdown would read as markup in recorded text (titles, owners, details). */
const md = (text: string) => text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function changeLine(c: Change): string {
  return `- ${c.flagged ? '**flagged** · ' : ''}${c.kind.replace(/_/g, ' ')} · \`${c.subject.replace(/`/g, "'")}\`: ${md(c.detail)}`;
}

function entrySection(e: ImpactEntry): string {
  // Flagged changes first: they are what the committee is asked to accept.
  const changes = [...e.changes].sort((a, b) => Number(b.flagged) - Number(a.flagged));
  return [
    `### ${md(e.title)}`,
    '',
    `${md(e.what.replace(/_/g, ' '))} \`${e.workflowId}\` · pinned policy ${md(e.policyVersion)} · owners: ${e.owners.length ? md(e.owners.join(', ')) : 'none recorded'}`,
    '',
    ...changes.map(changeLine),
  ].join('\n');
}

/**
 * `maxChars` bounds the text (e.g. to what a committee item's summary holds): entries past it are left out and
 * counted in a last line that points to the full report (each section lists its most flagged entries first).
 */
export function impactMarkdown(report: ImpactReport, maxChars = Infinity): string {
  const flaggedFirst = (list: ImpactEntry[]) => [...list].sort((a, b) => b.changes.filter((c) => c.flagged).length - a.changes.filter((c) => c.flagged).length);
  const changed = report.evaluations.length + report.processes.length;
  let text = [
    `# Policy impact of draft ${md(report.draftVersion)}, as of ${report.asOf}`,
    '',
    `**${plural(report.flagged, 'flagged change')}** for the committee's attention. ` +
      `Examined ${plural(report.examined.evaluations, 'recorded evaluation')} and ${plural(report.examined.processes, 'process', 'processes')}; ` +
      (changed ? `${plural(report.evaluations.length, 'evaluation')} and ${plural(report.processes.length, 'process', 'processes')} would change.` : 'nothing recorded would change.'),
    '',
  ].join('\n');
  // Room for the closing line about what was left out.
  const budget = maxChars - 200;
  let left = 0;
  for (const [heading, list] of [['Evaluations', flaggedFirst(report.evaluations)], ['Processes', flaggedFirst(report.processes)]] as const) {
    let headed = false;
    for (const entry of list) {
      const section = `${headed ? '' : `\n## ${heading}\n`}\n${entrySection(entry)}\n`;
      if (left > 0 || text.length + section.length > budget) {
        left++;
        continue;
      }
      text += section;
      headed = true;
    }
  }
  if (left > 0) text += `\n_${plural(left, 'more entry', 'more entries')} left out here: see the full report (\`govflow policy impact\`, JSON)._\n`;
  return text;
}
