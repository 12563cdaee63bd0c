import { z } from 'zod';
import { CHANNELS } from '../../activities/notifications.js';

/**
 * What the API answers, as zod schemas: the OpenAPI document's response schemas, and (with NODE_ENV=test) the
 * check every answer passes in the test suites, so the document cannot drift from the handlers. `strictObject`
 * where the answer is exactly these fields; `looseObject` where a process kind or a policy adds its own.
 */

const at = z.iso.datetime().describe('ISO 8601 timestamp (UTC)');
const strings = z.array(z.string());

export const actorResponse = z.strictObject({
  id: z.string(),
  kind: z.enum(['person', 'agent']),
  roles: strings,
  identity: z.strictObject({ issuer: z.string(), subject: z.string() }).optional(),
});

const event = z.looseObject({ seq: z.number(), at: z.string(), actor: z.string(), actorKind: z.enum(['person', 'agent', 'system']), action: z.string(), details: z.record(z.string(), z.unknown()) });
const notice = z.looseObject({ seq: z.number(), kind: z.string(), recipients: strings, message: z.string() });

/** Every kind's state has these fields (workflows/contracts/common.ts `ProcessStateBase`); each kind adds its own. */
export const processState = z
  .looseObject({
    workflowId: z.string(),
    kind: z.string(),
    businessKey: z.string(),
    title: z.string(),
    requester: z.string(),
    policyVersion: z.string(),
    stage: z.string(),
    outcome: z.string().nullable(),
    pendingRoles: strings,
    slaDueAt: z.string().nullable(),
    events: z.array(event),
    notices: z.array(notice),
    record: z
      .strictObject({ status: z.enum(['ok', 'lagging', 'failed']), error: z.string().optional(), since: z.string().optional() })
      .optional()
      .describe('Whether the database has this state yet (absent once the process is past Temporal retention)'),
  })
  .describe("The process's full state; each kind adds its own fields");

/** `GET /<process>/:key/deadlines`: what the process's escalation clock fires on (web/next-steps.ts `NextSteps`). */
export const processDeadlines = z
  .strictObject({
    workflowId: z.string(),
    reminderAt: at.nullable().describe('When the pending roles are reminded (past once sent)'),
    escalationAt: at.nullable().describe('When it is escalated (past once escalated)'),
    dueAt: at.nullable().describe('The deadline'),
    escalateTo: z.string().optional().describe('The role escalated to'),
    breachAtDue: z.boolean().describe('Whether it closes as sla_breached at the deadline'),
    workingTime: z.strictObject({ calendar: z.string(), timeZone: z.string() }).optional().describe('The calendar its steps in working time count in'),
  })
  .describe('Reminder, escalation and deadline as the process computes them; null where none runs');

/** What an action answers: the kernel's receipt (ProcessReceipt); the process's own fields are in `GET /<process>/:key`. */
export const started = z.strictObject({
  workflowId: z.string(),
  businessKey: z.string(),
  policyVersion: z.string(),
  href: z.string().describe('Where the process is: GET it for its state'),
});

export const evaluated = started.extend({
  outcome: z.string().nullable(),
  result: z.looseObject({ engine: z.string() }).optional().describe("The engine's explained result"),
});

export const processSummary = z.strictObject({
  workflowId: z.string(),
  businessKey: z.string(),
  title: z.string(),
  requester: z.string(),
  stage: z.string(),
  outcome: z.string().nullable(),
  pendingRoles: strings,
  riskTier: z.string().nullable(),
  slaDueAt: at.nullable(),
  policyVersion: z.string(),
  createdAt: at,
  updatedAt: at,
  completedAt: at.nullable(),
});

export const processPage = z.strictObject({ items: z.array(processSummary), nextCursor: z.string().nullable() });

