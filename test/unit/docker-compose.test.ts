import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../../platform/config.js';

// No Docker engine runs here: the stack's wiring is checked statically.
const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
  services: Record<string, { image?: string; build?: string; command?: string[]; ports?: string[]; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }> | string[] }>;
  volumes?: Record<string, unknown>;
};
const s = compose.services;

describe('docker-compose.yml', () => {
  it('has PostgreSQL, Temporal on PostgreSQL, the Temporal UI, a worker and the API', () => {
    expect(Object.keys(s).sort()).toEqual(['api', 'postgresql', 'temporal', 'temporal-ui', 'worker']);
    expect(s.postgresql!.image).toMatch(/^postgres:\d+/);
    expect(s.temporal!.image).toMatch(/^temporalio\/auto-setup:/);
    expect(s.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(s['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
    expect(s.worker!.build).toBe('.');
    expect(s.api!.build).toBe('.');
    expect(readFileSync('Dockerfile', 'utf8')).toMatch(/build-workflow-bundle/);
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
      expect(s[name]!.depends_on).toMatchObject({ postgresql: { condition: 'service_healthy' }, temporal: { condition: 'service_healthy' } });
    }
    expect(s.worker!.command).toEqual(['npx', 'tsx', 'worker/main.ts']);
    expect(s.api!.command).toEqual(['npx', 'tsx', 'api/main.ts']);
    expect(s.api!.environment!.HOST).toBe('0.0.0.0');
  });

  it('persists PostgreSQL in a named volume', () => {
    expect(Object.keys(compose.volumes ?? {})).toContain('postgres-data');
  });
});
