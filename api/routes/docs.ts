import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Express } from 'express';
import { buildOpenApi } from '../openapi.js';
import type { RouteRegistry } from '../route-registry.js';

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>govflow API</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;
const INIT_JS = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', persistAuthorization: true });`;

/** `/openapi.json` and interactive docs at `/docs` (Swagger UI served from the package: works offline). */
export function mountDocs(app: Express, registry: RouteRegistry): void {
  const spec = buildOpenApi(registry);
  const assets = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const docsCsp = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

  app.get('/openapi.json', (_req, res) => void res.json(spec));
  app.get('/docs', (_req, res) => void res.set('content-security-policy', docsCsp).type('html').send(DOCS_HTML));
  app.get('/docs/init.js', (_req, res) => void res.type('application/javascript').send(INIT_JS));
  app.use('/docs/assets', (_req, res, next) => {
    res.set('cache-control', 'public, max-age=86400');
    next();
  }, express.static(assets, { index: false }));
}
