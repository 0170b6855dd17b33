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
    /\b(sin (internet|servicio|señal|senal|conexion|red)|no (tengo|hay|me llega|jala|sirve|funciona|conecta|agarra)( nada de)? ?(el |la |mi )?(internet|servicio|señal|senal|conexion|wifi|red|modem)?|se (cayo|fue) (el |la )?(internet|servicio|conexion|señal|senal)|(internet|servicio) caido|no hay nada)/,
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
