/** Background work started after answering a provider: `idle()` resolves when all of it settled. */
export interface TaskTracker {
  track(work: Promise<unknown>): void;
  idle(): Promise<void>;
  readonly pending: number;
}

export function createTaskTracker(): TaskTracker {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      running.add(settled);
      void settled.then(() => running.delete(settled));
    },
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
    get pending() {
      return running.size;
    },
  };
}
