// Work a platform acknowledged and is still doing. Slack and Teams get their answer before the
// work is done, so a clean stop (a deploy's SIGTERM) waits for it before closing the store;
// otherwise an acknowledged command would be lost with nobody told.
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  async run<T>(work: () => Promise<T>): Promise<T> {
    const promise = work();
    this.running.add(promise);
    try {
      return await promise;
    } finally {
      this.running.delete(promise);
    }
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when nothing is running, or after `timeoutMs`; returns how many were still running. */
  async drain(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.running]),
        new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now())))),
      ]);
      clearTimeout(timer);
    }
    return this.running.size;
  }
}
