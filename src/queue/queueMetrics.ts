import { Gauge, type Registry } from 'prom-client';
import type { TurnPipeline } from './turnPipeline.ts';

/**
 * Inbound queue depth and age on /metrics, read from the pipeline at every scrape. With Redis the
 * figures are the whole deployment's (every instance shows the same), without it this process's.
 */
export function observeInboundQueue(registry: Registry, pipeline: TurnPipeline): void {
  const registers = [registry];
  let last: Promise<{ waiting: number; oldestAgeSeconds: number }> | undefined;
  // Both gauges are collected in one scrape: read the pipeline once for the pair.
  const read = () => (last ??= pipeline.stats().finally(() => setImmediate(() => (last = undefined))));
  new Gauge({
    name: 'isp_inbound_queue_waiting',
    help: 'Inbound messages accepted and not yet fully handled (turn run and replies sent)',
    labelNames: ['kind'] as const,
    registers,
    async collect() {
      this.set({ kind: pipeline.kind }, (await read().catch(() => ({ waiting: Number.NaN }))).waiting);
    },
  });
  new Gauge({
    name: 'isp_inbound_queue_oldest_age_seconds',
    help: 'Age of the oldest inbound message not yet fully handled (0 when none)',
    labelNames: ['kind'] as const,
    registers,
    async collect() {
      this.set({ kind: pipeline.kind }, (await read().catch(() => ({ oldestAgeSeconds: Number.NaN }))).oldestAgeSeconds);
    },
  });
}
