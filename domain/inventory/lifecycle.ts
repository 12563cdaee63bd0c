/** An AI system's lifecycle in the inventory, in order: the workflow's stages, the portfolio's buckets. */
export const AI_SYSTEM_STAGES = ['registered', 'assessed', 'approved', 'in_production', 'suspended', 'retired'] as const;
export type AiSystemStage = (typeof AI_SYSTEM_STAGES)[number];