export const inboxPage = z.strictObject({
  items: z.array(
    z.strictObject({
      workflowId: z.string(),
      kind: z.string(),
      businessKey: z.string(),
      title: z.string(),
      stage: z.string(),
      pendingRoles: strings,
      pendingActors: strings,
      slaDueAt: at.nullable(),
      requester: z.string(),
      createdAt: at,
      attention: z.string().optional().describe('Why an admin sees it (a seat held by an inactive person)'),
    }),
  ),
});

const principal = z.strictObject({ id: z.string(), name: z.string(), kind: z.string(), roles: strings, disabled: z.boolean() });
export const principalIssued = z.strictObject({ id: z.string(), kind: z.string(), roles: strings, token: z.string().describe('Shown only once') });
export const tokenIssued = z.strictObject({ id: z.string(), token: z.string().describe('Shown only once') });
export const tokenList = z.strictObject({
  items: z.array(z.strictObject({ id: z.string(), label: z.string(), createdAt: at, expiresAt: at.nullable(), revokedAt: at.nullable() })),
});
export const tokenRevoked = z.strictObject({ id: z.string(), label: z.string(), revokedAt: at.nullable() });
export const principalState = principal;
export const principalList = z.strictObject({ items: z.array(principal.extend({ createdAt: at })) });
export const loginLink = z.strictObject({ path: z.string().describe('Open on this server: /app/login/<token>'), expiresAt: at });

export const liveness = z.strictObject({ status: z.literal('ok') });
export const readiness = z.strictObject({ status: z.literal('ready'), checks: z.strictObject({ temporal: z.string(), database: z.string() }) });

const policySet = z.looseObject({ version: z.looseObject({ id: z.string(), semver: z.string(), contentHash: z.string() }), roles: strings }).describe('A whole policy set');
export const policyIndex = z.strictObject({ current: policySet, pinnedVersions: z.array(z.looseObject({ id: z.string() })) });
export const policyVersion = policySet;
export const rolesTable = z.strictObject({
  policyVersion: z.string(),
  roles: strings,
  permissions: z.record(z.string(), z.record(z.string(), strings)),
  segregationOfDuties: z.looseObject({}),
  agents: z.looseObject({}),
});

const change = z.strictObject({ kind: z.string(), subject: z.string(), before: z.unknown(), after: z.unknown(), detail: z.string(), flagged: z.boolean() });
const impactEntry = z.strictObject({ workflowId: z.string(), what: z.string(), title: z.string(), owners: strings, policyVersion: z.string(), changes: z.array(change) });
export const impactReport = z.strictObject({
  draftVersion: z.string(),
  asOf: z.iso.date(),
  examined: z.strictObject({ evaluations: z.number(), processes: z.number() }),
  evaluations: z.array(impactEntry),
  processes: z.array(impactEntry),
  flagged: z.number().describe('Flagged changes; a policy CI fails when above 0'),
});

export const auditEntry = z.strictObject({
  seq: z.string().describe('Sequence number (a decimal string: it may exceed 2^53)'),
  eventKey: z.string(),
  workflowId: z.string().nullable(),
  actor: z.string(),
  actorKind: z.string(),
  role: z.string().nullable(),
  action: z.string(),
  details: z.unknown(),
  policyVersion: z.string().nullable(),
  issuer: z.string().nullable(),
  subject: z.string().nullable(),
  runId: z.string().nullable().describe('The workflow run that recorded it (null for administrative entries and older ones)'),
  occurredAt: at,
  prevHash: z.string().nullable().describe('The legacy hash chain (entries written before the transparency log); null after'),
  hash: z.string().nullable(),
  leafHash: z.string().nullable().describe("RFC 6962 leaf hash of the entry's canonical content"),
  leafIndex: z.string().nullable().describe("The entry's position in the Merkle tree (a decimal string); null until sealed"),
});
export const auditPage = z.strictObject({ items: z.array(auditEntry), nextAfterSeq: z.string().nullable() });
export const logVerification = z.strictObject({
  ok: z.boolean(),
  entries: z.number().int(),
  unsealed: z.number().int().describe('Entries not yet in a signed tree head (the sealer takes them within seconds)'),
  treeHead: z.strictObject({ treeSize: z.number().int(), rootHash: z.string(), timestamp: at, keyId: z.string() }).nullable(),
  firstBroken: z
    .strictObject({ seq: z.string().nullable(), eventKey: z.string().nullable(), reason: z.string() })
    .nullable()
    .describe('The first entry or tree head that does not match; seq and eventKey are null when what is missing is the newest entries'),
});

