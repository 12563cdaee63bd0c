import { generateKeyPairSync, createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { appendAudit } from '../activities/audit-log.js';
import { GovflowError } from '../domain/errors.js';
import { signerFor, type Signer } from '../domain/transparency/statements.js';
import type { Config } from './config.js';
import type { Db } from './database.js';

/**
 * The key govflow signs tree heads, receipts and bundles with (Ed25519). From configuration (AUDIT_SIGNING_KEY, a
 * PKCS#8 PEM) or, by default, a file under DATA_DIR that the first process to need it generates. Every key that ever
 * signed is kept in the SigningKey table and announced in the log itself, so a rotation never breaks old signatures.
 */
export class SigningKeys {
  private signer: Signer | undefined;
  private loadedMtime = 0;
  private registered = new Set<string>();
  /** When this process last saw its key active in the key history (0: never). */
  private activeSeenAt = 0;

  constructor(
    private readonly db: Db,
    private readonly source: { pem: string } | { file: string },
    /** How often a signing process checks that no other process's key has retired its own. */
    private readonly checkEveryMs = 30_000,
  ) {}

  static fromConfig(db: Db, config: Pick<Config, 'AUDIT_SIGNING_KEY' | 'DATA_DIR'>): SigningKeys {
    return new SigningKeys(db, config.AUDIT_SIGNING_KEY ? { pem: config.AUDIT_SIGNING_KEY } : { file: path.resolve(config.DATA_DIR, 'audit-signing-key.pem') });
  }

  /**
   * The signer of the active key, registered in the key history before its first signature. Refuses (Conflict) while
   * the history names another key active: processes sharing a database with different keys (their own DATA_DIR, or
   * different AUDIT_SIGNING_KEYs) would otherwise each retire the other's and sign on with a retired one.
   */
  async current(): Promise<Signer> {
    const signer = this.load();
    if (!this.registered.has(signer.keyId)) {
      await registerKey(this.db, signer);
      this.registered.add(signer.keyId);
      this.activeSeenAt = 0;
    }
    if (Date.now() - this.activeSeenAt >= this.checkEveryMs) await this.assertActive(signer);
    return signer;
  }

  private async assertActive(signer: Signer): Promise<void> {
    const active = await this.db.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { activatedAt: 'desc' } });
    if (active && active.keyId !== signer.keyId) {
      const source = 'pem' in this.source ? 'AUDIT_SIGNING_KEY' : this.source.file;
      throw new GovflowError(
        'Conflict',
        `this process's signing key ${signer.keyId} (${source}) is retired: key ${active.keyId} is active since ${active.activatedAt.toISOString()}. ` +
          'Every govflow process on one database must sign with the same key: give them the same AUDIT_SIGNING_KEY (or one DATA_DIR), then restart this one.',
      );
    }
    this.activeSeenAt = Date.now();
  }

  /** Replaces a file-kept key with a new one (the old file stays beside it); a configured key is rotated in config. */
  async rotate(by: string): Promise<Signer> {
    if ('pem' in this.source) {
      throw new GovflowError('Conflict', 'the signing key comes from AUDIT_SIGNING_KEY: set the new key there and restart govflow');
    }
    const old = this.load();
    renameSync(this.source.file, `${this.source.file.replace(/\.pem$/, '')}.${old.keyId}.retired.pem`);
    writeKey(this.source.file, 'wx');
    const signer = this.load();
    await registerKey(this.db, signer, by);
    this.registered.add(signer.keyId);
    return signer;
  }

  private load(): Signer {
    if ('pem' in this.source) return (this.signer ??= signerFor(parseKey(this.source.pem, 'AUDIT_SIGNING_KEY')));
    const { file } = this.source;
    let mtime = statIfAny(file);
    if (mtime === null) {
      mkdirSync(path.dirname(file), { recursive: true });
      // Exclusive create: when the API and a worker start together, one writes the key and both read it.
      try {
        writeKey(file, 'wx');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      mtime = statIfAny(file)!;
    }
    // Another process rotated the key: the next signature uses the new one.
    if (!this.signer || mtime !== this.loadedMtime) {
      this.signer = signerFor(parseKey(readFileSync(file, 'utf8'), file));
      this.loadedMtime = mtime;
    }
    return this.signer;
  }
}

function writeKey(file: string, flag: 'wx'): void {
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag, mode: 0o600 });
}

function statIfAny(file: string): number | null {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

function parseKey(pem: string, from: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new Error(`${from}: not a PEM private key (${(err as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${from}: expected an Ed25519 key, got ${key.asymmetricKeyType}`);
  return key;
}

/** Adds a key to the history (once), retires the others, and records the change in the log the keys sign. */
async function registerKey(db: Db, signer: Signer, by = 'govflow'): Promise<void> {
  await db
    .$transaction(async (tx) => {
    if (await tx.signingKey.findUnique({ where: { keyId: signer.keyId } })) return;
    const retired = await tx.signingKey.findMany({ where: { retiredAt: null }, select: { keyId: true } });
    await tx.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: new Date() } });
    await tx.signingKey.create({ data: { keyId: signer.keyId, publicKey: signer.publicKeyPem } });
    await appendAudit(tx, [
      {
        eventKey: `signing-key:${signer.keyId}#${randomUUID()}`,
        workflowId: null,
        actor: by,
        actorKind: by === 'govflow' ? 'system' : 'person',
        role: by === 'govflow' ? null : 'admin',
        action: 'signing_key_activated',
        details: { keyId: signer.keyId, publicKey: signer.publicKeyPem, retired: retired.map((k) => k.keyId) },
        policyVersion: null,
        occurredAt: new Date(),
      },
    ]);
    })
    // Two processes registering the same new key at once: the other one did it.
    .catch((err: unknown) => {
      if ((err as { code?: string }).code !== 'P2002') throw err;
    });
}
