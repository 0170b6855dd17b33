/**
 * Offline Spanish (es-MX) NLU: intent + entities for WhatsApp-style customer and staff messages.
 *
 *   const nlu = await createNlu({ zones: cfg.zones, outsideCoverage: cfg.outsideCoverage, plansMbps: cfg.plans.map(p => p.mbps) });
 *   nlu.classify('hola, no tengo internet desde ayer')  // → { intent: 'falla', confidence: 0.9x, entities: { since: { text: 'desde ayer', hoursAgo: 24 } } }
 *
 * Pipeline: normalise (./normalize.ts) → logistic-regression intent model trained at start-up on
 * corpus/train.tsv (./classifier.ts) → "main request" rules (a greeting/thanks wrapped around a request
 * yields the request; "X pero <falla>" yields falla; gibberish yields fuera_de_alcance) → entities (./entities.ts).
 */
import { IntentClassifier, type Example, type Prediction } from './classifier.ts';
import { loadCorpus, TRAIN_URL } from './corpus.ts';
import { EntityExtractor } from './entities.ts';
import { normalizeWords } from './normalize.ts';
import { INTENTS, type Intent, type Nlu, type NluEntities, type NluOptions, type NluResult } from './types.ts';

export { INTENTS, isIntent } from './types.ts';
export type { Intent, Nlu, NluEntities, NluOptions, NluResult } from './types.ts';

/** Intents that are only social glue; when a message has them plus a request, the request wins. */
const SOCIAL: ReadonlySet<Intent> = new Set<Intent>(['saludo', 'despedida']);

/** Greeting / thanks / filler phrases that may wrap a request, as normalised words. */
const COURTESY = new RegExp(
  '^(?:' +
    [
      'hola', 'buenas', 'buenos', 'buen', 'dias?', 'tardes?', 'noches?', 'que tal', 'que onda', 'que hubo', 'quiubo', 'saludos',
      'amigo', 'ok', 'si', 'no', 'bueno', 'y', 'pues', 'muy', 'muchas', 'mil', 'gracias(?: por (?:(?:la|su|tu|toda la|el|todo|lo) )?[a-z]+)?', 'con eso(?: queda| es todo)?', 'se agradece', 'muy amable',
      'por favor', 'oye', 'una pregunta', 'una duda', 'tengo una (?:pregunta|duda)', 'perdon', 'de nuevo', 'otra vez', 'conecta(?: internet)?',
      'soy (?:cliente|yo)', 'como (?:esta|estas|estan|le va)', 'es todo', 'eso es todo', 'perfecto', 'excelente', 'listo', 'entendido',
      'ya me voy', 'me despido', 'hasta luego', 'adios', 'nos vemos', 'bendiciones', 'saludos cordiales',
    ].join('|') +
    ')$',
);

/** "me llamo Jorge", "les habla María": an introduction is not a request. */
const INTRODUCTION = /^(?:me llamo|mi nombre es|les habla|le habla|te habla|habla|soy)(?: [a-z]+){1,3}$/;

export interface ClassifyDetails extends NluResult {
  /** What the model saw and why the rules decided what they did (for eval/debugging). */
  debug: { model: Intent; modelConfidence: number; rule?: 'request-over-courtesy' | 'pero-falla' | 'gibberish'; unknownRatio: number };
}

class SpanishNlu implements Nlu {
  constructor(
    private readonly model: IntentClassifier,
    private readonly extractor: EntityExtractor,
  ) {}

  classify(text: string): NluResult {
    const { debug: _debug, ...result } = this.classifyDetailed(text);
    return result;
  }

