/**
 * Throughput of the five scoring and compliance engines on one core (this process's single JS thread), with the
 * shipped default policy set. For each engine: evaluations per second of `evaluateX` on an already parsed input,
 * and of `runX` (zod parsing + policy checks + evaluation) on the raw input. Each measurement is bounded in time
 * (warm-up, then --seconds of batches) and repeated --rounds times, interleaved across engines; the table shows
 * the median round, so a noisy neighbour on the machine skews it less. Prints a markdown table.
 *   npx tsx bench/engines.ts [--seconds 0.5] [--rounds 3]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { aiCompliancePolicyOf, evaluateAiCompliance, parseAiComplianceInput, runAiCompliance } from '../domain/engines/ai-compliance.js';
import { evaluateDecisionMatrix, parseDecisionMatrixInput, runDecisionMatrix } from '../domain/engines/decision-matrix.js';
import { evaluatePerformanceAssessment, parsePerformanceAssessmentInput, runPerformanceAssessment } from '../domain/engines/performance-assessment.js';
import { evaluateStrategicInitiative, parseStrategicInitiativeInput, runStrategicInitiative } from '../domain/engines/strategic-initiative.js';
import { evaluateTechnologyProposal, parseTechnologyProposalInput, runTechnologyProposal } from '../domain/engines/technology-proposal.js';
import { defaultPolicyDir, loadPolicySet } from '../domain/policy/load.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '0.5' }, rounds: { type: 'string', default: '3' } } });
const SECONDS = Math.min(10, Math.max(0.1, Number(values.seconds) || 0.5));
const ROUNDS = Math.min(9, Math.max(1, Math.floor(Number(values.rounds)) || 3));
const set = await loadPolicySet(defaultPolicyDir());

/** Deterministic pseudo-random scores so every run measures the same work. */
let seed = 42;
const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const score = (min: number, max: number) => Math.round((min + next() * (max - min)) * 10) / 10;

const dc = set.decisionCriteria;
const decisionRaw = {
  decision: 'Benchmark decision',
  options: ['A', 'B', 'C', 'D', 'E'].map((name) => ({
    name: `Option ${name}`,
    scores: Object.fromEntries(dc.criteria.flatMap((c) => c.factors.map((f) => [f, score(dc.scale.min, dc.scale.max)]))),
  })),
};
const technologyRaw = {
  technology: 'Benchmark technology',
  strategicFit: Object.fromEntries(set.technologyProposal.strategicFitFactors.map((f) => [f, score(0, 10)])),
  enterpriseIntegration: 7,
  securityCompliance: 6,
  supportEcosystem: 8,
  implementationRiskLevel: 4,
  costs: { currency: 'EUR', budget: 500_000, migrationOneOff: 80_000, annual: { licences: 30_000, infrastructure: 20_000, staffing: 40_000 }, annualEscalation: 0.03 },
};
const initiativeRaw = {
  initiative: 'Benchmark initiative',
  strategicValue: Object.fromEntries(set.strategicInitiative.strategicValueFactors.map((f) => [f, score(0, 10)])),
  technicalFeasibility: 7,
  marketOpportunity: 6,
  resourceDemandLevel: 5,
  implementationRiskLevel: 4,
  currency: 'EUR',
  cashFlows: [-2_000_000, 150_000, 300_000, 450_000, 500_000, 550_000, 550_000, 500_000, 450_000, 400_000, 350_000],
};
const pa = set.performanceAssessment;
const performanceRaw = {
  subject: 'bench',
  period: '2025-H1',
  levels: Object.fromEntries(pa.dimensions.map((d) => [d.key, Object.fromEntries(d.factors.map((c) => [c, { current: score(pa.scale.min, pa.scale.max), target: 4 }]))])),
};
const items = set.complianceChecklist.domains.flatMap((d) => d.items.map((i) => i.key));
const complianceRaw = {
  system: 'Benchmark system',
  assessmentDate: '2025-03-10',
  intake: { prohibitedPractices: [], annexIIIAreas: ['4'], annexISafetyComponent: false, interactsWithNaturalPersons: true, generatesSyntheticContent: false, emotionRecognitionOrBiometricCategorisation: false },
  evidence: items
    .filter((_, i) => i % 2 === 0)
    .map((item, i) => ({ item, implementation: i % 3 === 0 ? 'partially_implemented' : 'implemented', references: i % 4 === 0 ? [] : [`EV-${item}`] })),
  owners: { default: 'system_owner', byDomain: {} },
};
const aiPolicy = aiCompliancePolicyOf(set);

