/**
 * Text normalisation for Mexican WhatsApp Spanish.
 *
 * Two levels:
 *  - `fold(text)`: lowercase + strip accents, one output code unit per input code unit, so spans found
 *    in the folded text can be sliced out of the original (entity extraction relies on this).
 *  - `normalizeTokens(text)`: the classifier's view of a message: emojis turned into words, numbers into
 *    class tokens (phone, folio, money, number), repeated letters collapsed, abbreviations / slang /
 *    common misspellings / a little English mapped to one canonical Spanish word, and finally a Spanish
 *    phonetic key per word (c/z/s, b/v, ll/y, silent h, qu/k...), which makes "nesesito"/"necesito",
 *    "covertura"/"cobertura", "yegan"/"llegan", "ay"/"hay", "kiero"/"quiero" the same token.
 */

const COMBINING = /[\u0300-\u036f]/g;
const foldCache = new Map<string, string>();

function foldChar(ch: string): string {
  let out = foldCache.get(ch);
  if (out === undefined) {
    const lower = ch.toLowerCase();
    const base = lower.normalize('NFD').replace(COMBINING, '');
    out = base.length === 1 ? base : lower.length === 1 ? lower : ch;
    if (foldCache.size < 4096) foldCache.set(ch, out);
  }
  return out;
}

/** Lowercase and strip accents, preserving length (index i of the result corresponds to index i of the input). */
export function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : text[i]!;
    else out += foldChar(text[i]!);
  }
  return out;
}

/** Emojis that carry meaning for this domain; every other pictograph becomes a space. */
const EMOJI_WORDS: Record<string, string> = {
  '👋': 'hola', '🙋': 'hola', '🖐': 'hola', '✋': 'hola',
  '🙏': 'gracias', '🤝': 'gracias',
  '👍': 'ok', '👌': 'ok', '✅': 'ok', '🆗': 'ok',
  '😡': 'enojado', '😠': 'enojado', '🤬': 'enojado', '💢': 'enojado', '👎': 'enojado',
  '😭': 'triste', '😢': 'triste', '😞': 'triste', '😩': 'triste', '😫': 'triste', '😔': 'triste',
  '😂': 'jaja', '🤣': 'jaja', '😆': 'jaja', '😅': 'jaja',
  '❓': ' ? ', '❔': ' ? ', '🤔': ' ? ',
  '📶': 'senal', '📡': 'antena', '🐢': 'lento', '🐌': 'lento',
  '💰': 'pago', '💵': 'pago', '💸': 'pago', '💳': 'tarjeta', '🧾': 'recibo',
  '☎': 'telefono', '📞': 'telefono',
};
const PICTOGRAPH = /\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}\u{FE0F}\u{200D}]/gu;

