import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../../platform/config.js';

// No Docker engine runs here: the stack's wiring is checked statically.
const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
  services: Record<
    string,
    { image?: string; build?: string; command?: string[]; ports?: string[]; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }> | string[]; restart?: string }
  >;
  volumes?: Record<string, unknown>;
};
const s = compose.services;

describe('docker-compose.yml', () => {
  it('has PostgreSQL, Temporal on PostgreSQL, the Temporal UI, a migration, a worker and the API', () => {
    expect(Object.keys(s).sort()).toEqual(['api', 'migrate', 'postgresql', 'temporal', 'temporal-namespace', 'temporal-schema', 'temporal-ui', 'worker']);
    expect(s.postgresql!.image).toMatch(/^postgres:\d+/);
    expect(s.worker!.build).toBe('.');
    expect(s.api!.build).toBe('.');
    // The image compiles (tsc to dist/, with the workflow bundle) and runs node on the result, never tsx.
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    expect(dockerfile).toMatch(/npm run build/);
    expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts.build).toMatch(/tsc -p tsconfig.build.json && node dist\/scripts\/build-workflow-bundle.js/);
    expect(dockerfile).toMatch(/CMD \["node", "dist\/api\/main.js"\]/);
    expect(dockerfile.split('\n').filter((line) => !line.startsWith('#'))).not.toContainEqual(expect.stringMatching(/tsx/));
    expect(Object.values(s).flatMap((svc) => svc.command ?? []).filter((c) => /tsx|\.ts$/.test(c))).toEqual([]);
  });

  it('runs Temporal on its supported images, pinned, with admin-tools setting up schema and namespace first', () => {
    const images = Object.values(s).map((svc) => svc.image).filter((i): i is string => Boolean(i));
    expect(images.filter((i) => i.startsWith('temporalio/auto-setup'))).toEqual([]);
    for (const image of images) expect(image, 'a pinned version, not latest').toMatch(/:\d+(\.\d+)+$|^postgres:\d+$/);
    expect(s.temporal!.image).toMatch(/^temporalio\/server:/);
    expect(s.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(s['temporal-schema']!.image).toMatch(/^temporalio\/admin-tools:/);
    const schemaScript = s['temporal-schema']!.command!.join('\n');
    expect(schemaScript).toMatch(/temporal_visibility/);
    expect(schemaScript).toMatch(/temporal-sql-tool[\s\S]*setup-schema[\s\S]*update-schema/);
    expect(s.temporal!.depends_on).toMatchObject({ 'temporal-schema': { condition: 'service_completed_successfully' } });
    expect(s['temporal-namespace']!.depends_on).toMatchObject({ temporal: { condition: 'service_healthy' } });
    expect(s['temporal-namespace']!.command!.join('\n')).toMatch(/namespace create -n default/);
    expect(s['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
  });

  it('migrates once, in a one-shot service that workers and the API wait for', () => {
    expect(s.migrate!.build).toBe('.');
    expect(s.migrate!.command).toEqual(['node', 'dist/scripts/migrate.js']);
    expect(s.migrate!.restart).not.toMatch(/always|unless-stopped/);
    expect(s.migrate!.environment!.DATABASE_URL).toBe(s.worker!.environment!.DATABASE_URL);
    expect(configSchema.safeParse(s.migrate!.environment).success).toBe(true);
    for (const name of ['worker', 'api'] as const) {
      expect(s[name]!.depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' }, 'temporal-namespace': { condition: 'service_completed_successfully' } });
    }
  });

  it('exposes the API on 3000 and the UI on 8233', () => {
    expect(s.api!.ports).toContain('3000:3000');
    expect(s['temporal-ui']!.ports).toContain('8233:8080');
  });

  it('wires worker and API to the same Temporal, task queue and database, with valid configuration', () => {
    for (const name of ['worker', 'api'] as const) {
      const env = s[name]!.environment!;
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(env.TEMPORAL_TASK_QUEUE).toBe('govflow');
      expect(env.DATABASE_URL).toBe('postgresql://govflow:govflow@postgresql:5432/govflow');
      expect(env.NODE_ENV).toBe('production');
      const { GOVFLOW_BOOTSTRAP_TOKEN: _interpolated, ...literal } = env;
      expect(configSchema.safeParse(literal).success).toBe(true);
    }
    expect(s.worker!.command).toEqual(['node', 'dist/worker/main.js']);
    expect(s.api!.command).toEqual(['node', 'dist/api/main.js']);
    expect(s.api!.environment!.HOST).toBe('0.0.0.0');
  });

  it('persists PostgreSQL in a named volume', () => {
    expect(Object.keys(compose.volumes ?? {})).toContain('postgres-data');
  });
});
