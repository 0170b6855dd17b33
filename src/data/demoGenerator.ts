/**
 * A synthetic demo data set for trying the bot without real customers. Every record's notes
 * start with `DEMO`; customer ids are `DEMO-0001`…, so it never collides with real ids.
 * Deterministic for a given (config, seed, now).
 */
import type { IspConfig, Plan } from '../config/schema.ts';
import { normalizePhone } from '../core/phone.ts';
import type { Customer, CustomerStatus, FallaCategory, Incident, IncidentType, Priority, Prospect, ProspectStatus } from '../sheets/records.ts';
import { AREA_CODES, DESCRIPTIONS, FIRST_NAMES_F, FIRST_NAMES_M, STAFF_NOTES, SURNAMES } from './demoVocabulary.ts';
import { seededRandom, type Random } from './random.ts';

/** An incident without its folio (the store assigns it when loading). */
export type DemoIncident = Omit<Incident, 'folio'>;
/** A prospect without its id (the store assigns it when loading). */
export type DemoProspect = Omit<Prospect, 'id'>;

export interface DemoData {
  customers: Customer[];
  incidents: DemoIncident[];
  prospects: DemoProspect[];
}

export interface DemoOptions {
  seed?: number;
  customers?: number;
  incidents?: number;
  prospects?: number;
  /** "Today" for the data set; defaults to the current time. */
  now?: Date;
}

export const DEMO_MARK = 'DEMO';
export const isDemo = (notes: string | undefined): boolean => /\bDEMO\b/.test(notes ?? '');

const DAY = 86_400_000;
const isoDate = (t: number) => new Date(t).toISOString().slice(0, 10);
const titleCase = (s: string) => s.replace(/(^|\s)(\p{L})/gu, (_m, sp: string, ch: string) => sp + ch.toUpperCase());

/** Colonias of a zone: its aliases that are not just another way of saying the zone's name. */
function coloniasOf(zone: IspConfig['zones'][number]): string[] {
  const key = zone.name.toLowerCase();
  const names = zone.aliases.filter((a) => !a.toLowerCase().includes(key) && !/^(zona|col)\b/i.test(a)).map(titleCase);
  return names.length > 0 ? names : [`${zone.name} Uno`, `${zone.name} Dos`];
}

function personName(rng: Random): string {
  const first = rng.chance(0.5) ? FIRST_NAMES_F : FIRST_NAMES_M;
  const given = rng.chance(0.25) ? `${rng.pick(first)} ${rng.pick(first)}` : rng.pick(first);
  return `${given} ${rng.pick(SURNAMES)} ${rng.pick(SURNAMES)}`;
}

function phoneMaker(rng: Random): () => string {
  const used = new Set<string>();
  return () => {
    for (;;) {
      const area = rng.pick(AREA_CODES);
      let rest = String(rng.int(2, 9));
      while (area.length + rest.length < 10) rest += String(rng.int(0, 9));
      const phone = normalizePhone(area + rest);
      if (phone && !used.has(phone)) {
        used.add(phone);
        return phone;
      }
    }
  };
}

/** The first date on `day` of the month that is not before the date of `from`. */
function nextDue(day: number, from: number): string {
  const d = new Date(from);
  const t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), day);
  return isoDate(t) >= isoDate(from) ? isoDate(t) : isoDate(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, day));
}

function makeCustomer(rng: Random, config: IspConfig, index: number, now: number, phone: () => string): Customer {
  const zone = config.zones[index % config.zones.length] ?? rng.pick(config.zones);
  const plan: Plan = rng.weighted(config.plans.map((p, i) => [p, config.plans.length - i] as const));
  const signup = now - rng.int(7, 3 * 365) * DAY;
  const dueDay = Math.min(new Date(signup).getUTCDate(), 28);
  const status: CustomerStatus = rng.weighted([['activo', 85], ['suspendido', 10], ['cancelado', 5]]);
  const overdueDays = status === 'suspendido' ? rng.int(15, 75) : status === 'activo' && rng.chance(0.15) ? rng.int(1, 10) : 0;
  const dueDate =
    overdueDays > 0 ? isoDate(now - overdueDays * DAY) : status === 'cancelado' ? isoDate(now - rng.int(20, 300) * DAY) : nextDue(dueDay, now);
  const months = overdueDays > 0 ? Math.max(1, Math.ceil(overdueDays / 30)) : 0;
  const extra = rng.chance(0.1) ? ` · ${rng.pick(['prefiere WhatsApp', 'casa con portón verde', 'llamar después de las 5', 'antena en la azotea'])}` : '';
  return {
    id: `DEMO-${String(index + 1).padStart(4, '0')}`,
    name: personName(rng),
    phone: phone(),
    zone: zone.name,
    colonia: rng.pick(coloniasOf(zone)),
    planMbps: plan.mbps,
    price: plan.price,
    status,
    signupDate: isoDate(signup),
    dueDate,
    balance: plan.price * months,
    ...(rng.chance(0.2) ? { telegramId: String(rng.int(100_000_000, 2_000_000_000)) } : {}),
    notes: `${DEMO_MARK} — datos sintéticos${extra}`,
  };
}

