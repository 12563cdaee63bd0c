/** A technology proposal's input whose every score is `score` (out of 10), for the radar and ADR tests. */
export const technologyProposal = (technology: string, score: number, category = 'platform') => ({
  technology,
  category,
  strategicFit: { ai_capability_enhancement: score, competitive_advantage: score, innovation_potential: score, market_readiness: score },
  enterpriseIntegration: score,
  securityCompliance: score,
  supportEcosystem: score,
  implementationRiskLevel: 10 - score,
  costs: { currency: 'EUR', budget: 500_000, migrationOneOff: 40_000, annual: { licences: 0, infrastructure: 30_000, staffing: 40_000 } },
});
