import type { Scenario } from './scenario.js';
import { architectureReviewScenarios } from './architecture-review.scenarios.js';
import { governanceBoardScenarios } from './governance-boards.scenarios.js';
import { pocScaleUpScenarios } from './poc-scale-up.scenarios.js';
import { roadmapEngagementScenarios } from './roadmap-engagement.scenarios.js';
import { ctoEngagementScenarios } from './cto-engagement.scenarios.js';
import { retrospectiveScenarios } from './retrospective.scenarios.js';
import { inventoryScenarios } from './inventory.scenarios.js';

export type { Scenario } from './scenario.js';

const recorded: Scenario[] = [...architectureReviewScenarios, ...governanceBoardScenarios, ...roadmapEngagementScenarios, ...pocScaleUpScenarios, ...ctoEngagementScenarios, ...retrospectiveScenarios, ...inventoryScenarios];

/**
 * Scenarios recorded again on the process kernel (search attributes upserted only when they change, Updates answering
 * receipts), so the runs started since then are guarded as well as those started before.
 */
const ON_KERNEL = [
  'architecture-review/approved-after-resubmission',
  'architecture-review/withdrawn',
  'committee-approval/monthly-meeting-casting-vote',
  'ethical-review/high-risk-to-committee',
  'poc-scale-up/scaled-up',
  'cto-engagement/terminated',
  'retrospective/capture-deadline-then-withdrawn',
  'roadmap-engagement/completed-with-overrun',
];

/** Every recorded scenario; each kind of process keeps its own in `<kind>.scenarios.ts`. */
export const scenarios: Scenario[] = [
  ...recorded,
  ...ON_KERNEL.map((name) => ({ ...recorded.find((s) => s.name === name)!, name: `${name}-on-kernel` })),
];
