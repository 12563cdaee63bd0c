import type { ProcessKind } from '../process-kinds.js';

/** The kinds of process whose closing decision becomes an architecture decision record. */
export const ADR_KINDS = ['architecture_review', 'technical_decision_evaluation', 'technology_proposal_evaluation'] as const satisfies readonly ProcessKind[];
export type AdrKind = (typeof ADR_KINDS)[number];
