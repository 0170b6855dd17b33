import type { FlowDeps } from '../flows/flow.ts';
import type { Incident } from '../sheets/records.ts';

/**
 * Mass outage: `threshold` open falla tickets from different customers in one zone within
 * `windowMinutes`. Staff are alerted once per zone and window; the KV key doubles as the
 * "known outage" flag for later reporters (setIfAbsent, so two processes never both alert).
 */
export const massOutageKey = (zone: string): string => `massOutage:${zone}`;

const windowMs = (deps: FlowDeps): number => deps.config.incidents.massOutage.windowMinutes * 60_000;

/** Open falla tickets of the zone created inside the window (the store is the source of truth). */
export async function recentZoneFallas(deps: FlowDeps, zone: string): Promise<Incident[]> {
  const since = new Date(deps.clock().getTime() - windowMs(deps)).toISOString();
  return deps.store.listIncidents({ type: 'falla', status: 'open', zone, createdSince: since });
}

/** Distinct reporters among tickets (a customer reporting twice counts once). */
export function distinctReporters(incidents: readonly Incident[]): number {
  return new Set(incidents.map((i) => i.customerId ?? i.phone ?? i.folio)).size;
}

/** True while an outage of the zone is known (alerted in this window, or enough reports already). */
export async function isKnownOutage(deps: FlowDeps, zone: string | undefined): Promise<boolean> {
  if (!zone) return false;
  if ((await deps.kv.get(massOutageKey(zone))) !== undefined) return true;
  return distinctReporters(await recentZoneFallas(deps, zone)) >= deps.config.incidents.massOutage.threshold;
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
export async function checkMassOutage(deps: FlowDeps, zone: string | undefined, ref: string): Promise<OutageCheck> {
  if (!zone) return { reporters: 0, outage: false, alerted: false };
  const recent = await recentZoneFallas(deps, zone);
  const reporters = distinctReporters(recent);
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
