/** `launcher outreach train|segments|offers|preview|approve|run|reminders|calls` — see src/outreach/ and the README. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { ModelClient } from '../agent/gemini/client.ts';
import type { App } from '../app.ts';
import { campaignQueue } from '../outreach/campaigns/campaignQueue.ts';
import { CampaignError, prepareDrafts, runCampaign, type CampaignOptions, type PreparedDraft } from '../outreach/campaigns/runCampaign.ts';
import { PROFILES, type Profile } from '../outreach/campaigns/profiles.ts';
import { createDraftBook, type Draft } from '../outreach/drafts/draftBook.ts';
import { openMessageWriter } from '../outreach/drafts/openWriter.ts';
import { planStaffCalls, staffCallsCsv } from '../outreach/staffCalls.ts';
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
    out.write(`puntuados: ${r.scored}, en riesgo: ${r.atRisk}, columna Riesgo actualizada: ${r.written}\n`);
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
  /** preview: write new drafts even where a fitting one is stored. */
  regenerate?: boolean;
}

/** Tests inject a Gemini model client; otherwise GEMINI_API_KEY decides. */
export interface OutreachCliHooks {
  modelClient?: ModelClient;
}

const SOURCE: Record<string, string> = { gemini: 'Gemini', template: 'plantilla' };
const REASON: Record<string, string> = {
  invented_price: 'precio inventado',
  personal_data: 'dato personal inventado',
  too_long: 'demasiado largo',
  empty: 'respuesta vacía',
  gemini_failed: 'Gemini falló',
  spend_cap: 'tope de gasto diario',
};

function describeDraft(d: Draft): string {
  const source = d.rejected ? `plantilla (Gemini rechazado: ${REASON[d.rejected.reason] ?? d.rejected.reason} — ${d.rejected.detail})` : SOURCE[d.source];
  return `${source} · ${d.status === 'approved' ? `aprobado por ${d.approvedBy ?? '?'}` : 'borrador'}`;
}

async function campaignOptions(app: App, options: CampaignCliOptions): Promise<CampaignOptions> {
  const opts: CampaignOptions = { campaign: options.campaign };
  if (options.segment) {
    const { rows, seg } = await computeSegments(app.deps);
    const known = seg.segments.map((s) => s.name as string);
    if (!known.some((n) => n.toLowerCase() === options.segment!.toLowerCase())) throw new CliError(`unknown segment "${options.segment}": segments now are ${known.join(', ')}`);
    Object.assign(opts, { segment: options.segment, segments: segmentOf(rows, seg) });
  }
  return opts;
}

const rethrowCampaign = (err: unknown): never => {
  if (err instanceof CampaignError) throw new CliError(err.message);
  throw err;
};

/**
 * `outreach preview`: writes (Gemini checked, else the template) and stores a draft per targeted
 * customer — keeping stored drafts that still fit unless `--regenerate` — and prints the first
 * `limit` per profile. Nothing is sent.
 */
export async function runOutreachPreview(runtime: Runtime, options: CampaignCliOptions, out: Out = process.stdout, hooks: OutreachCliHooks = {}): Promise<void> {
  const app = await bootApp(runtime);
  try {
    const opts = await campaignOptions(app, options);
    const drafts = createDraftBook(app.deps.kv);
    const writer = openMessageWriter({ env: runtime.env, config: runtime.config, msg: app.deps.msg, kv: app.deps.kv, clock: app.deps.clock, logger: runtime.logger, ...(hooks.modelClient ? { client: hooks.modelClient } : {}) });
    const { prepared } = await prepareDrafts(app.deps, { ...opts, drafts, writer, ...(options.regenerate ? { regenerate: true } : {}) }).catch(rethrowCampaign);
    const limit = options.limit ?? 5;
    for (const profile of PROFILES) {
      const mine = prepared.filter((p) => p.draft.profile === profile);
      if (mine.length === 0) continue;
      out.write(`== ${profile} (${mine.length}) ==\n`);
      for (const p of mine.slice(0, limit)) out.write(`— ${p.item.customer.id} ${p.item.customer.name} · ${describeDraft(p.draft)}\n${p.draft.text}\n\n`);
    }
    const count = (f: (p: PreparedDraft) => boolean) => prepared.filter(f).length;
    const def = runtime.config.outreach.campaigns[options.campaign]!;
    out.write(
      `${JSON.stringify({
        campaign: options.campaign,
        targeted: prepared.length,
        written: count((p) => p.fresh),
        gemini: count((p) => p.draft.source === 'gemini'),
        template: count((p) => p.draft.source === 'template'),
        rejected: count((p) => p.draft.rejected !== undefined),
        approved: count((p) => p.draft.status === 'approved'),
        approvalRequired: def.approval,
        writer: writer.kind,
        dryRun: true,
      })}\n`,
    );
  } finally {
    await app.close();
  }
}

/** `outreach approve`: approves the campaign's stored drafts (all, or some customers / profiles). */
export async function runOutreachApprove(runtime: Runtime, options: { campaign: string; customer?: string[]; profile?: string[]; by?: string }, out: Out = process.stdout): Promise<void> {
  if (!runtime.config.outreach.campaigns[options.campaign]) throw new CliError(`unknown campaign "${options.campaign}": configured campaigns are ${Object.keys(runtime.config.outreach.campaigns).join(', ')}`);
  const bad = (options.profile ?? []).filter((p) => !(PROFILES as readonly string[]).includes(p));
  if (bad.length) throw new CliError(`unknown profile ${bad.join(', ')}: profiles are ${PROFILES.join(', ')}`);
  const app = await bootApp(runtime);
  try {
    const drafts = createDraftBook(app.deps.kv);
    if ((await drafts.list(options.campaign)).length === 0) throw new CliError(`no drafts for campaign "${options.campaign}": run \`launcher outreach preview --campaign ${options.campaign}\` first`);
    const approved = await drafts.approve(options.campaign, {
      ...(options.customer?.length ? { customerIds: options.customer } : {}),
      ...(options.profile?.length ? { profiles: options.profile as Profile[] } : {}),
      by: options.by ?? userInfo().username,
      at: app.deps.clock().toISOString(),
    });
    const all = await drafts.list(options.campaign);
    out.write(`${JSON.stringify({ campaign: options.campaign, approved, drafts: all.length, pendingApproval: all.filter((d) => d.status !== 'approved').length })}\n`);
  } finally {
    await app.close();
  }
}