const hash = z.string().regex(/^[0-9a-f]{64}$/);
export const signedTreeHead = z
  .strictObject({ origin: z.string(), treeSize: z.number().int(), rootHash: hash, timestamp: at, keyId: z.string(), signature: z.string() })
  .describe('The log at a moment: its size and Merkle root (RFC 6962), signed with Ed25519 over `govflow/tree-head/v1\\n` + canonical JSON of the other fields');
export const treeHeadList = z.strictObject({ items: z.array(signedTreeHead), nextBefore: z.number().int().nullable() });
export const inclusionProof = z.strictObject({ eventKey: z.string(), leafIndex: z.number().int(), leafHash: hash, treeHead: signedTreeHead, path: z.array(hash) });
export const consistencyProof = z.strictObject({ first: signedTreeHead, second: signedTreeHead, path: z.array(hash) });
export const decisionReceipt = z
  .strictObject({
    origin: z.string(),
    eventKey: z.string(),
    workflowId: z.string().nullable(),
    runId: z.string().nullable(),
    eventSeq: z.number().int().nullable(),
    action: z.string(),
    actor: z.string(),
    actorKind: z.string(),
    role: z.string().nullable(),
    occurredAt: at,
    justificationDigest: hash.nullable(),
    policyVersion: z.string().nullable(),
    policyContentHash: hash.nullable(),
    evidenceDigests: z.array(z.string()),
    leafHash: hash,
    keyId: z.string(),
    signature: z.string(),
  })
  .describe('A decision receipt, signed with Ed25519 over `govflow/receipt/v1\\n` + canonical JSON of the other fields');
export const actionResult = z
  .strictObject({
    workflowId: z.string(),
    kind: z.string(),
    stage: z.string(),
    outcome: z.string().nullable(),
    pendingRoles: strings,
    slaDueAt: z.string().nullable(),
    version: z.number().int().describe('The state version after the action; it only grows'),
    event: z.number().int().nullable().describe("The sequence number of the last event on the process's record (the action's own, when it recorded one)"),
    receipt: decisionReceipt
      .nullable()
      .describe("The signed receipt of the caller's action; null while its record is still being written (GET /audit/receipts/{eventKey} has it then)"),
  })
  .describe('Where the process stands after the action: its stage, outcome, who it waits on, and the state version');

export const signingKeys = z.strictObject({
  items: z.array(z.strictObject({ keyId: z.string(), publicKey: z.string().describe('PEM (SPKI)'), activatedAt: at, retiredAt: at.nullable() })),
});

export const reportSummary = z.strictObject({ id: z.string(), kind: z.string(), scope: z.string(), periodStart: at, periodEnd: at, createdAt: at });
export const reportPage = z.strictObject({ items: z.array(reportSummary), nextBefore: at.nullable() });
export const report = reportSummary.extend({ content: z.unknown() });
export const roadmapPackage = z.looseObject({}).describe("The roadmap package: deliverables, decisions and child outcomes");

const recordRow = z.strictObject({ workflowId: z.string(), status: z.string(), error: z.string().nullable(), since: at.nullable(), updatedAt: at });
export const recordList = z.strictObject({ items: z.array(recordRow) });
export const recordRetry = z.strictObject({ workflowId: z.string(), retrying: z.literal(true) });

export const evidenceRecord = z
  .strictObject({ digest: z.string().regex(/^sha256:[0-9a-f]{64}$/), size: z.number().int(), mediaType: z.string(), filename: z.string().nullable(), uploadedBy: z.string(), uploadedAt: at })
  .describe('Stored evidence: cite `digest` in a decision\'s or a request\'s `evidence`');

