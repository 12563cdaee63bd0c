import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Config } from './config.js';

/**
 * Evidence content, addressed by its SHA-256: the same bytes are stored once, and a digest names exactly one
 * content. On the file system under DATA_DIR by default, or in an S3-compatible bucket (EVIDENCE_S3_BUCKET).
 */
export interface EvidenceStore {
  readonly kind: 'filesystem' | 's3';
  put(digest: string, content: Buffer, mediaType: string): Promise<void>;
  /** The content, or null when the store does not hold it. */
  get(digest: string): Promise<Buffer | null>;
}

export const digestOf = (content: Uint8Array): string => `sha256:${createHash('sha256').update(content).digest('hex')}`;
const hexOf = (digest: string) => digest.slice('sha256:'.length);

export function evidenceStoreFor(config: Pick<Config, 'DATA_DIR' | 'EVIDENCE_S3_BUCKET' | 'EVIDENCE_S3_ENDPOINT' | 'EVIDENCE_S3_REGION' | 'EVIDENCE_S3_PREFIX'>): EvidenceStore {
  if (config.EVIDENCE_S3_BUCKET) {
    const client = new S3Client({
      region: config.EVIDENCE_S3_REGION,
      ...(config.EVIDENCE_S3_ENDPOINT ? { endpoint: config.EVIDENCE_S3_ENDPOINT, forcePathStyle: true } : {}),
    });
    return s3Store(client, config.EVIDENCE_S3_BUCKET, config.EVIDENCE_S3_PREFIX);
  }
  return fileStore(path.resolve(config.DATA_DIR, 'evidence'));
}

function fileStore(root: string): EvidenceStore {
  const fileOf = (digest: string) => path.join(root, 'sha256', hexOf(digest).slice(0, 2), hexOf(digest));
  return {
    kind: 'filesystem',
    async put(digest, content) {
      const file = fileOf(digest);
      mkdirSync(path.dirname(file), { recursive: true });
      // Written beside and renamed: a crash never leaves a partial file under a digest.
      const partial = `${file}.${process.pid}.partial`;
      writeFileSync(partial, content);
      renameSync(partial, file);
    },
    async get(digest) {
      try {
        return readFileSync(fileOf(digest));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
  };
}

function s3Store(client: S3Client, bucket: string, prefix: string): EvidenceStore {
  const keyOf = (digest: string) => `${prefix}sha256/${hexOf(digest)}`;
  return {
    kind: 's3',
    async put(digest, content, mediaType) {
      const exists = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(digest) })).then(
        () => true,
        (err: { name?: string }) => {
          if (err.name === 'NotFound') return false;
          throw err;
        },
      );
      if (!exists) {
        const checksum = Buffer.from(hexOf(digest), 'hex').toString('base64');
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: keyOf(digest), Body: content, ContentType: mediaType, ChecksumSHA256: checksum }));
      }
    },
    async get(digest) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(digest) }));
        return Buffer.from(await out.Body!.transformToByteArray());
      } catch (err) {
        if ((err as { name?: string }).name === 'NoSuchKey') return null;
        throw err;
      }
    },
  };
}
