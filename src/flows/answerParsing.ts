import { parsePlanChoice, parseYesNo as readYesNo } from '../domain/answers.ts';
import { fold } from '../domain/catalog.ts';
import type { FallaCategory } from '../sheets/records.ts';
import type { FlowContext } from './flow.ts';

/**
 * Reading a person's answers inside a flow (shared by falla, pago, cambio de plan, cancelación,
 * registro, cobertura…): yes/no, skip, falla category, since when, plan, a change of topic.
 * Vocabulary to recognise what people write, not bot text: the replies live in the catalogue.
 */

/** "sí", "simón", "claro" → true; "no", "nel" → false; anything else → undefined. Buttons yes/no too. */
export function parseYesNo(ctx: FlowContext, yesId = 'yes', noId = 'no'): boolean | undefined {
  if (ctx.input.action === yesId) return true;
  if (ctx.input.action === noId) return false;
  const answer = readYesNo(ctx.input.text);
  return answer === undefined ? undefined : answer === 'yes';
}

/** "ya pagué", "ya pague", "ya hice el depósito", "acabo de transferir"… */
export function mentionsPaid(text: string): boolean {
  const t = fold(text);
  return (
    /\bya (lo )?(pague|pagamos|deposite|transferi|cubri|hice (el |mi |la )?(pago|deposito|transferencia)|realice (el |mi |la )?(pago|deposito|transferencia)|quedo pagado|esta pagado)\b/.test(t) ||
    /\b(acabo de (pagar|depositar|transferir)|hice (el|mi|la) (pago|deposito|transferencia))\b/.test(t)
  );
}

/** "¿cómo pago?", "¿a qué cuenta deposito?", "formas de pago", "CLABE": how to pay, not how much. */
export function asksPaymentMethods(text: string): boolean {
  const t = fold(text);
  return /\b(como (le )?(pago|hago para pagar|puedo pagar|se paga|pagar|deposito)|donde (pago|puedo pagar|se paga|deposito)|en donde (pago|puedo pagar)|a (que|cual) cuenta|numero de cuenta|cuenta (bancaria|para depositar)|clabe|datos (bancarios|para (depositar|transferir|pagar))|formas? de pago|metodos? de pago|medios de pago|oxxo|quiero pagar|puedo pagar con)\b/.test(t);
}

const SKIP = /^(omitir|omite|omito|saltar|skip|paso|no|nop|nel|nada|ninguno|ninguna|no se|no tengo|no la tengo|no lo tengo|no tengo referencia|sin referencia|no me acuerdo)$/;

/**
 * The `skip` button, or an answer that is nothing but a skip phrase ("omitir", "no tengo").
 * Only the whole answer counts: "No. de operación 8837261" is a reference, not a "no".
 */
export function isSkip(ctx: FlowContext): boolean {
  if (ctx.input.action === 'skip') return true;
  return SKIP.test(fold(ctx.input.text));
}

/** The engine's bar for taking an answer as a change of topic (INTERRUPT_CONFIDENCE in the agent). */
const TOPIC_CHANGE_CONFIDENCE = 0.85;

/**
 * The NLU confidently reads the answer as another topic than the flow's `related` intents: the
 * step should then `retry`, which lets the engine switch flows, instead of taking the words as data.
 */
export function isOtherTopic(ctx: FlowContext, related: readonly string[]): boolean {
  const { intent, confidence } = ctx.input.nlu;
  return confidence >= TOPIC_CHANGE_CONFIDENCE && intent !== 'fuera_de_alcance' && !related.includes(intent);
}

const CATEGORY_PATTERNS: [FallaCategory, RegExp][] = [
  ['intermitente', /\b(intermitente|se va y (viene|regresa)|va y viene|se corta|se cae (a cada rato|seguido|mucho)|a ratos|se desconecta|se pierde|por momentos|se cae y)/],
  ['lento', /\b(lent[oa]s?|lentitud|tarda|muy poca velocidad|baja velocidad|no carga rapido)\b/],
  [
    'sin_internet',
    /\b(sin (internet|servicio|señal|senal|conexion|red)|no (tengo|hay|me llega|jala|sirve|funciona|conecta|agarra)( nada de)? ?(el |la |mi )?(internet|servicio|señal|senal|conexion|wifi|red|modem)?|se (cayo|fue) (el |la )?(internet|servicio|conexion|señal|senal)|(internet|servicio) caido|no hay nada|me (cortaron|quitaron|suspendieron) (el |la |mi )?(internet|servicio|señal|senal|conexion|wifi))/,
  ],
  ['otro', /^otr[oa]( cosa| problema)?$/],
];

