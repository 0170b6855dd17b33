/**
 * The columns of each tab: which record field lives under which header, the canonical Spanish
 * header we write, and the other spellings we accept when reading a sheet or a CSV someone made
 * by hand. Adapter-neutral: used by the local store's import and by the Google Sheets adapter.
 */
import type { IspConfig } from '../config/schema.ts';
import type { Customer, Incident, Prospect, TabName } from './records.ts';

export interface TabRecord {
  Clientes: Customer;
  Incidentes: Incident;
  Prospectos: Prospect;
}
export type FieldOf<T extends TabName> = keyof TabRecord[T] & string;
/** `sheet.columnAliases` from the config: per tab, field name → extra header spellings. */
export type ColumnAliases = IspConfig['sheet']['columnAliases'];

export interface ColumnDef<T extends TabName = TabName> {
  field: FieldOf<T>;
  /** The header we write on export / when creating a sheet. */
  header: string;
  /** The header must be present for the tab to be read at all. */
  required: boolean;
  /** Built-in alternative spellings (the config may add more). */
  aliases: readonly string[];
}

type Columns<T extends TabName> = { [F in FieldOf<T>]-?: Omit<ColumnDef<T>, 'field'> };

const col = (header: string, aliases: readonly string[] = [], required = false) => ({ header, aliases, required });

// Written as objects keyed by field so the compiler checks every record field has a column;
// key order is the column order.
const customerColumns: Columns<'Clientes'> = {
  id: col('ID', ['ID Cliente', 'No. de cliente', 'Número de cliente', 'Cliente ID'], true),
  name: col('Nombre', ['Nombre completo', 'Nombre del cliente'], true),
  phone: col('Teléfono', ['Telefono', 'Tel', 'Celular', 'Móvil', 'WhatsApp', 'Número de teléfono'], true),
  zone: col('Zona', ['Sector', 'Zona de servicio'], true),
  colonia: col('Colonia', ['Barrio', 'Fraccionamiento']),
  planMbps: col('Plan (Mbps)', ['Plan', 'Mbps', 'Velocidad', 'Megas']),
  price: col('Precio', ['Mensualidad', 'Costo', 'Tarifa']),
  status: col('Estado', ['Estatus', 'Status', 'Situación']),
  signupDate: col('Fecha de alta', ['Alta', 'Fecha alta', 'Fecha de instalación', 'Instalación']),
  dueDate: col('Fecha de corte', ['Fecha de pago', 'Vencimiento', 'Próximo pago', 'Corte']),
  balance: col('Saldo', ['Adeudo', 'Deuda', 'Saldo pendiente']),
  telegramId: col('Telegram', ['Telegram ID', 'ID Telegram', 'ID de Telegram']),
  notes: col('Notas', ['Nota', 'Observaciones', 'Comentarios']),
  // Written by `launcher outreach train`: the churn score, 0–1 (0.5 and above = en riesgo).
  churnScore: col('Riesgo', ['Riesgo de baja', 'Churn', 'churn_score', 'Puntaje de riesgo']),
};

const incidentColumns: Columns<'Incidentes'> = {
  folio: col('Folio', ['Ticket', 'No. de reporte', 'Reporte', 'No. de folio'], true),
  createdAt: col('Fecha', ['Fecha de creación', 'Creado', 'Fecha de reporte'], true),
  updatedAt: col('Actualizado', ['Última actualización', 'Modificado', 'Fecha de actualización']),
  type: col('Tipo', ['Tipo de reporte', 'Motivo'], true),
  status: col('Estado', ['Estatus', 'Status']),
  priority: col('Prioridad', ['Urgencia']),
  customerId: col('ID Cliente', ['Cliente ID', 'No. de cliente', 'Número de cliente']),
  name: col('Nombre', ['Nombre del cliente', 'Cliente']),
  phone: col('Teléfono', ['Telefono', 'Tel', 'Celular', 'WhatsApp']),
  zone: col('Zona', ['Sector']),
  category: col('Categoría', ['Falla', 'Tipo de falla']),
  since: col('Desde', ['Desde cuándo', 'Inicio de la falla']),
  description: col('Descripción', ['Detalle', 'Problema']),
  channel: col('Canal', ['Medio', 'Vía']),
  notes: col('Notas', ['Nota', 'Observaciones', 'Comentarios']),
};

const prospectColumns: Columns<'Prospectos'> = {
  id: col('ID', ['ID Prospecto', 'No. de prospecto'], true),
  createdAt: col('Fecha', ['Fecha de registro', 'Fecha de contacto', 'Creado'], true),
  name: col('Nombre', ['Nombre completo', 'Prospecto'], true),
  phone: col('Teléfono', ['Telefono', 'Tel', 'Celular', 'Móvil', 'WhatsApp'], true),
  zone: col('Zona', ['Sector']),
  colonia: col('Colonia', ['Barrio', 'Fraccionamiento']),
  planMbps: col('Plan (Mbps)', ['Plan', 'Plan de interés', 'Velocidad', 'Megas']),
  price: col('Precio', ['Mensualidad', 'Costo']),
  channel: col('Canal', ['Medio', 'Vía']),
  status: col('Estado', ['Estatus', 'Status']),
  notes: col('Notas', ['Nota', 'Observaciones', 'Comentarios']),
};

function toDefs<T extends TabName>(columns: Columns<T>): readonly ColumnDef<T>[] {
  return (Object.keys(columns) as FieldOf<T>[]).map((field) => ({ field, ...columns[field] }));
}

export const COLUMNS: { readonly [T in TabName]: readonly ColumnDef<T>[] } = {
  Clientes: toDefs(customerColumns),
  Incidentes: toDefs(incidentColumns),
  Prospectos: toDefs(prospectColumns),
};

