/** What `withDeadline` rejects with when the work has not settled in time. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

/**
 * `work`, or a DeadlineError (with `message`) once `ms` have passed; the timer is cleared as soon as
 * the work settles, so a deadline per request or per turn leaves nothing pending behind it.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new DeadlineError(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when `work` resolves within `ms`, false when the deadline passes first; its rejection is passed on. */
export const finishesWithin = (work: Promise<unknown>, ms: number): Promise<boolean> =>
  withDeadline(work.then(() => true), ms, '').catch((err: unknown) => {
    if (err instanceof DeadlineError) return false;
    throw err;
  });
