import type { PolicySet } from '../domain/policy/types.js';
import type { Db } from '../platform/database.js';

/**
 * The policy set new processes pin, plus every version any process ever pinned (kept in the database, so a
 * process's rules stay answerable after the files change).
 */
export class PolicyRegistry {
  private saved = false;

  constructor(
    private readonly db: Db,
    readonly current: PolicySet,
  ) {}

  /** Stores the current set's snapshot once; called before the first process pins it. */
  async pinCurrent(): Promise<PolicySet> {
    if (!this.saved) {
      const { version } = this.current;
      await this.db.policySnapshot.upsert({
        where: { id: version.id },
        create: { id: version.id, semver: version.semver, contentHash: version.contentHash, content: this.current as unknown as object },
        update: {},
      });
      this.saved = true;
    }
    return this.current;
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
