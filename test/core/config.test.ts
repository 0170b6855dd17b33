import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { ConfigError, parseConfig } from '../../src/config/loadConfig.ts';

const shipped = readFileSync(fileURLToPath(new URL('../../config/isp.yaml', import.meta.url)), 'utf8');

describe('ISP config', () => {
  it('accepts the shipped example: three plans, five zones', () => {
    const config = parseConfig(shipped);
    expect(config.plans.map((p) => [p.mbps, p.price])).toEqual([
      [20, 350],
      [50, 450],
      [100, 600],
    ]);
    expect(config.zones.map((z) => z.name)).toEqual(['Centro', 'Norte', 'Sur', 'Oriente', 'Poniente']);
    expect(config.businessHours).toMatchObject({ open: '09:00', close: '19:00', days: [1, 2, 3, 4, 5, 6], timezone: 'America/Mexico_City' });
  });

  it('names the path of every error', () => {
    const broken = shipped.replace('{ name: Plus, mbps: 50, price: 450 }', '{ name: Plus, mbps: 50, price: "caro" }').replace('open: "09:00"', 'open: "9am"');
    let message = '';
    try {
      parseConfig(broken, 'isp.yaml');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/plans\[1\]\.price: .*number/);
    expect(message).toMatch(/businessHours\.open: expected HH:MM/);
  });

  it('rejects duplicate plans and unknown retention conditions', () => {
    const dup = shipped.replace('{ name: Ultra, mbps: 100, price: 600 }', '{ name: Ultra, mbps: 50, price: 600 }');
    expect(() => parseConfig(dup)).toThrow(/plans\[2\]\.mbps: duplicate plan of 50 Mbps/);
    const unknown = shipped.replace('when: { reasons: [fallas] }', 'when: { reasons: [fallas], colour: red }');
    expect(() => parseConfig(unknown)).toThrow(/retention\[2\]\.when/);
  });

  it('reports YAML syntax errors clearly', () => {
    expect(() => parseConfig('plans: [', 'x.yaml')).toThrow(/x\.yaml: not valid YAML/);
  });
});

describe('environment', () => {
  it('needs nothing and has defaults', () => {
    const env = parseEnv({});
    expect(env.DATA_DIR).toBe('./data');
    expect(env.MESSAGING_PORT).toBe(5001);
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.HEAP_GROWTH_PERCENT).toBe(50);
  });

  it('treats empty values as unset', () => {
    expect(parseEnv({ REDIS_URL: '', LOG_LEVEL: '', TELEGRAM_BOT_TOKEN: ' ' }).LOG_LEVEL).toBe('info');
  });

  it('names each bad variable in one message and never echoes values', () => {
    let message = '';
    try {
      parseEnv({ TELEGRAM_BOT_TOKEN: 'not-a-token-secret', MESSAGING_PORT: 'abc', REDIS_URL: 'localhost:6379', LOG_LEVEL: 'loud', HEAP_GROWTH_PERCENT: '5' });
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of ['TELEGRAM_BOT_TOKEN', 'MESSAGING_PORT', 'REDIS_URL', 'LOG_LEVEL', 'HEAP_GROWTH_PERCENT']) expect(message).toContain(name);
    expect(message).not.toContain('not-a-token-secret');
  });
});
