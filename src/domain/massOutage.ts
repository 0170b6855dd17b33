import type { Messages } from '../config/messages.ts';
import type { IspConfig } from '../config/schema.ts';
import type { FlowDeps } from '../flows/flow.ts';
import type { Incident } from '../sheets/records.ts';
import { resolveZone } from './catalog.ts';
import { reporterIdentity } from './reporter.ts';

/**
 * Mass outage: `threshold` open falla tickets from different reporters in one zone within
 * `windowMinutes`. Staff are alerted once per zone and window; the KV key doubles as the
 * "known outage" flag for later reporters (setIfAbsent, so two processes never both alert).
 * Zones are compared as configured ("Zona Norte" in a sheet is Norte).
 */
export const massOutageKey = (zone: string): string => `massOutage:${zone}`;

const windowMs = (deps: FlowDeps): number => deps.config.incidents.massOutage.windowMinutes * 60_000;

/** The configured name of a written zone, or the text itself when it names no configured zone. */
const zoneName = (config: IspConfig, zone: string | undefined): string | undefined => resolveZone(config, zone)?.name ?? zone?.trim();

/** Open falla tickets of the zone created inside the window (the store is the source of truth). */
export async function recentZoneFallas(deps: FlowDeps, zone: string): Promise<Incident[]> {
  const since = new Date(deps.clock().getTime() - windowMs(deps)).toISOString();
  const wanted = zoneName(deps.config, zone);
  const recent = await deps.store.listIncidents({ type: 'falla', status: 'open', createdSince: since });
  return recent.filter((i) => zoneName(deps.config, i.zone) === wanted);
}

/**
 * Distinct reporters among tickets: a verified customer counts once however often they report;
 * an unverified sender counts once however many phone or customer numbers they typed.
 */
export function distinctReporters(msg: Messages, incidents: readonly Incident[]): number {
  return new Set(incidents.map((i) => reporterIdentity(msg, i))).size;
}

/** True while an outage of the zone is known (alerted in this window, or enough reports already). */
export async function isKnownOutage(deps: FlowDeps, zone: string | undefined): Promise<boolean> {
  const name = zoneName(deps.config, zone);
  if (!name) return false;
  if ((await deps.kv.get(massOutageKey(name))) !== undefined) return true;
  return distinctReporters(deps.msg, await recentZoneFallas(deps, name)) >= deps.config.incidents.massOutage.threshold;
}

export interface OutageCheck {
  /** Reporters counted in the window, the new ticket included. */
  reporters: number;
  /** The zone is at or over the threshold. */
  outage: boolean;
  /** This call raised the staff alert (at most once per zone and window). */
  alerted: boolean;
}

/** Call after a falla ticket is written: counts the zone's recent reports and alerts staff once. */
export async function checkMassOutage(deps: FlowDeps, written: string | undefined, ref: string): Promise<OutageCheck> {
  const zone = zoneName(deps.config, written);
  if (!zone) return { reporters: 0, outage: false, alerted: false };
  const recent = await recentZoneFallas(deps, zone);
  const reporters = distinctReporters(deps.msg, recent);
  if (reporters < deps.config.incidents.massOutage.threshold) return { reporters, outage: false, alerted: false };
  const now = deps.clock();
  const first = await deps.kv.setIfAbsent(massOutageKey(zone), { at: now.toISOString(), ref }, windowMs(deps));
  if (first) {
    const folios = recent.map((i) => i.folio).slice(0, 10).join(', ');
    await deps.notifier.notifyStaff({
      kind: 'falla_masiva',
      text: deps.msg.t('falla.staffMassOutage', {
        zone,
        count: reporters,
        minutes: deps.config.incidents.massOutage.windowMinutes,
        folios,
      }),
      ref,
      at: now.toISOString(),
    });
  }
  return { reporters, outage: true, alerted: first };
}
