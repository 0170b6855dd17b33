/**
 * zod schemas that turn one row's cells (field → raw text) into a record of each tab.
 * Defaults for empty cells: Clientes.status `activo`, Incidentes.status `abierto`,
 * Incidentes.priority `media`, Incidentes.updatedAt = createdAt, Prospectos.status `nuevo`.
 */
import { z } from 'zod';
import type {
  Customer,
  CustomerStatus,
  FallaCategory,
  Incident,
  IncidentStatus,
  IncidentType,
  Priority,
  Prospect,
  ProspectStatus,
  TabName,
} from './records.ts';
import { parseDate, parseEnum, parseMbps, parseMoney, parsePhone, parseTimestamp, type Parsed } from './cells.ts';

export const CUSTOMER_STATUSES: readonly CustomerStatus[] = ['activo', 'suspendido', 'cancelado'];
export const INCIDENT_TYPES: readonly IncidentType[] = ['falla', 'pago', 'cambio_plan', 'cancelacion', 'retencion', 'humano'];
export const FALLA_CATEGORIES: readonly FallaCategory[] = ['sin_internet', 'lento', 'intermitente', 'otro'];
export const INCIDENT_STATUSES: readonly IncidentStatus[] = ['abierto', 'en_proceso', 'cerrado'];
export const PRIORITIES: readonly Priority[] = ['alta', 'media', 'baja'];
export const PROSPECT_STATUSES: readonly ProspectStatus[] = ['nuevo', 'lista_espera', 'contactado', 'instalado', 'descartado'];

// Other spellings, in enumKey form (accents stripped, lower case, `_` for spaces).
const CUSTOMER_STATUS_ALIASES: Record<string, CustomerStatus> = { activa: 'activo', suspendida: 'suspendido', cancelada: 'cancelado', baja: 'cancelado' };
const INCIDENT_TYPE_ALIASES: Record<string, IncidentType> = {
  cambio_de_plan: 'cambio_plan',
  baja: 'cancelacion',
  cancelar: 'cancelacion',
  pagos: 'pago',
  persona: 'humano',
  asesor: 'humano',
};
const CATEGORY_ALIASES: Record<string, FallaCategory> = { sin_servicio: 'sin_internet', no_hay_internet: 'sin_internet', lentitud: 'lento', intermitencia: 'intermitente' };
const INCIDENT_STATUS_ALIASES: Record<string, IncidentStatus> = {
  abierta: 'abierto',
  nuevo: 'abierto',
  en_progreso: 'en_proceso',
  en_atencion: 'en_proceso',
  cerrada: 'cerrado',
  resuelto: 'cerrado',
  resuelta: 'cerrado',
};
const PROSPECT_STATUS_ALIASES: Record<string, ProspectStatus> = { lista_de_espera: 'lista_espera', en_espera: 'lista_espera', nueva: 'nuevo', instalada: 'instalado' };

const text = (t: string): Parsed<string> => ({ value: t });
const oneOf =
  <V extends string>(values: readonly V[], aliases: Record<string, V>) =>
  (t: string): Parsed<V> =>
    parseEnum(t, values, aliases);

/** Empty cell → undefined; otherwise parsed or a zod issue with the parser's message. */
function optional<T>(parse: (t: string) => Parsed<T>) {
  return z.string().transform((raw, ctx): T | undefined => {
    const t = raw.trim();
    if (t === '') return undefined;
    const r = parse(t);
    if ('value' in r) return r.value;
    ctx.issues.push({ code: 'custom', message: r.error, input: raw });
    return z.NEVER;
  });
}

/** Like `optional`, but an empty cell is an issue (or `fallback` when one is given). */
function required<T>(parse: (t: string) => Parsed<T>, fallback?: T) {
  return z.string().transform((raw, ctx): T => {
    const t = raw.trim();
    if (t === '' && fallback !== undefined) return fallback;
    const r: Parsed<T> = t === '' ? { error: 'vacío (dato obligatorio)' } : parse(t);
    if ('value' in r) return r.value;
    ctx.issues.push({ code: 'custom', message: r.error, input: raw });
    return z.NEVER;
  });
}

/** Checks at compile time that a schema's output is assignable to the record type. */
const recordSchema =
  <R>() =>
  <S extends z.ZodType<R, Record<string, string>>>(schema: S): S =>
    schema;

const customerSchema = (_utcOffset?: string) =>
  recordSchema<Customer>()(
    z.object({
      id: required(text),
      name: required(text),
      phone: required(parsePhone),
      zone: required(text),
      colonia: optional(text),
      planMbps: optional(parseMbps),
      price: optional(parseMoney),
      status: required(oneOf(CUSTOMER_STATUSES, CUSTOMER_STATUS_ALIASES), 'activo'),
      signupDate: optional(parseDate),
      dueDate: optional(parseDate),
      balance: optional(parseMoney),
      telegramId: optional(text),
      notes: optional(text),
    }),
  );

const incidentSchema = (utcOffset?: string) => {
  const timestamp = (t: string) => parseTimestamp(t, utcOffset);
  return recordSchema<Incident>()(
    z
      .object({
        folio: required(text),
        createdAt: required(timestamp),
        updatedAt: optional(timestamp),
        type: required(oneOf(INCIDENT_TYPES, INCIDENT_TYPE_ALIASES)),
        status: required(oneOf(INCIDENT_STATUSES, INCIDENT_STATUS_ALIASES), 'abierto'),
        priority: required(oneOf(PRIORITIES, {}), 'media'),
        customerId: optional(text),
        name: optional(text),
        phone: optional(parsePhone),
        zone: optional(text),
        category: optional(oneOf(FALLA_CATEGORIES, CATEGORY_ALIASES)),
        since: optional(timestamp),
        description: optional(text),
        channel: optional(text),
        notes: optional(text),
      })
      .transform((r) => ({ ...r, updatedAt: r.updatedAt ?? r.createdAt })),
  );
};

const prospectSchema = (utcOffset?: string) =>
  recordSchema<Prospect>()(
    z.object({
      id: required(text),
      createdAt: required((t) => parseTimestamp(t, utcOffset)),
      name: required(text),
      phone: required(parsePhone),
      zone: optional(text),
      colonia: optional(text),
      planMbps: optional(parseMbps),
      price: optional(parseMoney),
      channel: optional(text),
      status: required(oneOf(PROSPECT_STATUSES, PROSPECT_STATUS_ALIASES), 'nuevo'),
      notes: optional(text),
    }),
  );

/** Per tab, a schema factory taking the offset used for timestamps written without a zone. */
export const ROW_SCHEMAS: { [T in TabName]: (utcOffset?: string) => z.ZodType<unknown, Record<string, string>> } = {
  Clientes: customerSchema,
  Incidentes: incidentSchema,
  Prospectos: prospectSchema,
};