const engines: { name: string; evaluate: () => unknown; run: () => unknown }[] = [
  {
    name: 'Technical decision (5 options × 16 factors)',
    evaluate: ((i) => () => evaluateDecisionMatrix(i, dc))(parseDecisionMatrixInput(decisionRaw)),
    run: () => runDecisionMatrix(decisionRaw, dc),
  },
  {
    name: `Technology proposal (${set.technologyProposal.horizonYears}-year TCO)`,
    evaluate: ((i) => () => evaluateTechnologyProposal(i, set.technologyProposal))(parseTechnologyProposalInput(technologyRaw)),
    run: () => runTechnologyProposal(technologyRaw, set.technologyProposal),
  },
  {
    name: 'Strategic initiative (11 cash flows, NPV/IRR/payback)',
    evaluate: ((i) => () => evaluateStrategicInitiative(i, set.strategicInitiative))(parseStrategicInitiativeInput(initiativeRaw)),
    run: () => runStrategicInitiative(initiativeRaw, set.strategicInitiative),
  },
  {
    name: `Performance assessment (${pa.dimensions.length} dimensions)`,
    evaluate: ((i) => () => evaluatePerformanceAssessment(i, pa))(parsePerformanceAssessmentInput(performanceRaw)),
    run: () => runPerformanceAssessment(performanceRaw, pa),
  },
  {
    name: `AI compliance (${items.length} checklist items, high-risk)`,
    evaluate: ((i) => () => evaluateAiCompliance(i, aiPolicy))(parseAiComplianceInput(complianceRaw)),
    run: () => runAiCompliance(complianceRaw, aiPolicy),
  },
];

let sink = 0;
/** Evaluations per second: a short warm-up, then batches until `seconds` have elapsed. */
function measure(fn: () => unknown, seconds: number): number {
  const warmUntil = performance.now() + Math.min(200, seconds * 200);
  while (performance.now() < warmUntil) sink ^= (fn() as object) ? 1 : 0;
  let batch = 16;
  let count = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < batch; i++) sink ^= (fn() as object) ? 1 : 0;
    count += batch;
    now = performance.now();
    if (now - start < 50) batch *= 2;
  }
  return count / ((now - start) / 1000);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const samples = engines.map(() => ({ evaluate: [] as number[], run: [] as number[] }));
for (let round = 0; round < ROUNDS; round++) {
  engines.forEach((e, i) => {
    samples[i]!.evaluate.push(measure(e.evaluate, SECONDS));
    samples[i]!.run.push(measure(e.run, SECONDS));
  });
}

console.log(`### Engine throughput (one core)\n`);
console.log(
  `Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, load average ${os.loadavg()[0]!.toFixed(2)}, policy ${set.version.id}; ` +
    `median of ${ROUNDS} rounds of ${SECONDS} s per cell.\n`,
);
console.log('| Engine | evaluate/s | µs each | parse + evaluate/s | µs each |');
console.log('|---|---:|---:|---:|---:|');
engines.forEach((e, i) => {
  const evaluate = median(samples[i]!.evaluate);
  const run = median(samples[i]!.run);
  console.log(`| ${e.name} | ${fmt(evaluate)} | ${(1e6 / evaluate).toFixed(1)} | ${fmt(run)} | ${(1e6 / run).toFixed(1)} |`);
});
if (sink === -1) console.log('');
