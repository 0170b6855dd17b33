/**
 * Entity extraction for es-MX customer messages: zone (via configured names/aliases, typo-tolerant),
 * outside-coverage area / named colonia, plan speed, phone, ticket folio and "since when" durations.
 * Everything runs on `fold(text)` (lowercase, no accents, same length as the input), so spans map back
 * to the original text for `since.text` and `phone`.
 */
import { fold } from './normalize.ts';
import type { Intent, NluEntities, NluOptions } from './types.ts';

interface Token {
  word: string;
  start: number;
  end: number;
}

interface Place {
  /** Alias without spaces, for comparison with one or more joined tokens. */
  compact: string;
  words: number;
  value: string;
  kind: 'zona' | 'area';
}

const CONNECTORS = new Set(['de', 'del', 'la', 'las', 'los', 'el', 'san', 'santa']);
const PLACE_STOP = new Set([
  'o', 'pero', 'para', 'por', 'porque', 'pq', 'si', 'que', 'q', 'llegan', 'llega', 'hay', 'ay', 'tienen', 'tiene', 'dan', 'me', 'se',
  'cuanto', 'cuando', 'donde', 'como', 'esta', 'estan', 'a', 'en', 'con', 'no', 'ustedes', 'su', 'sus', 'servicio', 'internet',
  'cobertura', 'senal', 'ahi', 'alla', 'aqui', 'aca', 'verdad', 'tambien', 'mi', 'mis', 'es', 'son', 'cerca', 'hasta', 'ya', 'yo',
  'quiero', 'quisiera', 'vivo', 'dan', 'manejan', 'cubren', 'llego', 'calle', 'numero', 'num', 'favor', 'porfa', 'xfa', 'gracias',
  'hola', 'buenas', 'tengo', 'necesito', 'ocupo', 'dar', 'poner', 'contratar', 'instalar', 'ustedes', 'le', 'les', 'lo', 'algo', 'y',
  'queremos', 'quisieramos', 'atienden', 'trabajar', 'desde',
]);
const AREA_BLACKLIST = new Set([
  'mi', 'su', 'tu', 'esta', 'este', 'ese', 'esa', 'casa', 'donde', 'aqui', 'alla', 'aca', 'toda', 'todo', 'todas', 'todos', 'que',
  'cuanto', 'cual', 'cuales', 'mis', 'sus', 'otra', 'otro', 'la', 'el', 'las', 'los', 'zona', 'colonia', 'mismo', 'misma', 'linea',
  'el dia', 'la noche', 'la manana', 'la tarde', 'un', 'una', 'algun', 'alguna', 'domicilio', 'direccion', 'calle', 'ciudad', 'mexico',
  'ustedes', 'ti', 'usted', 'nosotros', 'si', 'no', 'lugar', 'lugares', 'parte', 'partes', 'afueras', 'rumbo', 'cuanto', 'megas',
  'comunidades', 'ranchos', 'pueblos', 'colonias', 'zonas', 'ciudades', 'casas', 'oficina', 'negocio', 'local', 'trabajo', 'escuela',
]);

