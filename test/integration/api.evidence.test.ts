import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestOf, evidenceStoreFor } from '../../platform/evidence-store.js';
import { defaultPolicy } from '../support/policy.js';
import { useApiStack } from '../support/stack.js';

// A real virus-scan hook: refuses any upload containing the EICAR test string, and counts what it saw.
let scanner: Server;
let scanned = 0;
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
beforeAll(async () => {
  scanner = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      scanned++;
      const infected = Buffer.concat(chunks).includes(EICAR);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(infected ? { clean: false, reason: 'EICAR test signature' } : { clean: true }));
    });
  });
  await new Promise<void>((resolve) => scanner.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => scanner?.close(() => resolve())));

const stack = useApiStack('api-evidence', () => ({ EVIDENCE_MAX_BYTES: '2048', EVIDENCE_SCAN_URL: `http://127.0.0.1:${(scanner.address() as AddressInfo).port}/scan` }));

async function upload(token: string, content: string | Buffer, type: string, filename?: string) {
  const res = await fetch(`${stack.api.url}/evidence${filename ? `?filename=${encodeURIComponent(filename)}` : ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: content,
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('evidence as content', () => {
  it('stores an upload by its SHA-256 once, serves it back, and refuses what the rules do not admit', async () => {
    const rita = await stack.api.tokenFor('rita', 'requester');
    const text = `# Load test results\n\n10x peak held for 4 h (${Date.now()}).\n`;
    const digest = `sha256:${createHash('sha256').update(text).digest('hex')}`;

    const first = await upload(rita, text, 'text/markdown', 'load-test.md');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ digest, size: Buffer.byteLength(text), mediaType: 'text/markdown', filename: 'load-test.md', uploadedBy: 'rita' });
    const again = await upload(rita, text, 'text/markdown');
    expect(again.status).toBe(200);
    expect(again.body.digest).toBe(digest);

    const served = await fetch(`${stack.api.url}/evidence/${digest}`, { headers: { authorization: `Bearer ${rita}` } });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(await served.text()).toBe(text);
    expect((await stack.api.call('GET', `/evidence/${digest}/record`, { token: rita })).body.digest).toBe(digest);
    expect(await stack.db.auditEntry.count({ where: { action: 'evidence_uploaded', details: { path: ['digest'], equals: digest } } })).toBe(1);

    const wrongType = await upload(rita, 'MZ\u0090\u0000', 'application/x-msdownload');
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.detail).toContain('application/x-msdownload');
    expect((await upload(rita, 'x'.repeat(4096), 'text/plain')).status).toBe(413);
    expect((await upload(rita, '', 'text/plain')).status).toBe(400);
    const scannedBefore = scanned;
    const infected = await upload(rita, `report\n${EICAR}\n`, 'text/plain');
    expect(infected.status).toBe(422);
    expect(infected.body.detail).toContain('EICAR test signature');
    expect(scanned).toBe(scannedBefore + 1);
    expect((await stack.api.call('GET', `/evidence/sha256:${'0'.repeat(64)}`, { token: rita })).status).toBe(404);
    expect((await stack.api.call('GET', '/evidence/not-a-digest', { token: rita })).status).toBe(400);
  });

  it('lets a decision cite evidence by digest, refuses an unknown digest naming the field, and signs the digest into the receipt', async () => {
    const rita = await stack.api.tokenFor('rita', 'requester');
    const { body: stored } = await upload(rita, `threat model ${Date.now()}`, 'text/plain', 'threat-model.txt');
    const criteria = (await defaultPolicy()).architectureReview.approvalCriteria;
    const key = `EVID-${Date.now()}`;
    const unknown = `sha256:${'e'.repeat(64)}`;
    const refusedStart = await stack.api.call('POST', '/architecture-reviews', {
      token: rita,
      body: { businessKey: key, title: 'Evidence by digest', trigger: 'new_system_design', systemDescription: 'x', evidence: ['https://wiki.example.com/x', unknown] },
    });
    expect(refusedStart.status).toBe(400);
    expect(refusedStart.body.errors).toEqual([{ path: 'evidence[1]', message: 'no evidence has this digest' }]);
    const started = await stack.api.call('POST', '/architecture-reviews', {
      token: rita,
      body: { businessKey: key, title: 'Evidence by digest', trigger: 'new_system_design', systemDescription: 'x', evidence: [stored.digest] },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const sam = await stack.api.tokenFor('sam-ev', 'security_architect');
    const rulings = Object.fromEntries(criteria.map((c) => [c, 'approve']));
    const vote = await stack.api.call('POST', `/architecture-reviews/${key}/votes`, { token: sam, body: { role: 'security_architect', rulings, evidence: [stored.digest] } });
    expect(vote.status, JSON.stringify(vote.body)).toBe(200);
    expect(vote.body.receipt.evidenceDigests).toEqual([stored.digest]);
  });
});

describe('the S3-compatible evidence store', () => {
  let moto: ChildProcess | undefined;
  const port = 45_000 + Math.floor(Math.random() * 5000);
  beforeAll(async () => {
    moto = spawn(path.resolve('.tools/venv/bin/moto_server'), ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    const endpoint = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const up = await fetch(endpoint).then(() => true, () => false);
      if (up) break;
      if (i > 100) throw new Error('moto_server did not start (run `npm run setup`)');
      await new Promise((r) => setTimeout(r, 200));
    }
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'govflow-test', AWS_SECRET_ACCESS_KEY: 'govflow-test' });
    await new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'evidence' }));
  });
  afterAll(() => void moto?.kill());

  it('keeps content by digest, once, and answers null for what it does not hold', async () => {
    const store = evidenceStoreFor({ DATA_DIR: '/nonexistent', EVIDENCE_S3_BUCKET: 'evidence', EVIDENCE_S3_ENDPOINT: `http://127.0.0.1:${port}`, EVIDENCE_S3_REGION: 'us-east-1', EVIDENCE_S3_PREFIX: 'gf/' });
    const content = Buffer.from('%PDF-1.7 signed minutes');
    const digest = digestOf(content);
    await store.put(digest, content, 'application/pdf');
    await store.put(digest, content, 'application/pdf'); // the same content again: already there
    expect((await store.get(digest))?.toString()).toBe(content.toString());
    expect(await store.get(`sha256:${'1'.repeat(64)}`)).toBeNull();
  });
});