  classifyDetailed(text: string): ClassifyDetails {
    const input = typeof text === 'string' ? text : '';
    const words = normalizeWords(input);
    if (words.length === 0) {
      return {
        text: input,
        intent: 'fuera_de_alcance',
        confidence: input.trim() ? 0.6 : 0.9,
        entities: this.extractor.extract(input),
        debug: { model: 'fuera_de_alcance', modelConfidence: 0, unknownRatio: 1 },
      };
    }
    const first = this.model.predictWords(words);
    let intent: Intent = first.intent;
    let confidence = first.confidence;
    let rule: ClassifyDetails['debug']['rule'];

    // 1. The main request beats the greeting/thanks around it ("hola, no tengo internet", "gracias, y cuanto debo?").
    if (SOCIAL.has(intent) || intent === 'fuera_de_alcance') {
      const core = stripCourtesy(words);
      if (core.length > 0 && core.length < words.length && !INTRODUCTION.test(core.join(' '))) {
        const inner = this.model.predictWords(core);
        const sure = core.length >= 2 ? 0.6 : 0.8;
        if (!SOCIAL.has(inner.intent) && inner.intent !== 'fuera_de_alcance' && inner.confidence >= sure) {
          intent = inner.intent;
          confidence = inner.confidence;
          rule = 'request-over-courtesy';
        }
      }
    }

    // 2. "ya pagué pero sigo sin servicio": a service problem after "pero" is the real request.
    if (intent !== 'falla' && intent !== 'estado_reporte') {
      const cut = words.lastIndexOf('pero');
      if (cut >= 0 && words.length - cut - 1 >= 2) {
        const after = this.model.predictWords(words.slice(cut + 1));
        if (after.intent === 'falla' && after.confidence >= 0.6) {
          intent = 'falla';
          confidence = Math.max(after.confidence, confidence);
          rule = 'pero-falla';
        }
      }
    }

    const entities = this.extractor.extract(input, intent);

    // 3. Nothing recognisable at all (keyboard mash, foreign words): out of scope.
    if (first.unknownRatio >= 0.99 && rule === undefined && confidence < 0.5 && !hasEntities(entities)) {
      intent = 'fuera_de_alcance';
      confidence = Math.max(0.6, 1 - confidence);
      rule = 'gibberish';
    }

    return {
      text: input,
      intent,
      confidence: round(confidence),
      entities,
      debug: { model: first.intent, modelConfidence: round(first.confidence), rule, unknownRatio: first.unknownRatio },
    };
  }
}

function stripCourtesy(words: readonly string[]): string[] {
  let start = 0;
  let end = words.length;
  // Leading and trailing courtesy phrases of up to 5 words.
  for (let changed = true; changed && start < end; ) {
    changed = false;
    for (let n = Math.min(5, end - start); n >= 1; n--) {
      if (COURTESY.test(words.slice(start, start + n).join(' '))) {
        start += n;
        changed = true;
        break;
      }
    }
  }
  for (let changed = true; changed && start < end; ) {
    changed = false;
    for (let n = Math.min(5, end - start); n >= 1; n--) {
      if (COURTESY.test(words.slice(end - n, end).join(' '))) {
        end -= n;
        changed = true;
        break;
      }
    }
  }
  return words.slice(start, end);
}

function hasEntities(e: NluEntities): boolean {
  return Object.keys(e).length > 0;
}

function round(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;
}

/** The model trained on corpus/train.tsv; training is deterministic, so one per process is enough. */
let defaultModel: IntentClassifier | undefined;

/**
 * Builds the NLU synchronously. Without `examples` it trains on corpus/train.tsv (once per process; later
 * calls reuse that model). With `examples` it always trains a fresh model on them (eval, tests).
 */
export function createNluSync(options: NluOptions, examples?: readonly Example[]): Nlu & { classifyDetailed(text: string): ClassifyDetails } {
  const model = examples ? IntentClassifier.train(examples) : (defaultModel ??= IntentClassifier.train(loadCorpus(TRAIN_URL)));
  return new SpanishNlu(model, new EntityExtractor(options));
}

export async function createNlu(options: NluOptions): Promise<Nlu> {
  return createNluSync(options);
}

/** Convenience: the NLU options from a loaded IspConfig-like object. */
export function nluOptionsFromConfig(cfg: { zones: { name: string; aliases: string[] }[]; outsideCoverage: string[]; plans: { mbps: number }[] }): NluOptions {
  return { zones: cfg.zones, outsideCoverage: cfg.outsideCoverage, plansMbps: cfg.plans.map((p) => p.mbps) };
}

export type { Example, Prediction };
