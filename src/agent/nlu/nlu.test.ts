import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loadConfig.ts';
import { HELDOUT_URL, loadCorpus, TRAIN_URL } from './corpus.ts';
import { evaluate } from './evaluate.ts';
import { createNlu, createNluSync, INTENTS, nluOptionsFromConfig, type Intent, type Nlu, type NluOptions } from './index.ts';
import { normalizeTokens } from './normalize.ts';

const CONFIG_PATH = new URL('../../../config/isp.yaml', import.meta.url).pathname;

let options: NluOptions;
let nlu: Nlu;

beforeAll(async () => {
  options = nluOptionsFromConfig(loadConfig(CONFIG_PATH));
  nlu = await createNlu(options);
});

describe('contract', () => {
  it('exports the fixed intent list', () => {
    expect(INTENTS).toEqual([
      'saludo', 'despedida', 'ayuda', 'registro', 'planes', 'cobertura', 'falla', 'estado_reporte', 'mi_servicio', 'pago',
      'cambio_plan', 'cancelacion', 'humano', 'estadisticas', 'buscar_cliente', 'finanzas', 'fuera_de_alcance',
    ]);
  });

  it('returns text, intent, confidence in [0,1] and entities', () => {
    for (const text of ['hola', 'no tengo internet', 'asdfgh', '', '   ', '👍', '12345', 'x'.repeat(2000)]) {
      const r = nlu.classify(text);
      expect(r.text).toBe(text);
      expect(INTENTS).toContain(r.intent);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
      expect(typeof r.entities).toBe('object');
    }
  });
});

describe('the main request decides', () => {
  it.each<[string, Intent]>([
    ['hola, no tengo internet', 'falla'],
    ['ya pagué pero sigo sin servicio', 'falla'],
    ['quiero cancelar mi reporte', 'estado_reporte'],
    ['gracias, y cuánto debo?', 'pago'],
    ['buenas, quiero contratar', 'registro'],
    ['buenas tardes, quiero dar de baja mi servicio', 'cancelacion'],
    ['hola buenos dias cuanto cuesta el de 50', 'planes'],
    ['ok gracias, cuando viene el tecnico?', 'estado_reporte'],
    ['hola que tal, me pasas la clabe porfa', 'pago'],
    ['quiero cancelar el servicio', 'cancelacion'],
  ])('%s → %s', (text, intent) => {
    expect(nlu.classify(text).intent).toBe(intent);
  });
});

describe('one example per intent (from the spec)', () => {
  it.each<[string, Intent]>([
    ['hola', 'saludo'],
    ['buenas tardes', 'saludo'],
    ['qué onda', 'saludo'],
    ['gracias', 'despedida'],
    ['muy amable', 'despedida'],
    ['ok gracias', 'despedida'],
    ['menú', 'ayuda'],
    ['qué puedes hacer', 'ayuda'],
    ['quiero contratar', 'registro'],
    ['cuánto cuesta la instalación y quiero que me pongan internet', 'registro'],
    ['qué paquetes tienen', 'planes'],
    ['llegan a la colonia las flores?', 'cobertura'],
    ['hay cobertura en san pedro', 'cobertura'],
    ['no tengo internet', 'falla'],
    ['el modem tiene una luz roja', 'falla'],
    ['se va a cada rato', 'falla'],
    ['esta bien lento', 'falla'],
    ['cuándo viene el técnico', 'estado_reporte'],
    ['cómo va mi reporte F-000123', 'estado_reporte'],
    ['qué plan tengo', 'mi_servicio'],
    ['estoy activo?', 'mi_servicio'],
    ['cuánto debo', 'pago'],
    ['a qué cuenta deposito', 'pago'],
    ['cuándo vence mi pago', 'pago'],
    ['quiero más velocidad', 'cambio_plan'],
    ['bajarme al plan de 20', 'cambio_plan'],
    ['quiero dar de baja', 'cancelacion'],
    ['me voy a cambiar a telmex', 'cancelacion'],
    ['quiero hablar con alguien', 'humano'],
    ['pásame con un asesor', 'humano'],
    ['eres un bot inútil', 'humano'],
    ['cuántos clientes hay', 'estadisticas'],
    ['reportes abiertos por zona', 'estadisticas'],
    ['busca a juan perez', 'buscar_cliente'],
    ['buscar cliente 5512345678', 'buscar_cliente'],
    ['cuánto facturamos', 'finanzas'],
    ['morosos', 'finanzas'],
    ['cuál es la capital de francia', 'fuera_de_alcance'],
    ['me cuentas un chiste', 'fuera_de_alcance'],
  ])('%s → %s', (text, intent) => {
    expect(nlu.classify(text).intent).toBe(intent);
  });
});

