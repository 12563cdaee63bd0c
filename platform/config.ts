import { z } from 'zod';

/**
 * Environment configuration, parsed once at start-up. Every variable is documented in `.env.example`;
 * a bad value stops the process with one message listing each offending variable and what it expects.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce
  .number({ error: 'expected a TCP port number' })
  .int('expected a TCP port number')
  .min(0, 'expected a TCP port number (0-65535)')
  .max(65535, 'expected a TCP port number (0-65535)');
const optionalString = z.string().trim().min(1).optional();

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { error: 'expected development, production or test' }).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'expected one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  DATA_DIR: z.string().min(1).default('.data'),
  /** The organisation's name, as its ISO/IEC 42001 Statement of Applicability names it. */
  ORGANISATION_NAME: z.string().trim().min(1).max(200).optional(),

  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  API_BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/i, 'expected a size such as 100kb or 1mb').default('256kb'),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number({ error: 'expected a positive integer' }).int().positive('expected a positive integer').default(600),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.url({ error: 'expected a comma-separated list of origins such as https://govflow.example.com' }))),
  /** When set, the API creates an admin principal with this token at start-up (embedded/dev convenience). */
  GOVFLOW_BOOTSTRAP_TOKEN: z.string().min(24, 'expected a token of at least 24 characters').optional(),

  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('govflow'),
  TEMPORAL_TLS: bool.default(false),
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  TEMPORAL_TLS_CA_PATH: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
  TEMPORAL_API_KEY: optionalString,
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),

  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgresql:// connection URL')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number({ error: 'expected a positive integer' }).int().positive('expected a positive integer').default(10),
  EMBEDDED_DB_PORT: port.default(54329),
  MIGRATION_WAIT_SECONDS: z.coerce.number({ error: 'expected a positive integer' }).int().positive('expected a positive integer').default(120),

  /** OpenID issuer whose JWT access tokens the API accepts beside its own tokens (exactly the tokens' `iss`). */
  OIDC_ISSUER_URL: z.url({ error: 'expected the issuer URL, e.g. https://idp.example.com/realms/govflow' }).optional(),
  OIDC_AUDIENCE: optionalString,
  /** Claim holding the caller's groups or roles; a dotted path reaches into objects (Keycloak's realm_access.roles). */
  OIDC_ROLES_CLAIM: z.string().regex(/^[\w:/-]+(\.[\w:/-]+)*$/, 'expected a claim name or a dotted path such as realm_access.roles').default('groups'),
  OIDC_PRINCIPAL_CLAIM: z.string().min(1).default('preferred_username'),
  OIDC_ROLE_MAPPING_FILE: optionalString,
  /** Least time between two JWKS fetches (jose's cooldown); a token with an unknown key triggers a refetch after it. */
  OIDC_JWKS_COOLDOWN_SECONDS: z.coerce.number({ error: 'expected a number of seconds' }).min(0, 'expected a number of seconds (0 or more)').default(30),
  /** The web app's client at the provider: set, the web app signs people in with the authorization code flow and PKCE. */
  OIDC_WEB_CLIENT_ID: optionalString,
  /** Unset for a public client (PKCE alone); set for a confidential one (client_secret_basic). */
  OIDC_WEB_CLIENT_SECRET: optionalString,
  /** Scopes the web sign-in asks for; the access token it gets must be one the API accepts (OIDC_AUDIENCE). */
  OIDC_WEB_SCOPES: z
    .string()
    .regex(/^\S+( \S+)*$/, 'expected space-separated scopes, e.g. openid profile email')
    .refine((s) => s.split(' ').includes('openid'), 'expected the scopes to include openid')
    .default('openid profile email'),
  /** The registered redirect URI (`…/app/oidc/callback`); unset, it is derived from the request's origin. */
  OIDC_WEB_REDIRECT_URL: z.url({ error: 'expected the callback URL, e.g. https://govflow.example.com/app/oidc/callback' }).optional(),

  /** Ed25519 private key (PKCS#8 PEM) that signs tree heads, receipts and bundles; unset, one is kept in DATA_DIR. */
  AUDIT_SIGNING_KEY: z
    .string()
    .trim()
    .regex(/^-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----$/, 'expected a PKCS#8 PEM private key (openssl genpkey -algorithm ed25519)')
    .optional(),
  /** How often a worker seals new audit entries into the Merkle tree and signs a tree head. */
  AUDIT_SEAL_INTERVAL_MS: z.coerce.number({ error: 'expected a number of milliseconds' }).int().min(100, 'expected at least 100 milliseconds').default(1000),

  /** Largest evidence upload accepted. */
  EVIDENCE_MAX_BYTES: z.coerce.number({ error: 'expected a number of bytes' }).int().positive('expected a positive number of bytes').default(25 * 1024 * 1024),
  /** Media types evidence may have (comma-separated). */
  EVIDENCE_MEDIA_TYPES: z
    .string()
    .default('application/pdf,image/png,image/jpeg,text/plain,text/markdown,text/csv,application/json,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.openxmlformats-officedocument.presentationml.presentation')
    .transform((s) => s.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'expected media types such as application/pdf,image/png')).min(1)),
  /** Set: every upload is POSTed here first; anything but a 2xx answer with {"clean": true} refuses it. */
  EVIDENCE_SCAN_URL: z.url({ error: 'expected an http(s) URL' }).optional(),
  /** Set: evidence is kept in this S3-compatible bucket instead of DATA_DIR/evidence (credentials: the AWS_* variables). */
  EVIDENCE_S3_BUCKET: optionalString,
  EVIDENCE_S3_ENDPOINT: z.url({ error: 'expected the S3 endpoint URL, e.g. https://s3.eu-central-1.amazonaws.com or http://127.0.0.1:9000' }).optional(),
  EVIDENCE_S3_REGION: z.string().min(1).default('us-east-1'),
  EVIDENCE_S3_PREFIX: z.string().default('govflow/evidence/'),

  POLICY_DIR: optionalString,
  NOTIFICATION_WEBHOOK_URL: z.url({ error: 'expected an http(s) URL' }).optional(),
  WORKFLOW_BUNDLE_PATH: z.string().min(1).default('dist/workflow-bundle.js'),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number({ error: 'expected a positive integer' }).int().positive('expected a positive integer').default(10),
  WORKER_METRICS_ADDRESS: z
    .string()
    .regex(/^[\w.:[\]-]+:\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:9464')
    .optional(),

  /** Secrets that sign webhook requests, comma-separated, newest first; each signs, so rotation overlaps. */
  NOTIFICATION_WEBHOOK_SECRETS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.string().min(32, 'expected secrets of at least 32 characters (openssl rand -hex 32)'))),
  /** smtp://user:pass@host:587 or smtps://…: email is a channel when set. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL').optional(),
  SMTP_FROM: z.string().min(3).default('govflow <govflow@localhost>'),
  /** The web app's public origin for links in messages; unset, http://HOST:PORT. */
  PUBLIC_URL: z.url({ error: 'expected the public origin, e.g. https://govflow.example.com' }).optional(),
  /** How long the approve / request-changes links in a message work. */
  ACTION_LINK_TTL_HOURS: z.coerce.number({ error: 'expected a number of hours' }).positive('expected a positive number of hours').default(72),
  /** How often a worker sends due notification deliveries (the outbox). */
  NOTIFICATION_DISPATCH_INTERVAL_MS: z.coerce.number({ error: 'expected a number of milliseconds' }).int().min(100, 'expected at least 100 milliseconds').default(2000),
  /** Set: `POST /adrs/pull-requests` proposes the ADR files to this GitHub repository (owner/name) as a pull request. */
  ADR_GITHUB_REPO: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'expected owner/name, e.g. acme/architecture').optional(),
  ADR_GITHUB_TOKEN: optionalString,
  ADR_GITHUB_API_URL: z.url({ error: 'expected the GitHub API URL, e.g. https://api.github.com or https://github.example.com/api/v3' }).default('https://api.github.com'),
  ADR_GITHUB_BASE_BRANCH: z.string().min(1).default('main'),
  ADR_GITHUB_DIR: z.string().min(1).default('docs/adr'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; expected: string; got: string | undefined }[]) {
    super(
      'Invalid configuration:\n' +
        problems
          .map((p) => `  ${p.variable}=${p.got === undefined ? '(unset)' : JSON.stringify(mask(p.variable, p.got))}: ${p.expected}`)
          .join('\n') +
        '\nSee .env.example for every variable and its default.',
    );
    this.name = 'ConfigError';
  }
}