const notificationDelivery = z.strictObject({
  id: z.string(),
  channel: z.enum(['webhook', ...CHANNELS]),
  recipient: z.string().describe("The principal it is for ('' for the generic webhook)"),
  status: z.enum(['pending', 'digest', 'delivered', 'refused', 'failed']).describe('pending: to send or to retry at nextAttemptAt; digest: held for the daily digest; refused: never sent again; failed: retries ran out'),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: at,
  deliveredAt: at.nullable(),
});

/** A process's notifications, each with its deliveries (GET /notifications). */
export const notificationPage = z.strictObject({
  items: z.array(
    z.strictObject({
      id: z.string(),
      kind: z.string(),
      recipients: z.array(z.string()),
      message: z.string(),
      createdAt: at,
      deliveredAt: at.nullable(),
      deliveries: z.array(notificationDelivery),
    }),
  ),
});

/** How a person is told (GET/PUT /me/notification-preferences). */
export const notificationPreferences = z.strictObject({
  channels: z.array(z.enum(CHANNELS)),
  email: z.string().nullable().describe('The address email goes to: the one set here, else the identity provider’s'),
  slackWebhookUrl: z.string().nullable(),
  teamsWebhookUrl: z.string().nullable(),
  digest: z.boolean(),
  digestHourUtc: z.number().int(),
});

/** A person's absence and deputy (PUT /me/out-of-office). */
export const outOfOffice = z.strictObject({ deputy: z.string(), from: at, until: at, roles: strings.describe('The roles the deputy stands in for: the ones both hold') });

/** My absence, if one is set, and whom I stand in for now (GET /me/out-of-office). */
export const outOfOfficeState = z.strictObject({
  outOfOffice: z.strictObject({ deputy: z.string(), from: at, until: at }).nullable(),
  deputyFor: strings.describe('The people out of office now who named me as deputy'),
});

/** `GET /adrs`: what `govflow adr sync` writes. */
export const adrList = z.strictObject({
  collection: z.strictObject({ key: z.string(), title: z.string() }),
  items: z.array(
    z.strictObject({
      number: z.number().int(),
      fileName: z.string().describe('MADR file name, e.g. 0003-payments-platform-redesign.md'),
      title: z.string(),
      status: z.string().describe('accepted, rejected, proposed, or "superseded by …"'),
      workflowId: z.string(),
      href: z.string().describe('Where the ADR is served as text/markdown'),
      markdown: z.string(),
    }),
  ),
});

/** `GET /tech-radar`: Backstage's TechRadarLoaderResponse (the test checks it against the published type). */
export const techRadar = z.strictObject({
  quadrants: z.array(z.strictObject({ id: z.string(), name: z.string() })),
  rings: z.array(z.strictObject({ id: z.string(), name: z.string(), color: z.string(), description: z.string().optional() })),
  entries: z.array(
    z.strictObject({
      key: z.string(),
      id: z.string(),
      quadrant: z.string(),
      title: z.string(),
      description: z.string().optional(),
      timeline: z.array(z.strictObject({ date: z.iso.datetime(), ringId: z.string(), description: z.string().optional(), moved: z.union([z.literal(-1), z.literal(0), z.literal(1)]).optional() })),
      links: z.array(z.strictObject({ url: z.string(), title: z.string() })).optional(),
    }),
  ),
});

/** `POST /adrs/pull-requests`: what the pull request activity did. */
export const adrPullRequest = z.strictObject({
  repository: z.string(),
  pullRequest: z.strictObject({ number: z.number().int(), url: z.string() }).nullable().describe('null when the base branch already has every file as govflow would write it'),
  branch: z.string().nullable(),
  written: z.array(z.string()),
  unchanged: z.array(z.string()),
  kept: z.array(z.string()).describe('Files a person edited on the base branch: left as they are'),
});
