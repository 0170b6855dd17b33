import type { IspConfig, Zone } from '../config/schema.ts';
import { parseYesNo, titleCase } from './answers.ts';
import { findZoneByName, findZoneInText, fold } from './catalog.ts';

/** Where we give service: configured zones (and their colonias) versus everything else. */
export type CoverageResult =
  /** `colonia` is the alias the person used when it names a place (not "zona norte"). */
  | { kind: 'covered'; zone: Zone; colonia?: string }
  | { kind: 'outside'; place: string }
  | { kind: 'unknown' };

export interface CoverageHints {
  /** NLU entities of the text, when there are any. */
  zona?: string;
  area?: string;
}

/**
 * Reads a place from free text. A configured zone or one of its aliases → covered; a place in
 * `outsideCoverage` or the NLU `area` → outside. With `anyPlace`, any other place name the text
 * holds (an answer to "¿en qué colonia vives?") counts as outside too.
 */
export function checkCoverage(config: IspConfig, text: string, hints: CoverageHints = {}, options: { anyPlace?: boolean } = {}): CoverageResult {
  // What the text spells exactly first; the NLU zone (typo-tolerant) when the text names none.
  const zone = findZoneInText(config, text) ?? findZoneByName(config, hints.zona);
  if (zone) {
    const colonia = coloniaIn(zone, text);
    return colonia ? { kind: 'covered', zone, colonia } : { kind: 'covered', zone };
  }
  if (hints.area) {
    const areaZone = findZoneInText(config, hints.area);
    if (areaZone) return { kind: 'covered', zone: areaZone };
    return { kind: 'outside', place: displayPlace(hints.area) };
  }
  const folded = ` ${fold(text)} `;
  const listed = config.outsideCoverage.find((p) => folded.includes(` ${fold(p)} `));
  if (listed) return { kind: 'outside', place: displayPlace(listed) };
  if (options.anyPlace) {
    const place = extractPlaceName(text);
    if (place) return { kind: 'outside', place };
  }
  return { kind: 'unknown' };
}

/** The alias of `zone` named in `text` when it is a colonia or landmark, title-cased. */
function coloniaIn(zone: Zone, text: string): string | undefined {
  const folded = ` ${fold(text)} `;
  const alias = zone.aliases.find((a) => folded.includes(` ${fold(a)} `));
  if (!alias || fold(alias).startsWith('zona ') || fold(alias) === fold(zone.name)) return undefined;
  return displayPlace(alias);
}

function displayPlace(place: string): string {
  const trimmed = place.replace(/\s+/g, ' ').trim();
  return trimmed === trimmed.toLowerCase() ? titleCase(trimmed) : trimmed;
}

const LEAD_WORDS = new Set([
  'yo', 'vivo', 'estoy', 'soy', 'queda', 'quedo', 'mi', 'casa', 'domicilio', 'esta', 'es', 'en', 'de', 'por', 'a', 'al', 'hasta',
  'tienen', 'hay', 'llegan', 'dan', 'cobertura', 'servicio', 'internet', 'y', 'quiero', 'colonia', 'col', 'fraccionamiento',
  'fracc', 'barrio', 'comunidad', 'rancheria', 'pueblo', 'localidad', 'zona', 'que', 'pues', 'ahi', 'aqui', 'donde', 'seria',
  'bueno', 'este', 'oye', 'mira', 'eh', 'mmm', 'ok', 'vive', 'vivimos', 'estamos', 'somos',
]);
const ARTICLES = new Set(['la', 'el', 'los', 'las']);

/**
 * The place name in an answer like "vivo en la colonia Hidalgo" → "Hidalgo", "en la joya" → "La Joya".
 * Undefined for yes/no answers, empty text or something too long to be a place name.
 */
export function extractPlaceName(text: string): string | undefined {
  if (parseYesNo(text)) return undefined;
  const words = text.replace(/[¿?¡!.,;:"()]/g, ' ').split(/\s+/).filter(Boolean);
  while (words.length > 0) {
    const first = fold(words[0] ?? '');
    const second = words[1] !== undefined ? fold(words[1]) : undefined;
    if (LEAD_WORDS.has(first) || (ARTICLES.has(first) && second !== undefined && LEAD_WORDS.has(second))) words.shift();
    else break;
  }
  const place = words.join(' ');
  if (!/\p{L}{2}/u.test(place) || words.length > 6 || place.length > 50 || /\d{4,}/.test(place)) return undefined;
  return displayPlace(place);
}
