import type { IspConfig, Plan } from '../config/schema.ts';
import { normalizePhone } from '../core/phone.ts';
import { findPlan, fold, plansByPrice } from './catalog.ts';

/**
 * Pure readings of a person's free-text answers (yes/no, names, plan choices, phones, questions).
 * They know nothing of flows or channels, so tools and flows can share them. The word lists are
 * vocabulary to recognise what people write, not bot text.
 */

const YES_FIRST = new Set(['si', 'simon', 'claro', 'ok', 'okay', 'va', 'vale', 'dale', 'sale', 'orale', 'sip', 'sep', 'andale', 'correcto', 'afirmativo', 'perfecto', 'yes', 'confirmo', 'confirmar', 'adelante', 'bueno', 'obvio', 'seguro', 'exacto', 'efectivamente', 'ajam', 'aja']);
const YES_PHRASES = ['por favor', 'de acuerdo', 'esta bien', 'me parece bien', 'asi es', 'todo bien', 'esta correcto', 'por supuesto', 'creo que si', 'va que va', 'me late'];
const NO_FIRST = new Set(['no', 'nel', 'nop', 'nope', 'nah', 'negativo', 'nunca', 'tampoco', 'nones', 'nelson']);
const NO_PHRASES = ['mejor no', 'ahorita no', 'todavia no', 'aun no', 'para nada', 'por ahora no', 'de momento no', 'ahora no', 'claro que no', 'por supuesto que no', 'creo que no', 'no creo', 'mejor despues', 'mejor luego'];
/** Hesitations people put before the answer: "mmm mejor no", "pues sí", "este... no". */
const FILLER = /^(?:m{2,}|hm+|um+|em+|eh+|ah+|este|pues|bueno|oye|mira|ay|o sea|la verdad|a ver|haber)(?: |$)/;

/** The answer without leading fillers; the whole answer when it is nothing but a filler ("bueno"). */
function withoutFillers(folded: string): string {
  let rest = folded;
  for (let prev = ''; prev !== rest; ) {
    prev = rest;
    rest = rest.replace(FILLER, '').trim();
  }
  return rest || folded;
}

const startsWith = (text: string, phrase: string): boolean => text === phrase || text.startsWith(`${phrase} `);

/** "sí", "simón", "pues sí", "claro que sí" → yes; "no", "nel", "mmm mejor no" → no; anything else → undefined. */
export function parseYesNo(text: string, action?: string): 'yes' | 'no' | undefined {
  if (action === 'yes' || action === 'no') return action;
  const folded = withoutFillers(fold(text)).replace(/^(si)i+\b/, '$1').replace(/^(no)o+\b/, '$1');
  if (!folded) return undefined;
  const words = folded.split(' ');
  if (words.length > 8) return undefined;
  if (NO_PHRASES.some((p) => startsWith(folded, p))) return 'no';
  if (NO_FIRST.has(words[0] ?? '')) return 'no';
  if (YES_FIRST.has(words[0] ?? '') || YES_PHRASES.some((p) => startsWith(folded, p))) return 'yes';
  return undefined;
}