/** What happens, from words: "no hay nada de internet", "muy lento", "se va y viene". */
export function parseCategory(text: string): FallaCategory | undefined {
  const folded = fold(text);
  if (!folded) return undefined;
  return CATEGORY_PATTERNS.find(([, re]) => re.test(folded))?.[0];
}

const UNIT_HOURS: Record<string, number> = { minuto: 0, hora: 1, dia: 24, semana: 168, mes: 720 };
const NUMBER_WORDS: Record<string, number> = { un: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, diez: 10 };

/**
 * Since when, in hours ago. The NLU `since` entity first; then buttons (`since:today|yesterday|days`);
 * then a few everyday phrases. Undefined when unclear.
 */
export function parseSinceHours(ctx: FlowContext): number | undefined {
  const action = ctx.input.action;
  if (action === 'since:today') return 0;
  if (action === 'since:yesterday') return 24;
  if (action === 'since:days') return 72;
  const entity = ctx.input.nlu.entities.since;
  if (entity && Number.isFinite(entity.hoursAgo)) return Math.max(0, entity.hoursAgo);
  return sinceFromText(ctx.input.text);
}

export function sinceFromText(text: string): number | undefined {
  const t = fold(text);
  if (!t) return undefined;
  const n = /\b(\d+|un|una|dos|tres|cuatro|cinco|seis|siete|ocho|diez) (minuto|hora|dia|semana|mes)(e?s)?\b/.exec(t);
  if (n?.[1] && n[2]) {
    const count = /\d/.test(n[1]) ? Number(n[1]) : (NUMBER_WORDS[n[1]] ?? 1);
    return count * (UNIT_HOURS[n[2]] ?? 0);
  }
  if (/\bantier|anteayer|antes de ayer\b/.test(t)) return 48;
  if (/\bayer\b/.test(t)) return 24;
  if (/\b(varios|muchos|unos) dias\b|\btoda la semana\b/.test(t)) return 72;
  if (/\b(hoy|ahorita|hace rato|hace un rato|en la manana|esta manana|en la tarde|en la noche|anoche|ahora|apenas)\b/.test(t)) return t.includes('anoche') ? 12 : 0;
  return undefined;
}

/** The plan chosen: a `plan:<mbps>` button, the NLU speed, "el de 100", a plan name or price. */
export function parsePlanMbps(ctx: FlowContext): number | undefined {
  const fromAction = /^plan:(\d+)$/.exec(ctx.input.action ?? '')?.[1];
  if (fromAction) return Number(fromAction);
  return parsePlanChoice(ctx.deps.config, ctx.input.text, ctx.input.nlu.entities.plan_mbps)?.mbps;
}

const RESTART_DONE =
  /\b(reinicie|reiniciamos|reiniciado|resetee|resetie|reseteamos|reseteado|desconecte|desconectamos|desenchufe|desenchufamos|volvi a conectar|volvimos a conectar|lo volvi a prender|apague y (lo )?(prendi|encendi)|le movi al modem|ya lo hice|ya (lo |le )?(reinicio|apague|movi))\b/;
const RESTART_NOT = /\b(no (lo |le |se )?(he|hemos|ha) (reiniciado|desconectado|apagado|reseteado)|no (lo |le )?(reinicie|desconecte|apague|resetee)|sin reiniciar)\b/;

/**
 * The person says they already restarted the modem ("ya lo reinicié", "ya desconecté el módem y
 * lo volví a conectar", "le moví al módem y nada"). False for "no lo he reiniciado".
 */
export function mentionsRestarted(text: string): boolean {
  const t = fold(text);
  return RESTART_DONE.test(t) && !RESTART_NOT.test(t);
}

