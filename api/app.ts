import express from 'express';
import { authenticate } from './auth.js';
import { createOidcAuthenticator, createOidcVerifier } from './oidc.js';
import { cors, rateLimit, requireJson, securityHeaders } from './hardening.js';
import { idempotency } from './idempotency.js';
import { createApiMetrics } from './metrics.js';
import { requestLog } from './request-log.js';
import { methodNotAllowed } from './openapi.js';
import { notFoundHandler, problemHandler } from './problem.js';
import type { ApiDeps } from './process-routes.js';
import { RouteRegistry } from './route-registry.js';
import { registerArchitectureReviewRoutes } from './routes/architecture-reviews.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerEvidenceRoutes } from './routes/evidence.js';
import { registerCommitteeApprovalRoutes } from './routes/committee-approvals.js';
import { mountDocs } from './routes/docs.js';
import { registerEthicalReviewRoutes } from './routes/ethical-reviews.js';
import { registerEvaluationRoutes } from './routes/evaluations.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerPolicyRoutes } from './routes/policies.js';
import { registerProcessIndexRoutes } from './routes/processes.js';
import { registerPrincipalRoutes } from './routes/principals.js';
import { registerPocScaleUpRoutes } from './routes/poc-scale-ups.js';
import { registerRoadmapEngagementRoutes } from './routes/roadmap-engagements.js';
import { registerCtoEngagementRoutes } from './routes/cto-engagements.js';
import { registerRetrospectiveRoutes } from './routes/retrospectives.js';
import { registerIncidentRoutes } from './routes/incidents.js';
import { registerObligationRoutes } from './routes/obligations.js';
import { registerAiSystemReportRoutes } from './routes/ai-system-reports.js';
import { registerAiSystemRoutes, registerMonitoringReviewRoutes } from './routes/ai-systems.js';
import { registerReportRoutes } from './routes/reports.js';
import { registerRecordRoutes } from './routes/records.js';
import { registerNotificationRoutes } from './routes/notifications.js';
import { registerDecisionRecordRoutes } from './routes/decision-records.js';
import { registerLoginLinkRoutes } from '../web/login-link-route.js';
import { webApp } from '../web/router.js';

export type { ApiDeps };

/** Builds the Express app (no listening): the server entry point and the tests share it. */
export function createApp(deps: ApiDeps): { app: express.Express; registry: RouteRegistry } {
  const registry = new RouteRegistry({ checkResponses: deps.config.NODE_ENV === 'test' });
  registerHealthRoutes(registry, deps);
  registerPrincipalRoutes(registry, deps);
  registerPolicyRoutes(registry, deps);
  registerAuditRoutes(registry, deps);
  registerEvidenceRoutes(registry, deps);
  registerProcessIndexRoutes(registry, deps);
  registerArchitectureReviewRoutes(registry, deps);
  registerCommitteeApprovalRoutes(registry, deps);
  registerEthicalReviewRoutes(registry, deps);
  registerEvaluationRoutes(registry, deps);
  registerPocScaleUpRoutes(registry, deps);
  registerRoadmapEngagementRoutes(registry, deps);
  registerCtoEngagementRoutes(registry, deps);
  registerRetrospectiveRoutes(registry, deps);
  registerIncidentRoutes(registry, deps);
  registerObligationRoutes(registry, deps);
  // Before the inventory's own routes: /ai-systems/portfolio is not a system's key.
  registerAiSystemReportRoutes(registry, deps);
  registerAiSystemRoutes(registry, deps);
  registerMonitoringReviewRoutes(registry, deps);
  registerReportRoutes(registry, deps);
  registerRecordRoutes(registry, deps);
  registerLoginLinkRoutes(registry, deps);
  registerNotificationRoutes(registry, deps);
  registerDecisionRecordRoutes(registry, deps);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');
  const metrics = createApiMetrics(deps.db);
  app.use(requestLog(deps.log), metrics.middleware, ...securityHeaders, cors(deps.config.CORS_ORIGINS));
  app.get('/metrics', metrics.handler);
  app.use(rateLimit(deps.config.API_RATE_LIMIT_PER_MINUTE), methodNotAllowed(registry));
  // The web app (its own CSP, session cookies and form bodies) runs before the JSON-only body parser.
  const oidc = createOidcVerifier(deps);
  app.use('/app', webApp(deps, registry, oidc));
  // Evidence uploads are files, not JSON: their own parser and limit (the route checks the media type).
  app.post('/evidence', express.raw({ type: () => true, limit: deps.config.EVIDENCE_MAX_BYTES }));
  app.use(requireJson, express.json({ limit: deps.config.API_BODY_LIMIT, strict: true }));

  mountDocs(app, registry);
  const publicRouter = express.Router();
  const privateRouter = express.Router();
  privateRouter.use(authenticate(deps.db, createOidcAuthenticator(deps, oidc)), idempotency(deps.db));
  registry.mount(publicRouter, privateRouter);
  app.use(publicRouter);
  app.use(privateRouter);
  app.use(notFoundHandler);
  app.use(problemHandler(deps.log));
  return { app, registry };
}