const TYPE_WEIGHTS: readonly (readonly [IncidentType, number])[] = [
  ['falla', 50], ['pago', 15], ['cambio_plan', 10], ['cancelacion', 8], ['retencion', 7], ['humano', 10],
];
const TYPE_PRIORITY: Record<Exclude<IncidentType, 'falla'>, Priority> = { pago: 'baja', cambio_plan: 'baja', cancelacion: 'media', retencion: 'media', humano: 'media' };
const CATEGORIES: readonly FallaCategory[] = ['sin_internet', 'lento', 'intermitente', 'otro'];
const ALL_TYPES = TYPE_WEIGHTS.map(([t]) => t);

function makeIncident(rng: Random, config: IspConfig, index: number, now: number, customers: readonly Customer[]): DemoIncident {
  const type = index < ALL_TYPES.length ? (ALL_TYPES[index] as IncidentType) : rng.weighted(TYPE_WEIGHTS);
  const who = rng.pick(customers);
  const created = now - rng.int(10, 45 * 24 * 60) * 60_000;
  const ageDays = (now - created) / DAY;
  const status = rng.weighted(ageDays > 7 ? [['cerrado', 9], ['en_proceso', 1]] as const : [['abierto', 5], ['en_proceso', 3], ['cerrado', 2]] as const);
  const updated = status === 'abierto' ? created : created + rng.int(1, Math.max(1, Math.floor((now - created) / 60_000))) * 60_000;
  const category = type === 'falla' ? rng.pick(CATEGORIES) : undefined;
  const description = category ? rng.pick(DESCRIPTIONS.falla[category]) : rng.pick(DESCRIPTIONS[type as Exclude<IncidentType, 'falla'>]);
  const note = status === 'abierto' ? '' : ` · ${rng.pick(STAFF_NOTES)}`;
  return {
    createdAt: new Date(created).toISOString(),
    updatedAt: new Date(updated).toISOString(),
    type,
    status,
    priority: category ? config.incidents.priority[category] : TYPE_PRIORITY[type as Exclude<IncidentType, 'falla'>],
    customerId: who.id,
    name: who.name,
    phone: who.phone,
    zone: who.zone,
    ...(category ? { category } : {}),
    ...(category && rng.chance(0.6) ? { since: new Date(created - rng.int(1, 36) * 3_600_000).toISOString() } : {}),
    description,
    channel: rng.weighted([['whatsapp', 6], ['telegram', 3], ['oficina', 1]]),
    notes: `${DEMO_MARK}${note}`,
  };
}

function makeProspect(rng: Random, config: IspConfig, now: number, phone: () => string): DemoProspect {
  const outside = config.outsideCoverage.length > 0 && rng.chance(0.25);
  const zone = rng.pick(config.zones);
  const plan = rng.pick(config.plans);
  const status: ProspectStatus = outside ? 'lista_espera' : rng.weighted([['nuevo', 5], ['contactado', 3], ['instalado', 2], ['descartado', 1]]);
  return {
    createdAt: new Date(now - rng.int(60, 60 * 24 * 60) * 60_000).toISOString(),
    name: personName(rng),
    phone: phone(),
    ...(outside ? {} : { zone: zone.name }),
    colonia: outside ? titleCase(rng.pick(config.outsideCoverage)) : rng.pick(coloniasOf(zone)),
    planMbps: plan.mbps,
    price: plan.price,
    channel: rng.weighted([['whatsapp', 6], ['telegram', 4]]),
    status,
    notes: outside ? `${DEMO_MARK} · fuera de cobertura, avisar cuando llegue la red` : DEMO_MARK,
  };
}

export function generateDemoData(config: IspConfig, options: DemoOptions = {}): DemoData {
  const rng = seededRandom(options.seed ?? 1);
  const now = (options.now ?? new Date()).getTime();
  const phone = phoneMaker(rng);
  const customers = Array.from({ length: options.customers ?? 500 }, (_, i) => makeCustomer(rng, config, i, now, phone));
  const incidents =
    customers.length === 0 ? [] : Array.from({ length: options.incidents ?? 50 }, (_, i) => makeIncident(rng, config, i, now, customers));
  incidents.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const prospects = Array.from({ length: options.prospects ?? 20 }, () => makeProspect(rng, config, now, phone));
  prospects.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return { customers, incidents, prospects };
}
