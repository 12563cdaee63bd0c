import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, configSchema, loadConfig } from '../../platform/config.js';

describe('configuration', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: 'govflow', DATA_DIR: '.data', TEMPORAL_UI_PORT: 8233 });
    expect(c.TEMPORAL_ADDRESS).toBeUndefined();
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('names every offending variable and what it expects, in one message', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TEMPORAL_TLS: 'maybe', LOG_LEVEL: 'loud', GOVFLOW_BOOTSTRAP_TOKEN: 'short' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as ConfigError).message;
    expect((err as ConfigError).problems.map((p) => p.variable).sort()).toEqual(['DATABASE_URL', 'GOVFLOW_BOOTSTRAP_TOKEN', 'LOG_LEVEL', 'PORT', 'TEMPORAL_TLS']);
    expect(message).toContain('PORT="eighty": expected a TCP port number');
    expect(message).toContain('DATABASE_URL="mysql://x": expected a postgresql:// connection URL');
    expect(message).toContain('TEMPORAL_TLS="maybe": expected true or false');
    expect(message).toContain('GOVFLOW_BOOTSTRAP_TOKEN="***"');
    expect(message).not.toContain('short');
  });

  it('needs TEMPORAL_ADDRESS in production and both halves of an mTLS pair', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/TEMPORAL_ADDRESS=\(unset\): required in production/);
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/c.pem' })).toThrow(/TEMPORAL_TLS_KEY_PATH/);
  });

  it('signs webhooks: secrets are required with the webhook, each long enough, and never printed', () => {
    expect(() => loadConfig({ NOTIFICATION_WEBHOOK_URL: 'https://hooks.example.com/govflow' })).toThrow(/NOTIFICATION_WEBHOOK_SECRETS=\(unset\): required when NOTIFICATION_WEBHOOK_URL is set/);
    expect(() => loadConfig({ NOTIFICATION_WEBHOOK_SECRETS: 'too-short' })).toThrow(/NOTIFICATION_WEBHOOK_SECRETS="\*\*\*": expected secrets of at least 32 characters/);
    const rotating = loadConfig({ NOTIFICATION_WEBHOOK_URL: 'https://hooks.example.com/govflow', NOTIFICATION_WEBHOOK_SECRETS: `${'n'.repeat(32)}, ${'o'.repeat(32)}` });
    expect(rotating.NOTIFICATION_WEBHOOK_SECRETS).toEqual(['n'.repeat(32), 'o'.repeat(32)]);
    expect(() => loadConfig({ SMTP_URL: 'mail.example.com:25' })).toThrow(/SMTP_URL="mail.example.com:25": expected an smtp:\/\/ or smtps:\/\/ URL/);
  });

  it('treats empty values as unset, like .env files do', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: '', DATABASE_URL: '' }).TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('documents every variable in .env.example', () => {
    const documented = new Set([...readFileSync('.env.example', 'utf8').matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect([...Object.keys(configSchema.shape)].filter((k) => !documented.has(k))).toEqual([]);
    expect([...documented].filter((k) => !(k! in configSchema.shape))).toEqual([]);
  });
});
