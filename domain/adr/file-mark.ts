/**
 * How an ADR file written by govflow is recognised: it ends with a mark naming the process and the SHA-256 of the
 * text above it. A file whose text no longer matches its hash was edited by a person; `adr sync` and the pull
 * request activity leave such a file alone (unless told to overwrite it).
 */
import { createHash } from 'node:crypto';

const MARK = '<!-- govflow-adr:';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The file govflow writes for an ADR's Markdown. */
export function markedAdrFile(markdown: string, workflowId: string): string {
  return `${markdown}\n${MARK} ${workflowId} ${sha256(markdown)} -->\n`;
}

/** What is there now, against what govflow would write: nothing, the same, an older file of govflow's, or a person's edit. */
export function adrFileState(existing: string | null, wanted: string): 'absent' | 'same' | 'ours' | 'edited' {
  if (existing === null) return 'absent';
  if (existing === wanted) return 'same';
  const at = existing.lastIndexOf(`\n${MARK} `);
  const mark = at < 0 ? null : /^<!-- govflow-adr: \S+ ([0-9a-f]{64}) -->\n$/.exec(existing.slice(at + 1));
  return mark !== null && sha256(existing.slice(0, at)) === mark[1] ? 'ours' : 'edited';
}
