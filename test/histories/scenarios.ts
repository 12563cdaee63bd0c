import type { Scenario } from './scenario.js';
import { architectureReviewScenarios } from './architecture-review.scenarios.js';
import { governanceBoardScenarios } from './governance-boards.scenarios.js';
import { pocScaleUpScenarios } from './poc-scale-up.scenarios.js';
import { roadmapEngagementScenarios } from './roadmap-engagement.scenarios.js';
import { ctoEngagementScenarios } from './cto-engagement.scenarios.js';
import { retrospectiveScenarios } from './retrospective.scenarios.js';

export type { Scenario } from './scenario.js';

/** Every recorded scenario; each kind of process keeps its own in `<kind>.scenarios.ts`. */
export const scenarios: Scenario[] = [...architectureReviewScenarios, ...governanceBoardScenarios, ...roadmapEngagementScenarios, ...pocScaleUpScenarios, ...ctoEngagementScenarios, ...retrospectiveScenarios];