const NUMBER_WORDS: Record<string, number> = {
  un: 1, uno: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10, once: 11, doce: 12,
  quince: 15, veinte: 20, veinticinco: 25, treinta: 30, cuarenta: 40, cincuenta: 50, sesenta: 60, setenta: 70, ochenta: 80,
  noventa: 90, cien: 100, ciento: 100, doscientos: 200, trescientos: 300, cuatrocientos: 400, quinientos: 500, mil: 1000,
  media: 0.5, medio: 0.5, par: 2, varios: 3, varias: 3, unos: 2, unas: 2,
};
const NUM = `(?:\\d+(?:[.,]\\d+)?|${Object.keys(NUMBER_WORDS).sort((a, b) => b.length - a.length).join('|')})`;
const UNIT_HOURS: [RegExp, number][] = [
  [/^(?:minutos?|mins?)$/, 1 / 60],
  [/^(?:horas?|hrs?|hras?|hs|h)$/, 1],
  [/^(?:dias?|d)$/, 24],
  [/^(?:semanas?|sem)$/, 168],
  [/^(?:mes|meses)$/, 720],
];
const UNIT = '(minutos?|mins?|horas?|hrs?|hras?|hs|dias?|semanas?|mes(?:es)?)';
const NOT_MEGAS_UNIT = /^(?:minutos?|mins?|horas?|hrs?|hs|h|dias?|semanas?|mes|meses|anos?|pesos|mxn|varos|personas?|gentes?|hijos?|ninos?|mil|por|%|veces|metros?|km|calle|numero|de\s+(?:la\s+)?(?:manana|tarde|noche)|am|pm)$/;
/** Cheap pre-check: every duration pattern below contains one of these. */
const SINCE_HINT = /desd|dsd|dede|hace|min|hora|hr|hs|dia|sem|mes|todo el|toda la/;
const WEEKDAYS: Record<string, number> = { domingo: 0, lunes: 1, martes: 2, miercoles: 3, jueves: 4, viernes: 5, sabado: 6 };

