import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { IspConfig } from '../../config/schema.ts';
import { normalizePhone } from '../../core/phone.ts';
import type { Actor } from '../../core/types.ts';
import type { Customer } from '../../sheets/records.ts';
import { fold, findZoneByName } from '../catalog.ts';
import { canonicalZone, requireStaff, type StaffDeps } from './common.ts';
import { nameScore } from './fuzzy.ts';

/** What staff look a customer up by. */
export type SearchQuery = { kind: 'name'; text: string } | { kind: 'phone'; digits: string } | { kind: 'zone'; zone: string };

export interface SearchPage {
  query?: SearchQuery;
  /** All matches; `customers` holds the page. */
  total: number;
  offset: number;
  customers: Customer[];
  /** Offset of the next page, when there is one. */
  nextOffset?: number;
}

export const PAGE_SIZE = 5;
const MIN_PHONE_DIGITS = 4;

/**
 * Words around the thing searched for ("busca a", "clientes de la zona", "el teléfono"), folded.
 * Parsing vocabulary, not bot text.
 */
const COMMAND_WORDS = new Set(
  (
    'busca buscar buscame buscas busco buscarme encuentra encuentrame encontrar localiza localizar consulta consultar ' +
    'checa checar revisa revisar ver muestra muestrame mostrar dame pasame quiero necesito info informacion datos ficha ' +
    'cliente clientes usuario usuarios suscriptor suscriptores abonado abonados del de la las el los a al en con por para ' +
    'que quien quienes es son todos todas favor porfa plis pls telefono tel numero num no cel celular whatsapp nombre ' +
    'llamado llamada zona sector me mi un una y'
  ).split(' '),
);

const contentTokens = (text: string): string[] => fold(text).split(' ').filter((t) => t && !COMMAND_WORDS.has(t));

/** The query without command words ("busca a juan perez" → "juan perez"); '' when nothing is left. */
export function stripCommandWords(text: string): string {
  return contentTokens(text).join(' ');
}

/**
 * Reads a search from free text: a phone (any form, or its last 4+ digits), a zone (name or
 * alias, or the NLU's `zona` entity when the text holds nothing else), else a name.
 */
export function parseSearchQuery(config: IspConfig, text: string, zoneHint?: string): SearchQuery | undefined {
  const rest = stripCommandWords(text.replace(/(\d)[\s\-().]+(?=\d)/g, '$1'));
  const digits = rest.replace(/\D/g, '');
  if (/^[\d\s+]+$/.test(rest) && digits.length >= MIN_PHONE_DIGITS) return { kind: 'phone', digits };

  for (const zone of config.zones) {
    const spellings = [zone.name, ...zone.aliases].map(stripCommandWords);
    if (rest && spellings.includes(rest)) return { kind: 'zone', zone: zone.name };
  }
  const hinted = findZoneByName(config, zoneHint);
  if (hinted) {
    const words = new Set([hinted.name, ...hinted.aliases].flatMap(contentTokens));
    if (rest.split(' ').every((t) => !t || words.has(t))) return { kind: 'zone', zone: hinted.name };
  }
  if (rest.replace(/\s/g, '').length < 2) return undefined;
  return { kind: 'name', text: rest };
}

/** The last 10 digits of a number in any form (Mexico's national number). */
function nationalKey(phone: string, country: string): string {
  const normalized = normalizePhone(phone, country) ?? phone.replace(/\D/g, '');
  return normalized.slice(-10);
}

function matches(config: IspConfig, query: SearchQuery, all: Customer[]): Customer[] {
  const byName = (a: Customer, b: Customer): number => a.name.localeCompare(b.name, 'es');
  switch (query.kind) {
    case 'phone': {
      const country = config.isp.defaultCountry;
      if (query.digits.length >= 10) {
        const key = nationalKey(query.digits, country);
        return all.filter((c) => nationalKey(c.phone, country) === key).sort(byName);
      }
      return all.filter((c) => c.phone.replace(/\D/g, '').endsWith(query.digits)).sort(byName);
    }
    case 'zone':
      return all.filter((c) => canonicalZone(config, c.zone) === query.zone).sort(byName);
    case 'name': {
      const tokens = query.text.split(' ').filter(Boolean);
      return all
        .map((c) => ({ c, score: fold(c.id) === query.text ? 1 : nameScore(tokens, fold(c.name).split(' ')) }))
        .filter((m) => m.score > 0)
        .sort((a, b) => b.score - a.score || byName(a.c, b.c))
        .map((m) => m.c);
    }
  }
}

/** Staff-only: customers by name (typo- and accent-tolerant), phone or zone, a page at a time. */
export async function searchCustomers(
  deps: StaffDeps,
  actor: Actor,
  query: string | SearchQuery,
  options: { offset?: number; limit?: number } = {},
): Promise<SearchPage> {
  requireStaff(actor, 'searchCustomers');
  const offset = Math.max(0, Math.floor(options.offset ?? 0));
  const limit = Math.min(PAGE_SIZE, Math.max(1, Math.floor(options.limit ?? PAGE_SIZE)));
  const parsed = typeof query === 'string' ? parseSearchQuery(deps.config, query) : query;
  if (!parsed) return { total: 0, offset, customers: [] };
  const found = matches(deps.config, parsed, await deps.store.listCustomers());
  const page = found.slice(offset, offset + limit);
  const next = offset + page.length;
  return { query: parsed, total: found.length, offset, customers: page, ...(next < found.length ? { nextOffset: next } : {}) };
}

/** A stored number as staff read it: "55 1234 5678" (national format), or as stored. */
export function displayPhone(phone: string, country: string): string {
  const normalized = normalizePhone(phone, country);
  const parsed = normalized ? parsePhoneNumberFromString(`+${normalized}`, country as CountryCode) : undefined;
  return parsed?.isValid() ? parsed.formatNational() : phone;
}
