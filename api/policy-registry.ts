import type { PolicySet } from '../domain/policy/types.js';
import type { Db } from '../platform/database.js';

/**
 * The policy set new processes pin, plus every version any process ever pinned (kept in the database, so a
 * process's rules stay answerable after the files change).
 */
export class PolicyRegistry {
  private saved: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    readonly current: PolicySet,
  ) {}

  /** Stores the current set's snapshot once (concurrent first requests share one write); then returns the set. */
  async pinCurrent(): Promise<PolicySet> {
    this.saved ??= this.saveSnapshot().catch((err: unknown) => {
      this.saved = undefined; // let the next request try again
      throw err;
    });
    await this.saved;
    return this.current;
  }

  private async saveSnapshot(): Promise<void> {
    const { version } = this.current;
    try {
      await this.db.policySnapshot.create({
        data: { id: version.id, semver: version.semver, contentHash: version.contentHash, content: this.current as unknown as object },
      });
    } catch (err) {
      // Another API process pinned the same version first: the content is identical by construction (hash).
      if ((err as { code?: string }).code !== 'P2002') throw err;
    }
  }

  async get(versionId: string): Promise<PolicySet | null> {
    if (versionId === this.current.version.id) return this.current;
    const row = await this.db.policySnapshot.findUnique({ where: { id: versionId } });
    return row ? (row.content as unknown as PolicySet) : null;
  }

  async versions(): Promise<{ id: string; semver: string; contentHash: string; createdAt: Date }[]> {
    return this.db.policySnapshot.findMany({ select: { id: true, semver: true, contentHash: true, createdAt: true }, orderBy: { createdAt: 'desc' } });
  }
}
