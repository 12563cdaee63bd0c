import { condition } from '@temporalio/workflow';

/**
 * A deadline that an Update can move (after samples-typescript's UpdatableTimer): `wait` sleeps until the deadline
 * or until `done()`, and a move wakes it to sleep again for the new remainder. `null` means no deadline.
 */
export class Deadline {
  constructor(private dueAt: number | null) {}

  get at(): number | null {
    return this.dueAt;
  }

  /** Moves the deadline; a pending `wait` picks the new one up at once. */
  moveTo(at: number | null): void {
    this.dueAt = at;
  }

  /** 'done' once `done()` holds, 'due' when the deadline passes first. */
  async wait(done: () => boolean): Promise<'done' | 'due'> {
    for (;;) {
      if (done()) return 'done';
      const at = this.dueAt;
      const remaining = at === null ? undefined : at - Date.now();
      if (remaining !== undefined && remaining <= 0) return 'due';
      await condition(() => done() || this.dueAt !== at, remaining);
    }
  }
}