function mask(variable: string, value: string): string {
  return /TOKEN|KEY|PASSWORD|SECRET/.test(variable) ? '***' : value;
}

/** Parses the environment; throws `ConfigError` naming every bad variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset", as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (parsed.success) {
    const c = parsed.data;
    const problems: ConstructorParameters<typeof ConfigError>[0] = [];
    if (c.TEMPORAL_TLS_CERT_PATH && !c.TEMPORAL_TLS_KEY_PATH) {
      problems.push({ variable: 'TEMPORAL_TLS_KEY_PATH', expected: 'required when TEMPORAL_TLS_CERT_PATH is set (mTLS needs both)', got: undefined });
    }
    if (c.OIDC_ISSUER_URL && !c.OIDC_AUDIENCE) {
      problems.push({ variable: 'OIDC_AUDIENCE', expected: 'required when OIDC_ISSUER_URL is set (the `aud` of tokens meant for this API)', got: undefined });
    }
    if (c.OIDC_ISSUER_URL && !c.OIDC_ROLE_MAPPING_FILE) {
      problems.push({ variable: 'OIDC_ROLE_MAPPING_FILE', expected: 'required when OIDC_ISSUER_URL is set (which claim values give which govflow roles)', got: undefined });
    }
    if (c.OIDC_WEB_CLIENT_ID && !c.OIDC_ISSUER_URL) {
      problems.push({ variable: 'OIDC_ISSUER_URL', expected: 'required when OIDC_WEB_CLIENT_ID is set (the provider the web app signs people in with)', got: undefined });
    }
    if (c.NOTIFICATION_WEBHOOK_URL && c.NOTIFICATION_WEBHOOK_SECRETS.length === 0) {
      problems.push({ variable: 'NOTIFICATION_WEBHOOK_SECRETS', expected: 'required when NOTIFICATION_WEBHOOK_URL is set (webhook requests are signed)', got: undefined });
    }
    if (c.ADR_GITHUB_REPO && !c.ADR_GITHUB_TOKEN) {
      problems.push({ variable: 'ADR_GITHUB_TOKEN', expected: 'required when ADR_GITHUB_REPO is set (a token that may push branches and open pull requests)', got: undefined });
    }
    if (c.NODE_ENV === 'production' && !c.TEMPORAL_ADDRESS) {
      problems.push({ variable: 'TEMPORAL_ADDRESS', expected: 'required in production (the embedded dev server is for development)', got: undefined });
    }
    if (problems.length) throw new ConfigError(problems);
    return c;
  }
  const problems = parsed.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '(environment)');
    return { variable, expected: issue.message, got: cleaned[variable] };
  });
  throw new ConfigError(problems);
}

/** The GitHub repository ADR pull requests go to, when configured. */
export function adrGithubTarget(c: Config): { apiUrl: string; repo: string; token: string; baseBranch: string; dir: string } | undefined {
  return c.ADR_GITHUB_REPO && c.ADR_GITHUB_TOKEN
    ? { apiUrl: c.ADR_GITHUB_API_URL, repo: c.ADR_GITHUB_REPO, token: c.ADR_GITHUB_TOKEN, baseBranch: c.ADR_GITHUB_BASE_BRANCH, dir: c.ADR_GITHUB_DIR }
    : undefined;
}

/** Whether the process should use TLS to reach Temporal (explicitly, or implied by an API key / client cert). */
export function temporalUsesTls(c: Config): boolean {
  return c.TEMPORAL_TLS || Boolean(c.TEMPORAL_API_KEY) || Boolean(c.TEMPORAL_TLS_CERT_PATH);
}