/** `outreach run`: sends (real channels when configured, else the console) with a progress bar on a TTY; `--dry-run` plans only. */
export async function runOutreachCampaign(runtime: Runtime, options: CampaignCliOptions, out: Out = process.stdout, hooks: OutreachCliHooks = {}): Promise<void> {
  const app = await bootApp(runtime);
  const log = await openNotificationLog(app.deps.kv, runtime.env.DATA_DIR, app.deps.clock, { env: runtime.env, config: runtime.config, logger: runtime.logger });
  const dryRun = options.dryRun === true;
  const bar = process.stderr.isTTY && !dryRun ? new SingleBar({ stream: process.stderr, format: ' {bar} {value}/{total} mensajes' }) : undefined;
  let closeSender: (() => Promise<void>) | undefined;
  try {
    const opts = await campaignOptions(app, options);
    let started = false;
    // Real channels when configured; a dry run always prints.
    const channels = dryRun ? undefined : await createOutreachSender({ env: runtime.env, config: runtime.config, kv: app.deps.kv, logger: runtime.logger });
    closeSender = channels?.close;
    const writer = openMessageWriter({ env: runtime.env, config: runtime.config, msg: app.deps.msg, kv: app.deps.kv, clock: app.deps.clock, logger: runtime.logger, ...(hooks.modelClient ? { client: hooks.modelClient } : {}) });
    const run = await runCampaign(
      { ...app.deps, sender: channels?.sender ?? createConsoleSender(out), log, logger: runtime.logger },
      { ...opts, dryRun, drafts: createDraftBook(app.deps.kv), writer, ...(runtime.env.REDIS_URL && !dryRun ? { dispatch: campaignQueue({ redisUrl: runtime.env.REDIS_URL }) } : {}), onProgress: (done, total) => { if (!bar) return; if (!started) (bar.start(total, 0), (started = true)); bar.update(done); } },
    ).catch(rethrowCampaign);
    bar?.stop();
    if (dryRun) for (const p of run.planned.slice(0, options.limit ?? 5)) out.write(`— ${p.customer.id} (${p.profile})\n${p.text}\n\n`);
    for (const c of run.staffCalls) out.write(`llamada del personal: ${c.customer.id} ${c.customer.name} ${c.customer.phone}\n`);
    if (run.quietHours) out.write('horario de silencio: no se envió nada\n');
    if (run.awaitingApproval) out.write(`esperan aprobación: ${run.awaitingApproval} (\`launcher outreach preview\` y \`launcher outreach approve --campaign ${run.campaign}\`)\n`);
    out.write(
      `${JSON.stringify({ campaign: run.campaign, targeted: run.targeted, sent: run.sent, alreadySent: run.alreadySent, optedOut: run.optedOut, failed: run.failed, awaitingApproval: run.awaitingApproval, staffCalls: run.staffCalls.length, dryRun })}\n`,
    );
  } finally {
    bar?.stop();
    await closeSender?.();
    await log.close();
    await app.close();
  }
}

/** `outreach calls [--csv FILE]`: customers due a reminder or an offer that no configured channel reaches. */
export async function runOutreachCalls(runtime: Runtime, options: { csv?: string }, out: Out = process.stdout): Promise<void> {
  const app = await bootApp(runtime);
  try {
    const calls = await planStaffCalls(app.deps, { whatsapp: whatsappConfigured(runtime.env), telegram: telegramConfigured(runtime.env) });
    out.write('cliente\tteléfono\tzona\tmotivo\tdetalle\n');
    for (const c of calls) out.write(`${c.customer.id} ${c.customer.name}\t${c.customer.phone}\t${c.customer.zone}\t${c.reason}\t${c.detail}\n`);
    out.write(`llamadas: ${calls.length}\n`);
    if (options.csv) {
      const file = resolve(options.csv);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, staffCallsCsv(calls));
      out.write(`csv: ${file}\n`);
    }
  } finally {
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
  const log = await openNotificationLog(app.deps.kv, runtime.env.DATA_DIR, app.deps.clock, { env: runtime.env, config: runtime.config, logger: runtime.logger });
  // Real channels when configured; a dry run always prints.
  const channels = options.dryRun ? undefined : await createOutreachSender({ env: runtime.env, config: runtime.config, kv: app.deps.kv, logger: runtime.logger });
  try {
    const run = await runReminders({ ...app.deps, sender: channels?.sender ?? createConsoleSender(out), log, logger: runtime.logger }, { dryRun: options.dryRun });
    for (const id of run.staffCalls) out.write(`llamada del personal: ${id}\n`);
    out.write(`${JSON.stringify({ quietHours: run.quietHours, sent: run.sent, alreadySent: run.alreadySent, optedOut: run.optedOut, failed: run.failed, staffCalls: run.staffCalls.length, due: run.items.length, dryRun: options.dryRun })}\n`);
  } finally {
    await channels?.close?.();
    await log.close();
    await app.close();
  }
}
