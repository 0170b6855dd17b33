import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loadConfig.ts';
import { EntityExtractor } from './entities.ts';
import { nluOptionsFromConfig } from './index.ts';
import type { NluOptions } from './types.ts';

const CONFIG_PATH = new URL('../../../config/isp.yaml', import.meta.url).pathname;

let options: NluOptions;
let ex: EntityExtractor;

beforeAll(() => {
  options = nluOptionsFromConfig(loadConfig(CONFIG_PATH));
  ex = new EntityExtractor(options);
});

describe('zona', () => {
  it.each([
    ['llegan a la colonia las flores?', 'Poniente'],
    ['vivo en LAS PALMAS', 'Norte'],
    ['hay servicio en Bellavista?', 'Oriente'],
    ['tienen cobertura en la estación', 'Oriente'],
    ['soy de la zona sur', 'Sur'],
    ['estoy en el centro', 'Centro'],
    ['vivo en villa del sur', 'Sur'],
    ['en lomas del norte no hay internet', 'Norte'],
    ['llegan a bella vista?', 'Oriente'],
    ['vivo en las palmaz', 'Norte'],
    ['hay cobertura en Real del Monte', 'Poniente'],
    ['la col. san rafael tiene servicio', 'Norte'],
  ])('%s → %s', (text, zona) => {
    expect(ex.extract(text).zona).toBe(zona);
  });

  it('does not invent a zone', () => {
    expect(ex.extract('no tengo internet').zona).toBeUndefined();
    expect(ex.extract('quiero el plan de 50').zona).toBeUndefined();
  });
});

describe('area', () => {
  it.each([
    ['hay cobertura en san pedro', 'san pedro'],
    ['llegan a San Pedro?', 'san pedro'],
    ['vivo en el refugio', 'el refugio'],
    ['tienen servicio en la joya', 'la joya'],
    ['dan servicio en rancho viejo?', 'rancho viejo'],
    ['ustedes cubren Tres Marías?', 'tres marias'],
  ])('outside coverage: %s → %s', (text, area) => {
    const e = ex.extract(text, 'cobertura');
    expect(e.area).toBe(area);
    expect(e.zona).toBeUndefined();
  });

  it.each([
    ['vivo en la col. benito juarez, llegan?', 'benito juarez'],
    ['llegan a la colonia Emiliano Zapata?', 'emiliano zapata'],
    ['tienen servicio en el fracc. los sauces', 'los sauces'],
    ['hay cobertura en la colonia 20 de noviembre?', '20 de noviembre'],
  ])('named colonia: %s → %s', (text, area) => {
    expect(ex.extract(text, 'cobertura').area).toBe(area);
  });

  it('a colonia that is a zone alias yields the zone, not an area', () => {
    const e = ex.extract('vivo en la colonia los pinos', 'cobertura');
    expect(e.zona).toBe('Sur');
    expect(e.area).toBeUndefined();
  });

  it('ignores vague places', () => {
    expect(ex.extract('hay cobertura en mi casa?', 'cobertura').area).toBeUndefined();
    expect(ex.extract('llegan a mi colonia?', 'cobertura').area).toBeUndefined();
  });
});

describe('plan_mbps', () => {
  it.each([
    ['cuanto cuesta el de 50', 50],
    ['quiero 50 megas', 50],
    ['el de 20mb', 20],
    ['plan de cincuenta', 50],
    ['me interesa el de cien megas', 100],
    ['quiero contratar el plan de 100', 100],
    ['bajarme al plan de 20', 20],
    ['quiero pasar de 20 a 50', 50],
    ['de 50 a 100 megas cuanto seria', 100],
    ['tengo 100 mbps', 100],
  ])('%s → %d', (text, mbps) => {
    expect(ex.extract(text).plan_mbps).toBe(mbps);
  });

  it.each(['hace 20 horas que no hay internet', 'deposite $100', 'pague 100 pesos', 'tienen plan de 200 megas?', 'mi numero es 5512345020', 'folio F-000050', 'llevo 20 dias sin servicio'])(
    'no plan in %s',
    (text) => {
      expect(ex.extract(text).plan_mbps).toBeUndefined();
    },
  );
});