const WIFI_THING = /\b(wifi|wi fi|wify|red|modem|internet)\b/;
const WIFI_SETTING = /\b(nombre|contrasena|contrasenas|clave|password|pass|contra)\b/;
const WIFI_ASK = /\b(cambi\w*|cual|cuales|como|olvide|olvido|saber|poner|pongo|ver|veo|dime|dame|pasame|no se|no me se|modific\w*)\b/;

/**
 * A wifi configuration question, not an outage: "¿cómo le cambio el nombre a mi red wifi?",
 * "¿cuál es la contraseña del wifi?". Not when the text also describes a failure.
 */
export function isWifiSetupQuestion(text: string): boolean {
  const t = fold(text);
  return WIFI_THING.test(t) && WIFI_SETTING.test(t) && WIFI_ASK.test(t) && !/\bvecin/.test(t) && parseCategory(text) === undefined;
}

/** "ya te lo dije arriba", "ya lo puse", "lo que te escribí": the answer is in an earlier message. */
export function isAlreadySaid(text: string): boolean {
  const t = fold(text);
  return /\b(ya (te |se )?(lo |la |los )?(dije|di|puse|escribi|mande|envie|pase|comente)|(lo |la )?(dije|puse|escribi|mande) (arriba|antes)|arriba (te )?(lo )?(dije|puse|escribi)|lo que te (dije|escribi|puse)|(esta|viene) arriba|revisa arriba|mas arriba)\b/.test(t);
}

export interface PaymentDetails {
  amount?: number;
  reference?: string;
}

const plain = (text: string): string => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
const REFERENCE =
  /\b(?:referencia|ref|folio|n(?:o|um|umero)?\.? de (?:operacion|autorizacion|referencia)|operacion|autorizacion|clave de rastreo|rastreo|comprobante|movimiento)\.?\s*(?:es|de|:|#|no\.?|n[uú]mero)?\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{3,29})\b/i;
const AMOUNT = [
  /\$\s?(\d{1,3}(?:,\d{3})+|\d{1,6})(?:\.(\d{1,2}))?\b/,
  /\b(\d{1,3}(?:,\d{3})+|\d{1,6})(?:\.(\d{1,2}))?\s*(?:pesos|mxn|varos|mil)\b/i,
  /\b(?:de|por|monto(?: de)?|fueron|son|pague|deposite|transferi|abone|cantidad de)\s+\$?(\d{1,3}(?:,\d{3})+|\d{2,6})(?:\.(\d{1,2}))?\b/i,
];

/**
 * The amount and reference a person wrote about a payment: "ya hice el pago de 450 por
 * transferencia, referencia 88213" → { amount: 450, reference: '88213' }. Either may be missing.
 */
export function paymentDetails(text: string): PaymentDetails {
  const raw = plain(text);
  const found: PaymentDetails = {};
  const ref = REFERENCE.exec(raw);
  if (ref?.[1] && /\d/.test(ref[1])) found.reference = ref[1];
  const rest = ref ? raw.replace(ref[0], ' ') : raw;
  for (const re of AMOUNT) {
    const m = re.exec(rest);
    if (!m?.[1]) continue;
    const amount = Number(m[1].replace(/,/g, '')) + (m[2] ? Number(`0.${m[2]}`) : 0);
    if (amount > 0 && amount <= 100_000) {
      found.amount = /\bmil\b/i.test(m[0]) && amount < 100 ? amount * 1000 : amount;
      break;
    }
  }
  return found;
}

/** "ya regresó el internet", "ya se arregló", "ya quedó el servicio": the problem went away. */
export function saysServiceBack(text: string): boolean {
  const t = fold(text);
  return (
    /\bya (me |nos )?(regreso|volvio|quedo|se arreglo|se compuso|se soluciono|se resolvio|funciona|sirve|jala|hay|tengo|llego|esta funcionando|anda|agarra)\b/.test(t) &&
    !/\bya (quedo|hay|tengo) (el |mi |un |una )?(pago|pagado|reporte|folio|otro|otra)\b/.test(t)
  ) || /\b(regreso|volvio) (el |la )?(internet|servicio|senal|conexion|wifi)\b/.test(t);
}