/** Titles before a name: "Don Chuy" → "Chuy", "Lic. Ana Ruiz" → "Ana Ruiz". */
const HONORIFICS = new Set(['don', 'dona', 'sr', 'sra', 'srta', 'senor', 'senora', 'senorita', 'lic', 'licenciado', 'licenciada', 'ing', 'ingeniero', 'ingeniera', 'dr', 'dra', 'doctor', 'doctora', 'mtro', 'mtra', 'profe', 'prof', 'profa']);
/** Particles inside real names ("María de la Luz", "Ortega y Gasset"): allowed, but not first or last. */
const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'y', 'e', 'san', 'santa', 'da', 'di', 'van', 'von', 'mc']);
/** Words that make an answer a sentence, not a name: verbs, pronouns, function words, place and service words. */
const NOT_A_NAME = new Set([
  'quiero', 'quisiera', 'necesito', 'ocupo', 'tengo', 'tiene', 'tienen', 'vivo', 'vive', 'vivimos', 'soy', 'es', 'son', 'era', 'estoy', 'esta', 'estan', 'llamo', 'llama',
  'me', 'mi', 'mis', 'tu', 'su', 'sus', 'yo', 'te', 'se', 'le', 'lo', 'nos', 'usted', 'ustedes', 'nosotros', 'el', 'un', 'una', 'uno', 'unos', 'unas',
  'en', 'a', 'al', 'con', 'por', 'para', 'sin', 'que', 'o', 'pero', 'porque', 'como', 'cuando', 'donde', 'cual', 'cuanto', 'ya', 'muy', 'mas', 'tambien', 'aqui', 'ahi', 'alla', 'cerca',
  'colonia', 'col', 'zona', 'calle', 'avenida', 'av', 'barrio', 'fraccionamiento', 'fracc', 'casa', 'numero', 'telefono', 'celular', 'nombre', 'apellido',
  'hola', 'internet', 'contratar', 'plan', 'megas', 'servicio', 'cliente', 'gracias', 'menu', 'si', 'no', 'ok', 'ayuda', 'buenas', 'buenos', 'dias', 'tardes', 'noches', 'favor', 'hay',
]);
/** "me llamo Karla Pérez", "soy Karla Pérez": the name after the introduction. */
const INTRO = /^(?:soy|me llamo|mi nombre es|mi nombre completo es|a nombre de|es|se llama)\s+/i;
const NAME_WORD = /^\p{L}[\p{L}'’.-]*$/u;
const bare = (word: string): string => fold(word).replace(/\s+/g, '');

/**
 * A full name: 2–5 name words made of letters (particles such as "de la" do not count), no
 * digits, no sentence words ("vivo en la colonia…", "quiero…"), honorifics dropped. Returns it
 * tidied (single spaces, capitalised when typed all in lower or upper case), or undefined.
 */
export function validateFullName(text: string): string | undefined {
  const cleaned = text.replace(/\s+/g, ' ').trim().replace(INTRO, '');
  if (!cleaned || cleaned.length > 80 || /\d/.test(cleaned)) return undefined;
  const words = cleaned.split(' ');
  while (words.length > 0 && HONORIFICS.has(bare(words[0] ?? ''))) words.shift();
  if (!words.every((w) => NAME_WORD.test(w))) return undefined;
  const folded = words.map(bare);
  if (folded.some((w) => NOT_A_NAME.has(w))) return undefined;
  const nameWords = folded.filter((w) => !PARTICLES.has(w)).length;
  if (nameWords < 2 || nameWords > 5 || words.length > 8) return undefined;
  if (PARTICLES.has(folded[0] ?? '') || PARTICLES.has(folded.at(-1) ?? '')) return undefined;
  const name = words.join(' ');
  return name === name.toLowerCase() || name === name.toUpperCase() ? nameCase(words) : name;
}

/** One word of letters that could be a first name ("Karla"): the answer lacks the surname. */
export function isSingleName(text: string): boolean {
  const words = text.trim().replace(INTRO, '').split(/\s+/).filter((w) => !HONORIFICS.has(bare(w)));
  return words.length === 1 && NAME_WORD.test(words[0] ?? '') && !NOT_A_NAME.has(bare(words[0] ?? '')) && !PARTICLES.has(bare(words[0] ?? ''));
}

/** The first name to greet someone by, honorifics skipped: "Don Chuy" → "Chuy". */
export function firstNameOf(name: string | undefined): string | undefined {
  return name?.trim().split(/\s+/).find((w) => w && !HONORIFICS.has(bare(w)));
}

const capital = (w: string): string => (w ? w[0]!.toUpperCase() + w.slice(1) : w);

function nameCase(words: string[]): string {
  return words.map((w, i) => (i > 0 && PARTICLES.has(bare(w)) ? w.toLowerCase() : capital(w.toLowerCase()))).join(' ');
}

/** "las flores" → "Las Flores". */
export function titleCase(text: string): string {
  return text.toLowerCase().split(' ').map(capital).join(' ');
}

const CHEAPEST = ['barato', 'barata', 'economico', 'economica', 'menos caro', 'mas bajo', 'menor precio', 'sencillo', 'chico', 'pequeno'];
const FASTEST = ['rapido', 'rapida', 'veloz', 'mas megas', 'mas velocidad', 'potente', 'mas caro', 'mas alto', 'grande'];
const MIDDLE = ['en medio', 'de medio', 'el medio', 'mediano', 'mediana', 'intermedio', 'intermedia', 'de enmedio', 'enmedio'];

/** Plans from slowest to fastest. */
export const plansBySpeed = (config: IspConfig): Plan[] => [...config.plans].sort((a, b) => a.mbps - b.mbps);

/**
 * The plan a person chose in free text: the NLU speed, "el de 50", "50 megas", a plan name,
 * a monthly price ("el de 450"), "el más barato", "el más rápido" or "el de en medio".
 */
export function parsePlanChoice(config: IspConfig, text: string, mbps?: number): Plan | undefined {
  const byEntity = findPlan(config, mbps);
  if (byEntity) return byEntity;
  const mentioned = plansInText(config, text);
  if (mentioned[0]) return mentioned[0];
  const folded = ` ${fold(text)} `;
  const has = (words: string[]): boolean => words.some((w) => folded.includes(` ${w} `));
  if (has(CHEAPEST)) return plansByPrice(config)[0];
  if (has(FASTEST)) return plansBySpeed(config).at(-1);
  if (has(MIDDLE) && config.plans.length >= 3) return planForUsage(config, 'mid');
  return undefined;
}

/** Every plan the text names, in order: by speed ("el de 20 y el de 50"), name ("el plus") or monthly price. */
export function plansInText(config: IspConfig, text: string): Plan[] {
  const folded = ` ${fold(text)} `;
  const found: { plan: Plan; at: number }[] = [];
  for (const match of folded.matchAll(/ (\d{1,5})(?= )/g)) {
    const n = Number(match[1]);
    const plan = findPlan(config, n) ?? config.plans.find((p) => p.price === n);
    if (plan) found.push({ plan, at: match.index ?? 0 });
  }
  for (const plan of config.plans) {
    const at = folded.indexOf(` ${fold(plan.name)} `);
    if (at >= 0) found.push({ plan, at });
  }
  const ordered = found.sort((a, b) => a.at - b.at).map((f) => f.plan);
  return ordered.filter((p, i) => ordered.indexOf(p) === i);
}

/** How someone uses the internet, as a rank among the plans: light, medium (the middle plan), heavy. */
export type Usage = 'low' | 'mid' | 'high';

const USAGE_WORDS: [Usage, RegExp][] = [
  ['high', /\b(gam(er|ers|ing)|jug(ar|amos|an)|juegos?|videojuegos?|xbox|play|playstation|ps[45]|fortnite|home office|trabaj(o|ar|amos) (desde|en) (la )?casa|varias personas|muchas personas|muchos (equipos|dispositivos|celulares)|familia grande|somos (muchos|[5-9]|cinco|seis|siete|ocho)|4k|transmitir|streamer|twitch|camaras)\b/],
  ['mid', /\b(netflix|series|peliculas|streaming|youtube|disney|hbo|max|prime|vix|tareas?|escuela|clases?|hijos?|ninos|videollamadas?|zoom|meet|teams|familia)\b/],
  ['low', /\b(navegar|redes|facebook|whatsapp|correo|correos|noticias|solo yo|poco uso|lo basico|mensajes|tiktok|instagram)\b/],
];

/** The heaviest use the text mentions ("netflix y tareas" → mid), undefined when it names none. */
export function usageInText(text: string): Usage | undefined {
  const folded = fold(text);
  return USAGE_WORDS.find(([, re]) => re.test(folded))?.[0];
}

/** The plan for a use: the slowest for light use, the fastest for heavy use, the middle one otherwise. */
export function planForUsage(config: IspConfig, usage: Usage): Plan | undefined {
  const plans = plansBySpeed(config);
  if (usage === 'low') return plans[0];
  if (usage === 'high') return plans.at(-1);
  return plans[Math.ceil((plans.length - 1) / 2)];
}

/** A plan's place by speed: the slowest "low", the fastest "high", the rest "mid"; none with a single plan. */
export function usageOfPlan(config: IspConfig, plan: Plan): Usage | undefined {
  const plans = plansBySpeed(config);
  if (plans.length < 2) return undefined;
  const i = plans.findIndex((p) => p.mbps === plan.mbps);
  return i === 0 ? 'low' : i === plans.length - 1 ? 'high' : 'mid';
}

const QUESTION_START = /^(?:(?:y|oye|pero|entonces|una pregunta|pregunta|disculpa|perdon) )*(?:cual|cuales|que|como|cuanto|cuanta|cuantos|cuantas|por que|porque|para que|en que|donde|cuando|me recomiendas|recomiendame|me conviene|conviene|sirve|incluye|hay diferencia)\b/;

/**
 * A question rather than an answer: it starts with a question word (cuál, qué, cómo, cuánto, por qué…)
 * or ends with "?" — except a bare short choice such as "¿el de 50?".
 */
export function isQuestion(text: string): boolean {
  const folded = fold(text);
  if (!folded) return false;
  if (QUESTION_START.test(folded)) return true;
  return /\?\s*$/.test(text) && folded.split(' ').length > 3;
}

/**
 * The value of a correction: "la zona está mal, es la loma" → "la loma", "cambia el plan a 100" → "100",
 * "mi nombre es Karla Pérez" → "Karla Pérez". Undefined when the text gives no value.
 */
export function correctionValue(text: string): string | undefined {
  const m = /(?:^|.*[\s,;:])(?:es|son|ser[ií]a|era|debe ser|pon(?:le)?|c[aá]mbia(?:lo|la|le)? a|c[aá]mbialo por|a|por)\s+(.+)$/i.exec(text.trim());
  const value = m?.[1]?.replace(/[.!¡¿?]+$/g, '').trim();
  return value || undefined;
}

/** A phone typed or shared, normalised (see core/phone.ts); undefined when it is not a valid number. */
export function parsePhoneAnswer(config: IspConfig, text: string, entityPhone?: string): string | undefined {
  const country = config.isp.defaultCountry;
  return (entityPhone ? normalizePhone(entityPhone, country) : undefined) ?? (text ? normalizePhone(text, country) : undefined);
}

/** "525512345678" → "+52 55 1234 5678" for showing a number back to its owner. */
export function formatPhone(phone: string): string {
  const m = /^52(\d{2})(\d{4})(\d{4})$/.exec(phone);
  return m ? `+52 ${m[1]} ${m[2]} ${m[3]}` : `+${phone}`;
}
