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

/**
 * Scenarios recorded again on the lean recorder (one search-attribute upsert per workflow task; no delivery activity
 * after a write that left nothing to send), which decides from the write's recorded result.
 */
const ON_LEAN_RECORDER = ['architecture-review/approved-after-resubmission', 'committee-approval/monthly-meeting-casting-vote', 'roadmap-engagement/completed-with-overrun'];

const again = (names: string[], suffix: string) => names.map((name) => ({ ...recorded.find((s) => s.name === name)!, name: `${name}-${suffix}` }));

/** Every recorded scenario; each kind of process keeps its own in `<kind>.scenarios.ts`. */
export const scenarios: Scenario[] = [...recorded, ...again(ON_KERNEL, 'on-kernel'), ...again(ON_LEAN_RECORDER, 'on-lean-recorder')];
