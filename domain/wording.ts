// Pure wording helpers, shared by the API and the workflows (no dependencies, so workflow bundles stay small).

/**
 * `a` or `an` before a generated noun phrase ("an architecture review", "an interim_cto engagement"), by its first
 * letter: enough for govflow's keys and kinds, none of which starts with a silent h or a "you"-sounding u.
 */
export function withArticle(phrase: string): string {
  return `${/^[aeiou]/i.test(phrase) ? 'an' : 'a'} ${phrase}`;
}

/** A process kind as prose: `ai_system` → "AI system", `architecture_review` → "architecture review". */
export function kindLabel(kind: string): string {
  return kind.replace(/_/g, ' ').replace(/\bai\b/g, 'AI');
}