/** Multi-word rewrites applied to the folded, space-normalised text (before tokenising). */
const PHRASES: [RegExp, string, string][] = [
  [/\b(?:x|por) ?(?:fa|fis|fas|fi|favor|fabor)\b/g, ' por favor ', 'f'],
  [/\bwi ?-? ?fi\b/g, ' wifi ', 'wi'],
  [/\bde la (?:fregada|chingada|patada|tiznada|goma|verga|v|weba|gueva|jodida|porra|cachetada)\b/g, ' malisimo ', 'de la '],
  [/\bdel (?:asco|nabo|carajo|culo|chorizo)\b/g, ' malisimo ', 'del '],
  [/\bde lo peor\b/g, ' malisimo ', 'peor'],
  [/\bni (?:madres|maiz|mais|de chiste)\b/g, ' nada ', 'ni '],
  [/\ba ?ver\b/g, ' a ver ', 'ver'],
  [/\bno internet\b/g, ' no tengo internet ', 'no internet'],
  [/\bnot working\b/g, ' no funciona ', 'working'],
  [/\b(?:is|its|it's) down\b/g, ' no funciona ', 'down'],
  [/\bthank you\b/g, ' gracias ', 'thank'],
  [/\bgood (?:morning|afternoon|evening)\b/g, ' buenos dias ', 'good'],
  [/\bsign up\b/g, ' registrarme ', 'sign'],
  [/\bo sea\b/g, ' ', 'sea'],
];

/** Single-token rewrites (abbreviations, slang, frequent misspellings, English). Keys are folded words. */
const WORDS: Record<string, string> = {};
function alias(canonical: string, ...variants: string[]): void {
  for (const v of variants) WORDS[v] = canonical;
}
alias('que', 'q', 'k', 'ke', 'qe', 'que', 'khe', 'qhe');
alias('porque', 'pq', 'xq', 'pk', 'xk', 'porq', 'porke', 'porqe', 'xke', 'xque', 'porqu', 'pqe');
alias('por', 'x');
alias('para', 'pa', 'xa', 'pra');
alias('para el', 'pal');
alias('tambien', 'tmb', 'tb', 'tmbn', 'tambn', 'tbn', 'tamb', 'tmbien');
alias('de', 'd');
alias('del', 'dl');
alias('por favor', 'porfa', 'porfavor', 'xfa', 'xfavor', 'plis', 'pls', 'plz', 'please', 'porfis', 'xfis', 'pfa', 'porfas', 'xfas', 'plox', 'porfabor');
alias('gracias', 'grax', 'grs', 'grcs', 'grasias', 'grasia', 'gracia', 'thx', 'thanks', 'thank', 'ty', 'graciaz', 'grax', 'gcs', 'grac', 'grasis', 'thnx', 'tnx');
alias('bien', 'bn', 'bien');
alias('bueno', 'bno', 'weno', 'gueno');
alias('mensaje', 'msj', 'msg', 'mensj');
alias('informacion', 'info', 'inf', 'infor', 'informes', 'infos');
alias('celular', 'cel', 'celu', 'movil');
alias('telefono', 'tel', 'tfno', 'fono');
alias('wifi', 'wify', 'wifii', 'guifi', 'gifi', 'wuifi', 'wiffi', 'wfi', 'wi');
alias('internet', 'intenet', 'internt', 'interne', 'inter', 'ternet', 'internes', 'intrnet', 'imternet', 'iternet', 'intermet', 'inernet', 'internett', 'innternet', 'intetnet', 'intener', 'interned', 'internat', 'internete');
alias('modem', 'moden', 'modems', 'router', 'ruter', 'ruteador', 'rauter', 'modm', 'modén');
alias('quiero', 'kero', 'quero', 'qero', 'kiro', 'quiro');
alias('estoy', 'toy', 'stoy', 'estoi');
alias('esta', 'sta', 'ta');
alias('estas', 'tas', 'stas');
alias('buenas', 'bnas', 'bns', 'wenas', 'weenas', 'guenas', 'buenass', 'buens');
alias('buenos', 'bnos', 'wenos', 'guenos', 'buens');
alias('buenos dias', 'bdias', 'bdia');
alias('horas', 'hrs', 'hr', 'hras', 'hs', 'hora');
alias('minutos', 'min', 'mins', 'minuto');
alias('megas', 'mb', 'mbps', 'mega', 'megabytes', 'megabits', 'megs', 'mgs', 'mbs', 'mbts', 'mbits', 'megabyte', 'mg', 'gb', 'giga', 'gigas');
alias('verdad', 'vdd', 'vd');
alias('pues', 'ps', 'pss', 'pos', 'pus', 'pz');
alias('enojado', 'nmms', 'nmames', 'alv', 'ptm', 'hdp', 'chale', 'verga');
alias('necesito', 'ocupo', 'ocupamos', 'ocupaba', 'necesitamos', 'nesito', 'nececito', 'nesecito');
alias('funciona', 'jala', 'jalando', 'jalar', 'jalo', 'jalan', 'furula', 'funka', 'sirve');
alias('conecta', 'agarra', 'agarrando', 'agarro', 'conecto');
alias('bot', 'robot', 'chatbot', 'maquina', 'robotito', 'bott');
alias('computadora', 'compu', 'laptop', 'pc', 'lap');
alias('television', 'tele', 'tv', 'smarttv', 'tvs');
alias('jaja', 'xd', 'xdd', 'lol', 'jsjs', 'jeje', 'jiji', 'haha', 'jajaj');
alias('ok', 'oki', 'okey', 'okay', 'okas', 'okis', 'oka', 'okok', 'okk', 'okei', 'oqui', 'okidoki', 'simon', 'oks');
alias('si', 'sip', 'sii', 'sep', 'yes', 'sis');
alias('no', 'nop', 'nel', 'nelson', 'nanay', 'nope');
alias('ayuda', 'help', 'ayudaa', 'hepl', 'halp', 'auxilio');
alias('quiubo', 'quiubole', 'quihubo', 'quiobo', 'quibo', 'quiubas', 'quiubos');
alias('hola', 'hello', 'hi', 'hey', 'ola', 'holi', 'holis', 'holaa', 'hla', 'hols', 'ey', 'alo', 'aloha');
alias('adios', 'bye', 'bai', 'bay', 'byebye', 'chao', 'chau', 'chaito', 'bais', 'sayonara');
alias('precios', 'price', 'prices', 'pricing');
alias('cancelar', 'cancel', 'unsubscribe');
alias('pago', 'pay', 'payment', 'payments');
alias('pague', 'paid', 'pagé', 'pagé');
alias('humano', 'human');
alias('persona', 'person', 'people');
alias('agente', 'agent');
alias('lento', 'slow', 'lentisimo', 'lentote', 'lentito', 'lentisima', 'lenta', 'lentos');
alias('servicio', 'service', 'servico', 'serbicio', 'servisio', 'servcio', 'sevicio');
alias('cobertura', 'coverage', 'cobertira', 'covertura', 'coberura', 'cobetura', 'cobertua');
alias('clientes', 'customer', 'customers', 'clients');
alias('buscar', 'find', 'search', 'busca', 'buscame', 'buscar', 'buskame');
alias('tecnico', 'technician', 'tecnicos', 'tec', 'tecnic', 'tecnio', 'tecnco');
alias('cuenta', 'account');
alias('mi', 'my');
alias('planes', 'plans');
alias('cuanto', 'cuant', 'kuanto', 'qnto', 'cnto', 'cuato', 'cuanto');
alias('cuesta', 'questa', 'kuesta', 'cuestan', 'cuestas');
alias('senal', 'senial', 'senyal', 'sena', 'signal');
alias('reporte', 'report', 'ticket', 'tiket', 'tickets', 'reprte', 'reporet');
alias('dinero', 'lana', 'feria', 'varo', 'varos', 'billete', 'money');
alias('trabajo', 'chamba', 'jale', 'job');
alias('amigo', 'compa', 'carnal', 'wey', 'guey', 'we', 'wei', 'bro', 'joven', 'oiga', 'oigan', 'disculpe', 'disculpa', 'disculpen', 'senorita', 'senor', 'muchachos', 'amiga', 'doc', 'jefe', 'jefa', 'jovenes', 'chavos', 'chicos', 'amigos');
alias('mucho', 'muxo', 'mutcho');
alias('muy', 'mui', 'super');
alias('', 'eh', 'ehh', 'mmm', 'mm', 'ah', 'ahh', 'oye', 'osea', 'pues', 'eeh', 'uhm', 'umm', 'hmm');

export const CANONICAL_WORDS: Readonly<Record<string, string>> = WORDS;

const phoneticCache = new Map<string, string>();

/** Spanish phonetic key of one (folded) word. */
export function phonetic(word: string): string {
  let key = phoneticCache.get(word);
  if (key === undefined) {
    key = phoneticKey(word);
    if (phoneticCache.size < 50_000) phoneticCache.set(word, key);
  }
  return key;
}

function phoneticKey(word: string): string {
  if (word.length < 2 || /\d/.test(word)) return word;
  let w = word.replace(/ch/g, 'C');
  w = w.replace(/qu(?=[ei])/g, 'k').replace(/q/g, 'k');
  w = w.replace(/c(?=[ei])/g, 's').replace(/c/g, 'k');
  w = w.replace(/z/g, 's').replace(/v/g, 'b').replace(/ll/g, 'y').replace(/h/g, '');
  w = w.replace(/([aeiou])y$/, '$1i').replace(/ss+/g, 's');
  w = w.replace(/C/g, 'ch');
  return w || word;
}

const REPEAT3 = /(\D)\1\1/;
const REPEAT3_G = /(\D)\1{2,}/g;
/** A word that is one letter repeated ('aaaa', 'qqqqq', 'zzzz'): keyboard noise, not the letter. */
const ONE_CHAR_WORD = /(?<![a-z])([a-z])\1{2,}(?![a-z])/g;
const HAS_DIGIT = /\d/;
const NON_WORD = /[^a-z0-9ñ]+/g;
const DOUBLE_END = /([a-df-np-z])\1$/;
const LAUGH = /^(?:j+[aeiou]+|[aeiou]?j+|js|sj|ha|he|xd)+[jhs]?$/;
const DIGITS_LETTERS = /(\d)([a-z])|([a-z])(\d)/g;

/** Rewrites numbers into class tokens: folio, phone, money, plain number. Works on folded text. */
function numberTokens(s: string): string {
  return s
    .replace(/\b(?:f|folio|fol)\s?[-#:]?\s?(\d{1,6})\b/g, ' numfolio ')
    .replace(/\+?\d(?:[\s.-]?\d){9,}/g, ' numtel ')
    .replace(/\$\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:pesos|mxn|varos)\b/g, ' dinero ')
    .replace(/#\s?(\d+)/g, ' numfolio ')
    .replace(DIGITS_LETTERS, (m, a: string, b: string, c: string, d: string) => (a ? `${a} ${b}` : `${c} ${d}`))
    .replace(/\b\d+(?:[.,:]\d+)?\b/g, ' num ');
}

/** Normalised surface words (folded, slang-mapped) — before the phonetic key. */
export function normalizeWords(text: string): string[] {
  let s = /[^\x00-\x7f]/.test(text) ? text.replace(PICTOGRAPH, (e) => ` ${EMOJI_WORDS[e] ?? ''} `) : text;
  s = fold(s);
  if (REPEAT3.test(s)) s = s.replace(ONE_CHAR_WORD, ' ruido ').replace(REPEAT3_G, '$1');
  if (HAS_DIGIT.test(s)) s = numberTokens(s);
  s = ` ${s.replace(NON_WORD, ' ')} `;
  for (const [re, to, hint] of PHRASES) if (s.includes(hint)) s = s.replace(re, to);
  const out: string[] = [];
  for (let raw of s.split(' ')) {
    if (!raw) continue;
    const n = raw.length;
    if (n > 2 && raw.charCodeAt(n - 1) === raw.charCodeAt(n - 2) && DOUBLE_END.test(raw)) raw = raw.slice(0, -1);
    if (n >= 4 && LAUGH.test(raw)) raw = 'jaja';
    const mapped = WORDS[raw];
    if (mapped === undefined) out.push(raw);
    else if (mapped) for (const m of mapped.split(' ')) out.push(m);
  }
  return out;
}

/** The classifier's tokens: normalised words reduced to their phonetic key. */
export function normalizeTokens(text: string): string[] {
  return normalizeWords(text).map(phonetic);
}
