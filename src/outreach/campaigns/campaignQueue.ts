/**
 * Campaign sends through BullMQ (with Redis): one job per campaign × customer, job id
 * `<campaign>.<customer id>`, so a run that stops half-way — Ctrl+C, a crash — leaves its jobs in
 * Redis; the next run (on any machine) adds the same ids (no duplicates) and its worker takes them
 * over, including the stalled ones of a dead run. Several runners share one campaign's jobs. The
 * claims in runCampaign still decide "sent once per customer"; the queue spreads and recovers the work.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { CampaignDispatch, PlannedMessage } from './runCampaign.ts';

export interface CampaignQueueOptions {
  redisUrl: string;
  /** BullMQ key prefix (default `isp:bull`). */
  prefix?: string;
  /** Sends in flight at once in this runner (the per-number limiter paces them); default 8. */
  concurrency?: number;
  /** A dead runner's job is taken over after this long; default 30 s. */
  lockMs?: number;
}

const safe = (s: string): string => s.replace(/[^\w.-]/g, '_');

export function campaignQueue(options: CampaignQueueOptions): CampaignDispatch {
  const prefix = options.prefix ?? 'isp:bull';
  return async (campaign, items, send, { signal, onDone }) => {
    const byCustomer = new Map<string, PlannedMessage>(items.map((i) => [i.customer.id, i]));
    const name = `outreach-${safe(campaign)}`;
    const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    const queue = new Queue(name, { connection, prefix });
    queue.on('error', () => undefined);
    let worker: Worker | undefined;
    try {
      await queue.addBulk(
        items.map((i) => ({
          name: 'send',
          data: { customerId: i.customer.id },
          opts: { jobId: `${safe(campaign)}.${safe(i.customer.id)}`, removeOnComplete: true, removeOnFail: { age: 7 * 86_400 }, attempts: 5, backoff: { type: 'exponential', delay: 2_000 } },
        })),
      );
      worker = new Worker(
        name,
        async (job) => {
          // A job left by an earlier run for a customer no longer targeted (opted out, cancelled) is done.
          const item = byCustomer.get(String(job.data.customerId));
          if (item) await send(item);
          onDone();
        },
        { connection, prefix, concurrency: options.concurrency ?? 8, lockDuration: options.lockMs ?? 30_000, stalledInterval: Math.max(1_000, (options.lockMs ?? 30_000) / 2), autorun: true },
      );
      worker.on('error', () => undefined);
      const abort = new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
      // Done when nothing of this campaign is waiting, delayed or running anywhere.
      for (;;) {
        if (signal?.aborted) break;
        const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        if (Object.values(counts).every((n) => n === 0)) break;
        await Promise.race([abort, new Promise((resolve) => setTimeout(resolve, 100))]);
      }
    } finally {
      // On abort the running sends finish; what is still waiting stays for the next run.
      await worker?.close();
      await queue.close().catch(() => undefined);
      await connection.quit().catch(() => connection.disconnect());
    }
  };
}
