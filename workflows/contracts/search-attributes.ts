import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes that make govflow processes filterable in the Temporal Web UI, e.g.
 * `GovflowPendingRoles = "security_architect"`. Registered at start-up (dev server flags, or the operator
 * service on a real cluster). Deliberately not named `Status`, which clashes with the UI's own column.
 */
export const SA = {
  kind: defineSearchAttributeKey('GovflowKind', SearchAttributeType.KEYWORD),
  stage: defineSearchAttributeKey('GovflowStage', SearchAttributeType.KEYWORD),
  outcome: defineSearchAttributeKey('GovflowOutcome', SearchAttributeType.KEYWORD),
  riskTier: defineSearchAttributeKey('GovflowRiskTier', SearchAttributeType.KEYWORD),
  pendingRoles: defineSearchAttributeKey('GovflowPendingRoles', SearchAttributeType.KEYWORD_LIST),
  requester: defineSearchAttributeKey('GovflowRequester', SearchAttributeType.KEYWORD),
  businessKey: defineSearchAttributeKey('GovflowBusinessKey', SearchAttributeType.KEYWORD),
  policyVersion: defineSearchAttributeKey('GovflowPolicyVersion', SearchAttributeType.KEYWORD),
  slaDueAt: defineSearchAttributeKey('GovflowSlaDueAt', SearchAttributeType.DATETIME),
} as const;

export const ALL_SEARCH_ATTRIBUTES = Object.values(SA);

/** The `temporal` CLI's spelling of each type, for `--search-attribute Name=Type`. */
const CLI_TYPE: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
};

export function searchAttributeCliFlags(): string[] {
  return ALL_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPE[key.type]}`]);
}
