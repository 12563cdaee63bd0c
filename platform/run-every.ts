/**
 * Runs `round` every `intervalMs` until stopped, one round at a time (a slow round delays the next, never overlaps
 * it); a failed round goes to `onError` and the next one tries again. `stop` waits for the round in progress.
 */
export function runEvery(intervalMs: number, round: () => Promise<unknown>, onError: (err: unknown) => void): { stop(): Promise<void> } {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    current = current.then(() => (stopped ? null : round())).catch(onError);
  }, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