describe('WhatsApp spelling', () => {
  it.each<[string, Intent]>([
    ['no tengo intenet', 'falla'],
    ['el ternet no jala', 'falla'],
    ['nesesito q vengan a revisar el modem xq no agarra', 'falla'],
    ['esta de la fregada el wifi', 'falla'],
    ['no internet', 'falla'],
    ['help', 'ayuda'],
    ['kiero contratar xfa', 'registro'],
    ['kuanto cuesta el d 100', 'planes'],
    ['yegan a las palmas?', 'cobertura'],
    ['holaaaa 👋👋', 'saludo'],
    ['grax 🙏', 'despedida'],
  ])('%s → %s', (text, intent) => {
    expect(nlu.classify(text).intent).toBe(intent);
  });
});

describe('out of scope', () => {
  it.each(['asdfgh', 'qwpoeiruty', 'zxcvbnm', 'jkljkl', '', '...', 'cual es la capital de francia', 'receta de pozole'])('%s is out of scope or unsure', (text) => {
    const r = nlu.classify(text);
    expect(r.intent === 'fuera_de_alcance' || r.confidence < 0.5).toBe(true);
  });

  it('is confident on clear requests', () => {
    for (const text of ['no tengo internet', 'quiero contratar internet', 'cuanto debo', 'quiero hablar con un asesor']) {
      expect(nlu.classify(text).confidence).toBeGreaterThanOrEqual(0.7);
    }
  });
});

describe('entities through classify', () => {
  it('falla with zone and duration', () => {
    const r = nlu.classify('hola no tengo internet desde ayer, vivo en las palmas');
    expect(r.intent).toBe('falla');
    expect(r.entities.zona).toBe('Norte');
    expect(r.entities.since).toEqual({ text: 'desde ayer', hoursAgo: 24 });
  });

  it('coverage for a place outside the zones', () => {
    const r = nlu.classify('hay cobertura en san pedro?');
    expect(r.intent).toBe('cobertura');
    expect(r.entities.area).toBe('san pedro');
    expect(r.entities.zona).toBeUndefined();
  });

  it('plan and folio', () => {
    expect(nlu.classify('quiero cambiarme al de cien megas').entities.plan_mbps).toBe(100);
    expect(nlu.classify('como va mi reporte f000123').entities.folio).toBe('F-000123');
  });
});

describe('determinism', () => {
  it('same input, same output — across calls and across instances', () => {
    const other = createNluSync(options, loadCorpus(TRAIN_URL)); // a freshly trained model
    const texts = loadCorpus(HELDOUT_URL)
      .slice(0, 200)
      .map((e) => e.text);
    for (const t of texts) {
      const a = nlu.classify(t);
      expect(nlu.classify(t)).toEqual(a);
      expect(other.classify(t)).toEqual(a);
    }
  });
});

describe('corpus', () => {
  const train = loadCorpus(TRAIN_URL);
  const heldout = loadCorpus(HELDOUT_URL);

  it('has enough examples per intent', () => {
    expect(heldout.length).toBeGreaterThanOrEqual(500);
    for (const intent of INTENTS) {
      expect(train.filter((e) => e.intent === intent).length, `train ${intent}`).toBeGreaterThanOrEqual(80);
      expect(heldout.filter((e) => e.intent === intent).length, `heldout ${intent}`).toBeGreaterThanOrEqual(25);
    }
  });

  it('train and held-out share no normalised line', () => {
    const key = (t: string) => normalizeTokens(t).join(' ');
    const trainKeys = new Set(train.map((e) => key(e.text)));
    const shared = heldout.filter((e) => trainKeys.has(key(e.text))).map((e) => e.text);
    expect(shared).toEqual([]);
  });
});

describe('held-out accuracy (regression guard)', () => {
  it('is at least 95 %', () => {
    const report = evaluate(loadCorpus(TRAIN_URL), loadCorpus(HELDOUT_URL), options);
    expect(report.total).toBeGreaterThanOrEqual(500);
    expect(report.accuracy, report.errors.map((e) => `${e.expected}->${e.predicted} ${e.text}`).join('\n')).toBeGreaterThanOrEqual(0.95);
  });
});
