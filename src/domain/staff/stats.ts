import type { Actor } from '../../core/types.ts';
import type { CustomerStatus, IncidentType, Priority } from '../../sheets/records.ts';
import { DAY_MS, canonicalZone, countBy, incidentZone, requireStaff, zoneOrder, type Count, type StaffDeps } from './common.ts';

export const PROSPECT_WINDOW_DAYS = 7;

export interface StaffStats {
  /** Set when the numbers are for one zone only. */
  zone?: string;
  customers: {
    total: number;
    byStatus: Record<CustomerStatus, number>;
    /** Active customers per zone, most first. Empty when filtered by zone. */
    activeByZone: Count[];
    /** Active customers per plan (Mbps; `null` = no plan in the sheet), slowest plan first. */
    activeByPlan: Count<number | null>[];
  };
  tickets: {
    /** Open = abierto or en_proceso. */
    open: number;
    byType: Count<IncidentType>[];
    byPriority: Record<Priority, number>;
  };
  prospects: {
    days: number;
    /** Prospects created in the last `days` days. */
    recent: number;
    /** Prospects on the waiting list now (no coverage yet), whenever they wrote. */
    waitingList: number;
  };
}

export interface StatsOptions {
  now?: Date;
  /** Only this zone (configured name or alias-free spelling). */
  zone?: string;
}

/** Staff-only: customers, open tickets and prospects in numbers. */
export async function getStats(deps: StaffDeps, actor: Actor, options: StatsOptions = {}): Promise<StaffStats> {
  requireStaff(actor, 'getStats');
  const { config, store } = deps;
  const now = options.now ?? deps.clock();
  const zone = canonicalZone(config, options.zone);
  const inZone = (z: string | undefined): boolean => zone === undefined || canonicalZone(config, z) === zone;

  const allCustomers = await store.listCustomers();
  const customersById = new Map(allCustomers.map((c) => [c.id, c]));
  const customers = allCustomers.filter((c) => inZone(c.zone));
  const active = customers.filter((c) => c.status === 'activo');
  const byStatus: Record<CustomerStatus, number> = { activo: 0, suspendido: 0, cancelado: 0 };
  for (const c of customers) byStatus[c.status] += 1;

  const activeByPlan = countBy(active, (c) => c.planMbps ?? null).sort((a, b) => (a.key ?? Infinity) - (b.key ?? Infinity));

  const open = (await store.listIncidents({ status: 'open' })).filter((i) => inZone(incidentZone(config, i, customersById)));
  const byPriority: Record<Priority, number> = { alta: 0, media: 0, baja: 0 };
  for (const i of open) byPriority[i.priority] += 1;

  const since = now.getTime() - PROSPECT_WINDOW_DAYS * DAY_MS;
  const prospects = (await store.listProspects()).filter((p) => inZone(p.zone));
  return {
    ...(zone ? { zone } : {}),
    customers: {
      total: customers.length,
      byStatus,
      activeByZone: zone ? [] : countBy(active, (c) => canonicalZone(config, c.zone), zoneOrder(config)),
      activeByPlan,
    },
    tickets: { open: open.length, byType: countBy(open, (i) => i.type), byPriority },
    prospects: {
      days: PROSPECT_WINDOW_DAYS,
      recent: prospects.filter((p) => Date.parse(p.createdAt) >= since).length,
      waitingList: prospects.filter((p) => p.status === 'lista_espera').length,
    },
  };
}