describe('phone', () => {
  it.each([
    ['mi numero es 5512345678', '5512345678'],
    ['buscar cliente 55 1234 5678', '55 1234 5678'],
    ['llamenme al 81-1234-5678 porfa', '81-1234-5678'],
    ['+52 55 1234 5678', '+52 55 1234 5678'],
  ])('%s → %s', (text, phone) => {
    expect(ex.extract(text).phone).toBe(phone);
  });

  it('ignores short numbers and folios', () => {
    expect(ex.extract('folio 123456').phone).toBeUndefined();
    expect(ex.extract('quiero el de 50').phone).toBeUndefined();
  });
});

describe('folio', () => {
  it.each([
    ['como va mi reporte F-000123', 'F-000123'],
    ['mi folio es f000456', 'F-000456'],
    ['folio 123', 'F-000123'],
    ['reporte 000123', 'F-000123'],
    ['reporte #4321', 'F-004321'],
    ['el ticket 12345 sigue abierto', 'F-012345'],
    ['mi numero de reporte es 789', 'F-000789'],
    ['revisan mi folio f-001234 porfa', 'F-001234'],
    ['F 000555', 'F-000555'],
  ])('%s → %s', (text, folio) => {
    expect(ex.extract(text).folio).toBe(folio);
  });

  it('no folio without a marker', () => {
    expect(ex.extract('reporte de hace 3 dias').folio).toBeUndefined();
    expect(ex.extract('ya levante un reporte').folio).toBeUndefined();
    expect(ex.extract('mi numero es 5512345678').folio).toBeUndefined();
  });
});

describe('since', () => {
  it.each([
    ['no tengo internet desde ayer', 'desde ayer', 24],
    ['sin servicio desde hace 3 horas', 'desde hace 3 horas', 3],
    ['se fue hace 3 hrs', 'hace 3 hrs', 3],
    ['hace 2 dias que esta lento', 'hace 2 dias', 48],
    ['hace 2 días que está lento', 'hace 2 días', 48],
    ['desde hace una semana esta fallando', 'desde hace una semana', 168],
    ['hace una hora se cayo', 'hace una hora', 1],
    ['hace media hora', 'hace media hora', 0.5],
    ['llevo 2 dias sin internet', 'llevo 2 dias', 48],
    ['ya van tres dias sin servicio', 'ya van tres dias', 72],
    ['desde antier no sirve', 'desde antier', 48],
    ['desde la semana pasada', 'desde la semana pasada', 168],
  ])('%s → %s (%d h)', (text, span, hours) => {
    expect(ex.extract(text).since).toEqual({ text: span, hoursAgo: hours });
  });

  it('keeps the original spelling in text', () => {
    expect(ex.extract('Desde la Mañana no jala').since?.text).toBe('Desde la Mañana');
  });

  it.each([
    ['desde la mañana no tengo internet'],
    ['desde el lunes esta fallando'],
    ['desde anoche no hay señal'],
    ['desde ayer en la tarde'],
    ['desde el fin de semana'],
  ])('estimates without a clock: %s', (text) => {
    const since = ex.extract(text).since;
    expect(since).toBeDefined();
    expect(since!.hoursAgo).toBeGreaterThan(0);
  });

  it('uses the clock when one is given', () => {
    // Wednesday 2024-05-15 18:00 in Mexico City (UTC-6) = 2024-05-16T00:00Z
    const clocked = new EntityExtractor({ ...options, clock: { now: () => Date.parse('2024-05-16T00:00:00Z'), timeZone: 'America/Mexico_City' } });
    expect(clocked.extract('desde el lunes').since?.hoursAgo).toBe(2 * 24 + 9);
    expect(clocked.extract('desde la mañana').since?.hoursAgo).toBe(10);
    expect(clocked.extract('desde las 3').since?.hoursAgo).toBe(3);
  });

  it('nothing when there is no duration', () => {
    expect(ex.extract('no tengo internet').since).toBeUndefined();
    expect(ex.extract('cuanto cuesta el de 50').since).toBeUndefined();
  });
});