/**
 * The `Notificaciones` tab (every outbound outreach message, see src/outreach/notificationLog.ts).
 * Not one of the Store's tabs: the bot only appends to it and updates a row's status, never reads
 * it back, so it has its own writer (src/outreach/notifications/sheetMirror.ts).
 */
export type NotificationField = 'id' | 'at' | 'customerId' | 'channel' | 'campaign' | 'content' | 'providerMessageId' | 'status' | 'error';
export const NOTIFICATION_COLUMNS: readonly { field: NotificationField; header: string; aliases: readonly string[] }[] = [
  { field: 'id', header: 'ID', aliases: ['ID Notificación', 'No.'] },
  { field: 'at', header: 'Fecha', aliases: ['Enviado', 'Fecha de envío'] },
  { field: 'customerId', header: 'ID Cliente', aliases: ['Cliente', 'Cliente ID', 'No. de cliente'] },
  { field: 'channel', header: 'Canal', aliases: ['Medio', 'Vía'] },
  { field: 'campaign', header: 'Campaña', aliases: ['Campana', 'Tipo'] },
  { field: 'content', header: 'Mensaje', aliases: ['Contenido', 'Texto'] },
  { field: 'providerMessageId', header: 'ID del proveedor', aliases: ['ID proveedor', 'Message ID', 'wamid'] },
  { field: 'status', header: 'Estado', aliases: ['Estatus', 'Status'] },
  { field: 'error', header: 'Error', aliases: ['Error del proveedor', 'Motivo'] },
];

/** Each notification field's column among a tab's headers (canonical header or alias, accents and case ignored). */
export function mapNotificationHeaders(headers: readonly string[]): Partial<Record<NotificationField, number>> {
  const keys = headers.map(normalizeHeader);
  const out: Partial<Record<NotificationField, number>> = {};
  const used = new Set<number>();
  for (const pass of [(c: (typeof NOTIFICATION_COLUMNS)[number]) => [c.header], (c: (typeof NOTIFICATION_COLUMNS)[number]) => [...c.aliases]]) {
    for (const c of NOTIFICATION_COLUMNS) {
      if (out[c.field] !== undefined) continue;
      const wanted = new Set(pass(c).map(normalizeHeader));
      const i = keys.findIndex((k, j) => k !== '' && !used.has(j) && wanted.has(k));
      if (i >= 0) (used.add(i), (out[c.field] = i));
    }
  }
  return out;
}

/** Canonical headers of a tab, in column order. */
export function tabHeaders(tab: TabName): string[] {
  return COLUMNS[tab].map((c) => c.header);
}

/** Header text compared ignoring accents, case, spaces and punctuation: `Teléfono` = `TELEFONO` = `tel-efono`. */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export interface HeaderMapping<T extends TabName = TabName> {
  tab: T;
  /** Field → the header as it appears in the sheet. */
  headerOf: Partial<Record<FieldOf<T>, string>>;
  /** Canonical headers of required columns the sheet lacks. */
  missing: string[];
  /** Sheet headers that map to no field (kept by adapters that write back; ignored on import). */
  extra: string[];
}

/** Every spelling accepted for each field: canonical header first, then built-in aliases, then the config's. */
export function columnSpellings<T extends TabName>(tab: T, aliases: ColumnAliases = {}): Map<FieldOf<T>, string[]> {
  const fromConfig: Record<string, string[]> = aliases[tab] ?? {};
  const out = new Map<FieldOf<T>, string[]>();
  for (const c of COLUMNS[tab] as readonly ColumnDef<T>[]) {
    out.set(c.field, [c.header, ...c.aliases, ...(fromConfig[c.field] ?? [])]);
  }
  return out;
}

/** Config alias entries naming a field that does not exist (likely typos), as `Tab.field`. */
export function unknownAliasFields(aliases: ColumnAliases = {}): string[] {
  const out: string[] = [];
  for (const tab of Object.keys(COLUMNS) as TabName[]) {
    const known = new Set<string>(COLUMNS[tab].map((c) => c.field));
    for (const field of Object.keys(aliases[tab] ?? {})) if (!known.has(field)) out.push(`${tab}.${field}`);
  }
  return out;
}

/**
 * Finds each field's column among a sheet's headers. A header matching a field's canonical header
 * wins over one matching an alias; each field takes the first matching header and each header
 * serves at most one field (field order breaks ties between ambiguous aliases).
 */
export function mapHeaders<T extends TabName>(tab: T, headers: readonly string[], aliases: ColumnAliases = {}): HeaderMapping<T> {
  const defs = COLUMNS[tab] as readonly ColumnDef<T>[];
  const spellings = columnSpellings(tab, aliases);
  const headerOf: Partial<Record<FieldOf<T>, string>> = {};
  const used = new Set<number>();
  const keys = headers.map(normalizeHeader);

  const claim = (pass: (field: FieldOf<T>) => string[]) => {
    for (const def of defs) {
      if (headerOf[def.field] !== undefined) continue;
      const wanted = new Set(pass(def.field).map(normalizeHeader));
      const index = keys.findIndex((k, i) => k !== '' && !used.has(i) && wanted.has(k));
      if (index >= 0) {
        used.add(index);
        headerOf[def.field] = headers[index];
      }
    }
  };
  claim((field) => (spellings.get(field) ?? []).slice(0, 1));
  claim((field) => (spellings.get(field) ?? []).slice(1));

  return {
    tab,
    headerOf,
    missing: defs.filter((d) => d.required && headerOf[d.field] === undefined).map((d) => d.header),
    extra: headers.filter((h, i) => !used.has(i) && normalizeHeader(h) !== ''),
  };
}
