/**
 * Parsers for the text of one sheet cell: dates, timestamps, amounts, plan speeds, enum values
 * and phones, as people actually type them in a Mexican spreadsheet. Each returns the stored
 * form, or `{ error }` with a Spanish message for a RowIssue. Empty cells are handled by callers.
 */
import { normalizePhone } from '../core/phone.ts';

export type Parsed<T> = { value: T } | { error: string };

const DATE_FORMS: readonly { re: RegExp; order: 'ymd' | 'dmy' }[] = [
  { re: /^(\d{4})-(\d{1,2})-(\d{1,2})$/, order: 'ymd' },
  { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: 'dmy' },
  { re: /^(\d{1,2})-(\d{1,2})-(\d{4})$/, order: 'dmy' },
];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function calendarDate(y: number, m: number, d: number): string | undefined {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return undefined;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

function splitDate(text: string): string | undefined {
  for (const { re, order } of DATE_FORMS) {
    const m = re.exec(text);
    if (!m) continue;
    const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return order === 'ymd' ? calendarDate(a, b, c) : calendarDate(c, b, a);
  }
  return undefined;
}

/** YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY (a real calendar day) → YYYY-MM-DD. */
export function parseDate(text: string): Parsed<string> {
  const date = splitDate(text.trim());
  return date ? { value: date } : { error: `fecha no válida "${text}" (use AAAA-MM-DD o DD/MM/AAAA)` };
}

const TIME_RE = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/;
const ZONE_RE = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An instant → ISO timestamp in UTC (`2024-03-05T16:30:00.000Z`). Accepts ISO 8601 and any of the
 * date forms of parseDate, optionally followed by ` HH:MM[:SS]`; a time without a zone is read at
 * `utcOffset` (default -06:00, Mexico City, which has no daylight saving time since 2022).
 */
export function parseTimestamp(text: string, utcOffset = '-06:00'): Parsed<string> {
  const bad = { error: `fecha y hora no válidas "${text}"` };
  let rest = text.trim();
  let zone = utcOffset;
  const z = ZONE_RE.exec(rest);
  if (z && /[T ]\d/.test(rest)) {
    zone = z[1]!.toUpperCase() === 'Z' ? '+00:00' : z[1]!;
    rest = rest.slice(0, z.index).trim();
  }
  const [datePart = '', timePart = '0:00'] = rest.split(/[T ]+/, 2);
  const date = splitDate(datePart);
  const time = TIME_RE.exec(timePart);
  if (!date || !time) return bad;
  const [h, min, s] = [Number(time[1]), Number(time[2]), Number(time[3] ?? 0)];
  if (h > 23 || min > 59 || s > 59) return bad;
  const ms = (time[4] ?? '').padEnd(3, '0');
  const offset = zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const t = new Date(`${date}T${pad(h)}:${pad(min)}:${pad(s)}.${ms}${offset}`);
  return Number.isNaN(t.getTime()) ? bad : { value: t.toISOString() };
}

/** An amount of money: `$1,234.50`, `450`, `450 MXN`, `-100` (a credit). */
export function parseMoney(text: string): Parsed<number> {
  const cleaned = text.replace(/mxn|\$|,|\s/gi, '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return { error: `cantidad no válida "${text}"` };
  return { value: Number(cleaned) };
}

/** A plan speed: `50`, `50 Mbps`, `50 megas`. */
export function parseMbps(text: string): Parsed<number> {
  const m = /^(\d+)(?:\.0+)?\s*(?:mbps|mb|megas?|m)?$/i.exec(text.trim());
  const n = m ? Number(m[1]) : NaN;
  return Number.isInteger(n) && n > 0 ? { value: n } : { error: `velocidad no válida "${text}" (se espera un número de Mbps)` };
}

/** `+52 1 55 1234 5678`, `55-1234-5678`… → normalised digits (see core/phone.ts). */
export function parsePhone(text: string): Parsed<string> {
  const phone = normalizePhone(text);
  return phone ? { value: phone } : { error: `teléfono no válido "${text}"` };
}

/** `En proceso`, `EN-PROCESO`, `en_proceso` → `en_proceso`. */
export function enumKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** One of `values`, accepting other spellings listed in `aliases` (keys in enumKey form). */
export function parseEnum<V extends string>(text: string, values: readonly V[], aliases: Readonly<Record<string, V>> = {}): Parsed<V> {
  const key = enumKey(text);
  const hit = values.find((v) => v === key) ?? aliases[key];
  return hit ? { value: hit } : { error: `valor no reconocido "${text}" (se espera: ${values.join(', ')})` };
}
