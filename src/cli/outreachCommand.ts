/** `launcher outreach train|segments|preview|run|reminders` — see src/outreach/ and the README. */
import { join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { CampaignError, runCampaign, type CampaignOptions } from '../outreach/campaigns/runCampaign.ts';
import { trainChurn } from '../outreach/churn/train.ts';
import { openNotificationLog } from '../outreach/openNotificationLog.ts';
import { runReminders } from '../outreach/reminders.ts';
import { computeSegments, segmentOf, segmentTable, writeSegmentsPng } from '../outreach/segments/report.ts';
import { channelLabel } from '../outreach/channels/choice.ts';
import { createOutreachSender } from '../outreach/channels/channelSender.ts';
import { describeFacts, planRetentionOffers } from '../outreach/retention/offers.ts';
import { createConsoleSender } from '../outreach/sender.ts';
import { telegramConfigured, whatsappConfigured } from '../config/env.ts';
import { bootApp, CliError, type Runtime } from './boot.ts';

type Out = Pick<NodeJS.WriteStream, 'write'>;
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

export async function runOutreachTrain(runtime: Runtime, options: { seed: number }, out: Out = process.stdout): Promise<void> {
  const app = await bootApp(runtime);
  try {
    const r = await trainChurn(app.deps, { seed: options.seed });
    out.write(`modelo: ${r.model === 'naive_bayes' ? 'Naive Bayes' : `reglas (hay ${r.cancelled} cancelados; se necesitan ${runtime.config.outreach.churn.minCancelled})`}\n`);
    out.write(`clientes: ${r.customers}, cancelados: ${r.cancelled}\n`);
    if (r.heldOut) out.write(`prueba (${r.heldOut.size} clientes, semilla ${options.seed}): precisión ${pct(r.heldOut.precision)}, recall ${pct(r.heldOut.recall)}, AUC ${r.heldOut.auc.toFixed(3)}\n`);
    out.write(`puntuados: ${r.scored}, en riesgo: ${r.atRisk}\n`);
  } finally {
    await app.close();
  }
}

export async function runOutreachSegments(runtime: Runtime, options: { seed: number; out?: string }, out: Out = process.stdout): Promise<void> {
  const app = await bootApp(runtime);
  try {
    let result;
    try {
      result = await computeSegments(app.deps, options.seed);
    } catch (err) {
      throw new CliError(`cannot segment: ${(err as Error).message}`);
    }
    out.write(segmentTable(result.seg));
    const file = resolve(options.out ?? join(runtime.env.DATA_DIR, 'segments.png'));
    writeSegmentsPng(result.seg, file);
    out.write(`gráfica: ${file}\n`);
  } finally {
    await app.close();
  }
}

export interface CampaignCliOptions {
  campaign: string;
  segment?: string;
  dryRun?: boolean;
  limit?: number;
}

/** preview = a dry run that prints the first `limit` messages; run = sends (console sender) with a progress bar on a TTY. */
export async function runOutreachCampaign(runtime: Runtime, mode: 'preview' | 'run', options: CampaignCliOptions, out: Out = process.stdout): Promise<void> {
  const app = await bootApp(runtime);
  const log = openNotificationLog(app.deps.kv, runtime.env.DATA_DIR, app.deps.clock);
  const bar = process.stderr.isTTY && mode === 'run' && !options.dryRun ? new SingleBar({ stream: process.stderr, format: ' {bar} {value}/{total} mensajes' }) : undefined;
  let closeSender: (() => Promise<void>) | undefined;
  try {
    const opts: CampaignOptions = { campaign: options.campaign, dryRun: mode === 'preview' || options.dryRun === true };
    if (options.segment) {
      const { rows, seg } = await computeSegments(app.deps);
      const known = seg.segments.map((s) => s.name as string);
      if (!known.some((n) => n.toLowerCase() === options.segment!.toLowerCase())) throw new CliError(`unknown segment "${options.segment}": segments now are ${known.join(', ')}`);
      Object.assign(opts, { segment: options.segment, segments: segmentOf(rows, seg) });
    }
    let started = false;
    // Real channels when configured; a dry run or preview always prints.
    const channels = opts.dryRun ? undefined : createOutreachSender({ env: runtime.env, config: runtime.config, kv: app.deps.kv, logger: runtime.logger });
    closeSender = channels?.close;
    const run = await runCampaign(
      { ...app.deps, sender: channels?.sender ?? createConsoleSender(out), log, logger: runtime.logger },
      { ...opts, onProgress: (done, total) => { if (!bar) return; if (!started) (bar.start(total, 0), (started = true)); bar.update(done); } },
    );
    bar?.stop();
    if (opts.dryRun) {
      for (const p of run.planned.slice(0, options.limit ?? 5)) out.write(`— ${p.customer.id} (${p.profile})\n${p.text}\n\n`);
    }
    if (run.quietHours) out.write('horario de silencio: no se envió nada\n');
    out.write(`${JSON.stringify({ campaign: run.campaign, targeted: run.targeted, sent: run.sent, alreadySent: run.alreadySent, optedOut: run.optedOut, failed: run.failed, dryRun: opts.dryRun === true })}\n`);
  } catch (err) {
    if (err instanceof CampaignError) throw new CliError(err.message);
    throw err;
  } finally {
    bar?.stop();
    await closeSender?.();
    await log.close();
    await app.close();
  }
}

/** `launcher outreach offers [--limit N]`: at-risk customers with the facts, the offer and the channel. */
export async function runOutreachOffers(runtime: Runtime, options: { limit?: number }, out: Out = process.stdout): Promise<void> {
  const app = await bootApp(runtime);
  try {
    const rows = await planRetentionOffers(app.deps, { whatsapp: whatsappConfigured(runtime.env), telegram: telegramConfigured(runtime.env) });
    out.write('cliente\tpuntaje\thechos\toferta\tcanal\n');
    for (const r of rows.slice(0, options.limit ?? rows.length)) {
      out.write(`${r.customer.id} ${r.customer.name}\t${r.score.toFixed(2)}\t${describeFacts(r.facts)}\t${r.offer ?? '(ninguna regla aplica)'}\t${channelLabel(r.channel)}\n`);
    }
    out.write(`en riesgo: ${rows.length} (umbral ${runtime.config.outreach.churn.riskThreshold})\n`);
  } finally {
    await app.close();
  }
}

export async function runOutreachReminders(runtime: Runtime, options: { dryRun: boolean }, out: Out = process.stdout): Promise<void> {
  const app = await bootApp(runtime);
  const log = openNotificationLog(app.deps.kv, runtime.env.DATA_DIR, app.deps.clock);
  // Real channels when configured; a dry run always prints.
  const channels = options.dryRun ? undefined : createOutreachSender({ env: runtime.env, config: runtime.config, kv: app.deps.kv, logger: runtime.logger });
  try {
    const run = await runReminders({ ...app.deps, sender: channels?.sender ?? createConsoleSender(out), log, logger: runtime.logger }, { dryRun: options.dryRun });
    out.write(`${JSON.stringify({ quietHours: run.quietHours, sent: run.sent, alreadySent: run.alreadySent, optedOut: run.optedOut, failed: run.failed, due: run.items.length, dryRun: options.dryRun })}\n`);
  } finally {
    await channels?.close?.();
    await log.close();
    await app.close();
  }
}