function levenshtein1(a: string, b: string): boolean {
  // true when edit distance(a, b) <= 1 (with adjacent transposition)
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function tokenize(folded: string): Token[] {
  const out: Token[] = [];
  const re = /[a-z0-9ñ]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(folded))) out.push({ word: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

function compactOf(s: string): string {
  return fold(s).replace(/[^a-z0-9ñ]+/g, '');
}

export class EntityExtractor {
  private readonly places: Place[] = [];
  private readonly plans: Set<number>;
  private readonly clock: NluOptions['clock'];

  constructor(options: NluOptions) {
    for (const z of options.zones) {
      for (const a of [z.name, ...z.aliases]) this.addPlace(a, z.name, 'zona');
    }
    for (const a of options.outsideCoverage) this.addPlace(a, fold(a).trim().replace(/\s+/g, ' '), 'area');
    // Longer names first, so "villa del sur" wins over "sur".
    this.places.sort((x, y) => y.compact.length - x.compact.length || x.compact.localeCompare(y.compact));
    this.plans = new Set(options.plansMbps);
    this.clock = options.clock;
  }

  private addPlace(alias: string, value: string, kind: Place['kind']): void {
    const compact = compactOf(alias);
    if (!compact) return;
    const words = fold(alias).split(/[^a-z0-9ñ]+/).filter(Boolean).length;
    if (!this.places.some((p) => p.compact === compact)) this.places.push({ compact, words, value, kind });
  }

  extract(text: string, intent?: Intent): NluEntities {
    const folded = fold(text);
    const tokens = tokenize(folded);
    const out: NluEntities = {};
    const used = new Set<number>();

    const phone = this.phone(text);
    if (phone) out.phone = phone.text;
    const folio = this.folio(folded, phone);
    if (folio) out.folio = folio.value;

    this.findPlaces(tokens, out, used);
    if (!out.area) {
      const area = this.namedArea(tokens, used, intent);
      if (area) {
        const asPlace = this.matchPlace(area);
        if (asPlace?.kind === 'zona') out.zona ??= asPlace.value;
        else out.area = asPlace?.value ?? area;
      }
    }

    const plan = this.plan(folded, tokens, phone, folio);
    if (plan !== undefined) out.plan_mbps = plan;
    const since = this.since(folded, text);
    if (since) out.since = since;
    return out;
  }

  private phone(text: string): { text: string; start: number; end: number } | undefined {
    const re = /\+?\d(?:[\s.\-]{0,2}\d){9,15}/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const digits = m[0].replace(/\D/g, '');
      if (digits.length >= 10 && digits.length <= 15) return { text: m[0].trim(), start: m.index, end: m.index + m[0].length };
    }
    return undefined;
  }

  private folio(folded: string, phone?: { start: number; end: number }): { value: string; start: number; end: number } | undefined {
    const patterns = [
      /\bf\s?[-#]?\s?(\d{1,6})(?!\d)/g,
      /\b(?:folio|reporte|ticket|tiket|incidente|orden)(?:\s+(?:de\s+(?:servicio|falla)|numero|num|no|nro|n))?\s*[.:#°]?\s*(?:es\s+)?(?:el\s+)?(?:numero\s+)?#?\s*(?:f\s?-?\s?)?(\d{1,6})(?![\d])(?!\s*(?:horas?|hrs?|dias?|semanas?|min|minutos?|mes|meses|veces|megas|mb)\b)/g,
      /\b(?:numero|num|no)\s+de\s+(?:folio|reporte|ticket)\s*(?:es\s+)?(?:el\s+)?[:#]?\s*(?:f\s?-?\s?)?(\d{1,6})(?!\d)/g,
    ];
    let best: { value: string; start: number; end: number } | undefined;
    for (const re of patterns) {
      let m: RegExpExecArray | null;
      while ((m = re.exec(folded))) {
        if (phone && m.index < phone.end && m.index + m[0].length > phone.start) continue;
        const cand = { value: 'F-' + m[1]!.padStart(6, '0'), start: m.index, end: m.index + m[0].length };
        if (!best || cand.start < best.start) best = cand;
        break;
      }
    }
    return best;
  }

  /** Configured zones and outside-coverage places, exact or within one typo (names of 6+ letters). */
  private findPlaces(tokens: Token[], out: NluEntities, used: Set<number>): void {
    for (let i = 0; i < tokens.length; i++) {
      if (used.has(i)) continue;
      for (const place of this.places) {
        const hit = this.placeAt(tokens, i, place, used);
        if (hit === 0) continue;
        for (let k = i; k < i + hit; k++) used.add(k);
        if (place.kind === 'zona') out.zona ??= place.value;
        else out.area ??= place.value;
        break;
      }
    }
  }

  /** Number of tokens from i that spell `place` (0 = no match). */
  private placeAt(tokens: Token[], i: number, place: Place, used: Set<number>): number {
    let joined = '';
    const maxK = Math.min(tokens.length - i, place.words + 1);
    for (let k = 1; k <= maxK; k++) {
      if (used.has(i + k - 1)) return 0;
      joined += tokens[i + k - 1]!.word;
      if (joined.length > place.compact.length + 1) return 0;
      if (joined === place.compact) return k;
      if (place.compact.length >= 6 && joined.length >= 6 && joined[0] === place.compact[0] && levenshtein1(joined, place.compact)) {
        // a single short word that differs ("la loma" vs "la lona") must still look like the alias
        return k;
      }
    }
    return 0;
  }

  private matchPlace(name: string): Place | undefined {
    const c = compactOf(name);
    return this.places.find((p) => p.compact === c || (c.length >= 6 && p.compact.length >= 6 && levenshtein1(c, p.compact)));
  }

  /** A place named after "colonia/col./fracc./barrio..." or (in coverage questions) after "en/a/hasta". */
  private namedArea(tokens: Token[], used: Set<number>, intent?: Intent): string | undefined {
    const words = tokens.map((t) => t.word);
    const strong = /^(?:colonia|col|fracc|frac|fraccionamiento|barrio|ejido|comunidad|residencial|privada|ranchito|poblado|localidad|municipio|pueblo)$/;
    const weakAfter = /^(?:en|a|hasta|por)$/;
    const weakBefore = /^(?:cobertura|servicio|llegan|llega|vivo|yegan|cubren|estoy|senal|internet|antenas?)$/;
    for (let i = 0; i < words.length; i++) {
      let start = -1;
      if (strong.test(words[i]!)) start = i + 1;
      else if (
        (intent === 'cobertura' || intent === 'registro') &&
        i > 0 &&
        weakAfter.test(words[i]!) &&
        weakBefore.test(words[i - 1]!)
      ) {
        start = i + 1;
        if (words[start] === 'la' && (words[start + 1] === 'colonia' || words[start + 1] === 'col')) continue; // handled by strong
      }
      if (start < 0 || start >= words.length || used.has(start)) continue;
      const picked: string[] = [];
      for (let k = start; k < words.length && picked.length < 5; k++) {
        const w = words[k]!;
        if (used.has(k) || PLACE_STOP.has(w) || strong.test(w)) break;
        if (/^\d+$/.test(w) && picked.length === 0 && !/^(?:de|del)$/.test(words[k + 1] ?? '')) break;
        picked.push(w);
      }
      while (picked.length && CONNECTORS.has(picked[picked.length - 1]!)) picked.pop();
      if (!picked.length) continue;
      const name = picked.join(' ');
      if (AREA_BLACKLIST.has(picked[0]!) && !(CONNECTORS.has(picked[0]!) && picked.length > 1)) continue;
      const bare = name.replace(/^(?:el|la|los|las|mi|mis|su|sus|un|una) /, '');
      if (AREA_BLACKLIST.has(name) || AREA_BLACKLIST.has(bare) || name.length < 3) continue;
      return name;
    }
    return undefined;
  }

  private plan(folded: string, tokens: Token[], phone?: { start: number; end: number }, folio?: { start: number; end: number }): number | undefined {
    const cands: { value: number; pos: number; strong: boolean; targetOfRange: boolean }[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      let value: number | undefined;
      let unitInside = false;
      const m = /^(\d+)(mb|mbps|megas?|m|mg|mbs)?$/.exec(t.word);
      if (m) {
        value = Number(m[1]);
        unitInside = Boolean(m[2]);
      } else if (t.word in NUMBER_WORDS && NUMBER_WORDS[t.word]! >= 10) value = NUMBER_WORDS[t.word];
      if (value === undefined || !this.plans.has(value)) continue;
      if (phone && t.start < phone.end && t.end > phone.start) continue;
      if (folio && t.start < folio.end && t.end > folio.start) continue;
      if (folded[t.start - 1] === '$' || folded.slice(Math.max(0, t.start - 2), t.start) === '$ ') continue;
      if (/[\d][\s.,-]$/.test(folded.slice(0, t.start)) || /^[.,:]\d/.test(folded.slice(t.end))) continue;
      const next = tokens[i + 1]?.word ?? '';
      const next2 = `${next} ${tokens[i + 2]?.word ?? ''}`.trim();
      if (!unitInside && (NOT_MEGAS_UNIT.test(next) || NOT_MEGAS_UNIT.test(next2))) continue;
      const prev = tokens[i - 1]?.word ?? '';
      const prev2 = tokens[i - 2]?.word ?? '';
      const strong = unitInside || /^(?:mb|mbps|megas?|megabytes?|megabits?|mbs|mg|megs|m)$/.test(next);
      const trigger = /^(?:de|del|el|al|a|plan|paquete|velocidad|los|tengo|con|contratar|quiero|subir|bajar|pasar|cambiar|y|o|entre|es|son|contrate|ultra|plus|basico)$/.test(prev);
      if (!strong && !trigger) continue;
      const targetOfRange = prev === 'a' && (/^\d+(?:mb|megas?)?$/.test(prev2) || prev2 in NUMBER_WORDS || /^(?:megas?|mb|mbps)$/.test(prev2));
      cands.push({ value, pos: t.start, strong, targetOfRange });
    }
    if (!cands.length) return undefined;
    // "de 50 a 100", "pasar de 20 a 50": the target is the one after "a".
    const target = cands.find((c) => c.targetOfRange && cands.length > 1);
    return (target ?? cands[0]!).value;
  }

  private since(folded: string, original: string): NluEntities['since'] {
    if (!SINCE_HINT.test(folded)) return undefined;
    const found: { start: number; end: number; hoursAgo: number }[] = [];
    const add = (m: RegExpExecArray, hoursAgo: number | undefined, group = 0) => {
      if (hoursAgo === undefined || !Number.isFinite(hoursAgo) || hoursAgo <= 0) return;
      const s = group ? folded.indexOf(m[group]!, m.index) : m.index;
      found.push({ start: s, end: s + m[group]!.length, hoursAgo: Math.round(hoursAgo * 100) / 100 });
    };
    const num = (s: string) => (/^\d/.test(s) ? Number(s.replace(',', '.')) : NUMBER_WORDS[s]);
    const unit = (s: string) => UNIT_HOURS.find(([re]) => re.test(s))?.[1];
    const clock = this.clockParts();
    let m: RegExpExecArray | null;

    // "hace 3 horas", "desde hace una semana", "hace un par de dias", "hace media hora"
    const reAgo = new RegExp(`\\b(?:desde\\s+)?hace\\s+(?:como\\s+|unos?\\s+|unas\\s+|mas\\s+de\\s+|casi\\s+)?(?:(un|una)\\s+)?(${NUM})\\s+(?:de\\s+)?${UNIT}\\b`, 'g');
    while ((m = reAgo.exec(folded))) {
      const n = num(m[2]!);
      const u = unit(m[3]!);
      if (n !== undefined && u !== undefined) add(m, (m[2] === 'par' ? 2 : n) * u);
    }
    // "hace una hora", "desde hace un dia", "hace un mes"
    const reAgoOne = new RegExp(`\\b(?:desde\\s+)?hace\\s+(?:como\\s+)?(?:un|una)\\s+${UNIT}\\b`, 'g');
    while ((m = reAgoOne.exec(folded))) add(m, unit(m[1]!));
    // "llevo 2 dias sin internet", "ya van 3 dias", "tengo 4 dias sin servicio", "2 dias sin internet"
    const reFor = new RegExp(`\\b(${NUM})\\s+${UNIT}(?=\\s+(?:sin|fallando|esperando|con\\s+fallas?|de\\s+fallas?)\\b)`, 'g');
    while ((m = reFor.exec(folded))) {
      const n = num(m[1]!);
      const u = unit(m[2]!);
      if (n !== undefined && u !== undefined) add(m, n * u);
    }
    const reForStart = new RegExp(`\\b(?:llevo|llevamos|lleva|ya\\s+van|van|ya\\s+tengo|tengo)\\s+(?:como\\s+)?(${NUM})\\s+${UNIT}\\b`, 'g');
    while ((m = reForStart.exec(folded))) {
      const n = num(m[1]!);
      const u = unit(m[2]!);
      if (n !== undefined && u !== undefined) add(m, n * u);
    }
    // "hace rato", "hace un ratito"
    const reRato = /\b(?:desde\s+)?hace\s+(?:un\s+)?(rato|ratito|poco|momento)\b/g;
    while ((m = reRato.exec(folded))) add(m, m[1] === 'ratito' || m[1] === 'momento' ? 0.5 : 1);
    // "desde ayer (en la noche)", "desde anoche", "desde antier", "desde hoy", "desde la mañana"
    const reDesde =
      /\b(?:desde|dsd|dsde|desd|dede)\s+(?:el\s+dia\s+de\s+)?(?:(ayer|antier|anteayer|antes\s+de\s+ayer|anoche|hoy|la\s+madrugada|esta\s+madrugada)(?:\s+(?:en|por)\s+la\s+(manana|tarde|noche|madrugada)|\s+(temprano))?|(?:la|esta|en\s+la)\s+(manana|tarde|noche)|(?:el\s+)?(?:medio\s*dia|mediodia)|temprano|en\s+la\s+manana)\b/g;
    while ((m = reDesde.exec(folded))) {
      const day = m[1];
      const part = m[2] ?? m[3] ?? m[4] ?? (/medio\s*dia|mediodia/.test(m[0]) ? 'mediodia' : /temprano|manana/.test(m[0]) ? 'manana' : undefined);
      add(m, this.dayPartHours(day, part, clock));
    }
    // "desde el lunes", "desde el fin de semana", "desde el sabado en la noche"
    const reWeekday = /\b(?:desde|dsd|dsde|desd)\s+(?:el\s+)?(domingo|lunes|martes|miercoles|jueves|viernes|sabado|fin\s+de\s+semana|finde)\b/g;
    while ((m = reWeekday.exec(folded))) {
      const w = m[1]!;
      const wd = WEEKDAYS[w] ?? 6;
      if (clock) {
        const days = (clock.weekday - wd + 7) % 7 || 7;
        add(m, days * 24 + (clock.hour - 9));
      } else add(m, w.startsWith('fin') ? 48 : 72);
    }
    // "desde la semana pasada", "desde el mes pasado", "desde hace tiempo"
    const rePast = /\b(?:desde|dsd)\s+(?:la|el)\s+(semana|mes)\s+pasad[oa]\b/g;
    while ((m = rePast.exec(folded))) add(m, m[1] === 'semana' ? 168 : 720);
    const reAll = /\b(?:todo\s+el\s+dia|toda\s+la\s+(manana|tarde|noche|semana))\b/g;
    while ((m = reAll.exec(folded))) add(m, m[1] === 'semana' ? 120 : m[1] === 'noche' ? 10 : m[1] ? 5 : 8);
    // "desde las 3", "desde las 10 de la mañana" — needs a clock
    if (clock) {
      const reAt = /\b(?:desde|dsd)\s+(?:las|la)\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm|de\s+la\s+(?:manana|tarde|noche))?/g;
      while ((m = reAt.exec(folded))) {
        let h = Number(m[1]);
        if (m[3] && /pm|tarde|noche/.test(m[3]) && h < 12) h += 12;
        else if (!m[3] && h < 8) h += 12; // "desde las 3" during the day means 15:00
        let ago = clock.hour + clock.minute / 60 - (h + Number(m[2] ?? 0) / 60);
        if (ago <= 0) ago += 24;
        add(m, ago);
      }
    }
    if (!found.length) return undefined;
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    const f = found[0]!;
    return { text: original.slice(f.start, f.end).trim(), hoursAgo: f.hoursAgo };
  }

  private dayPartHours(day: string | undefined, part: string | undefined, clock: ClockParts | undefined): number | undefined {
    const partStart: Record<string, number> = { madrugada: 3, manana: 8, mediodia: 12, tarde: 15, noche: 21 };
    if (day?.includes('madrugada')) {
      day = undefined;
      part = 'madrugada';
    }
    if (!day || day === 'hoy') {
      const start = partStart[part ?? 'manana'] ?? 8;
      if (clock) {
        const ago = clock.hour + clock.minute / 60 - start;
        return ago > 0 ? ago : ago + 24;
      }
      return part === 'noche' ? 12 : part === 'tarde' ? 3 : part === 'mediodia' ? 4 : part === 'madrugada' ? 8 : 6;
    }
    const daysBack = day === 'anoche' ? 1 : day === 'ayer' ? 1 : 2;
    const start = day === 'anoche' ? partStart.noche! : part ? partStart[part]! : day === 'ayer' || daysBack === 2 ? undefined : 9;
    if (start === undefined) return daysBack * 24;
    if (clock) return daysBack * 24 + clock.hour + clock.minute / 60 - start;
    // No clock: assume it is around midday now.
    return daysBack * 24 + 12 - start;
  }

  private clockParts(): ClockParts | undefined {
    if (!this.clock) return undefined;
    const now = new Date(this.clock.now());
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: this.clock.timeZone ?? 'America/Mexico_City',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    const parts = Object.fromEntries(fmt.formatToParts(now).map((p) => [p.type, p.value]));
    const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday ?? 'Sun');
    return { weekday, hour: Number(parts.hour ?? 12), minute: Number(parts.minute ?? 0) };
  }
}

interface ClockParts {
  weekday: number;
  hour: number;
  minute: number;
}
