import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, lazyChild } from '../../src/logger.ts';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger(level, destination), lines };
}
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('logger', () => {
  it('redacts tokens and masks phone numbers, also in a child’s bindings', async () => {
    const { logger, lines } = capture('info');
    logger.child({ phone: '5215512345678' }).info({ token: 'EAAsecret', nested: { waId: '5215512345678' } }, 'hello');
    await flush();
    expect(lines[0]).toMatchObject({ phone: '*********5678', token: '[redacted]', nested: { waId: '*********5678' }, msg: 'hello' });
    expect(JSON.stringify(lines)).not.toContain('EAAsecret');
  });

  describe('lazyChild', () => {
    it('writes like a child: its bindings redacted, levels honoured', async () => {
      const { logger, lines } = capture('info');
      const log = lazyChild(logger, { turnKey: 'whatsapp:*********5678', from: '5215512345678' });
      log.debug('not written');
      log.info({ n: 1 }, 'first');
      log.warn('second');
      await flush();
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatchObject({ turnKey: 'whatsapp:*********5678', from: '*********5678', n: 1, msg: 'first', level: 30 });
      expect(lines[1]).toMatchObject({ turnKey: 'whatsapp:*********5678', msg: 'second', level: 40 });
    });

    it('makes no child while nothing is logged at an enabled level', () => {
      const { logger } = capture('warn');
      let made = 0;
      const counting = new Proxy(logger, { get: (target, prop) => (prop === 'child' ? (...args: Parameters<typeof logger.child>) => (made++, target.child(...args)) : Reflect.get(target, prop)) });
      const log = lazyChild(counting, { messageId: 'wamid.1' });
      log.info('skipped');
      log.debug('skipped');
      expect(made).toBe(0);
      log.error({ err: new Error('boom') }, 'written');
      log.warn('also written');
      expect(made).toBe(1);
    });

    it('serialises errors and supports grandchildren and level checks', async () => {
      const { logger, lines } = capture('info');
      const log = lazyChild(logger, { messageId: 'wamid.2' });
      expect(log.isLevelEnabled('debug')).toBe(false);
      expect(log.level).toBe('info');
      log.child({ flow: 'alta' }).error({ err: new Error('boom') }, 'failed');
      await flush();
      expect(lines[0]).toMatchObject({ messageId: 'wamid.2', flow: 'alta', err: { message: 'boom', type: 'Error' }, msg: 'failed' });
    });
  });
});
