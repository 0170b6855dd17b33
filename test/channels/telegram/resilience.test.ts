import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { splitText } from '../../../src/channels/telegram/telegramText.ts';
import { TelegramEmulator, type TgUser } from '../../emulators/telegram/index.ts';
import { buttonTitles, startTestbed, texts, type Testbed } from './testbed.ts';

/** Rate limits, retries, failures that must not stop the bot, and Telegram's size limits. */
let tb: Testbed;
afterEach(async () => tb?.close());

const beto: TgUser = { id: 555, first_name: 'Beto', last_name: 'Ruiz' };
const STAFF: TgUser = { id: 9001, first_name: 'Sofía' };

/** A logger whose JSON lines the test can read (and check for the token). */
function capturingLogger(): { logger: pino.Logger; lines: Record<string, unknown>[]; raw: string[] } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  return { logger, raw, get lines() { return raw.map((l) => JSON.parse(l) as Record<string, unknown>); } };
}

describe('telegram channel, limits and failures', () => {
  it('a 429 with retry_after on sendMessage: the reply still arrives, once', async () => {
    tb = await startTestbed();
    const user = tb.user(beto);
    tb.emu.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    const [reply] = await user.say('/start');
    expect(reply?.message.text).toMatch(/¡Hola Beto!/);
    await user.say('/menu');
    expect(tb.emu.botMessagesIn(beto.id).filter((m) => /¡Hola Beto!/.test(m.message.text ?? ''))).toHaveLength(1);
    expect(tb.emu.callsOf('sendMessage').map((c) => c.status)).toEqual([429, 200, 200]);
  });

  it('a 5xx on sendMessage is retried after a backoff (no token in any log line)', async () => {
    const log = capturingLogger();
    tb = await startTestbed({ logger: log.logger, tuning: {} });
    tb.emu.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' });
    expect(texts(await tb.user(beto).say('/start'))).toMatch(/¡Hola Beto!/);
    expect(tb.emu.callsOf('sendMessage').map((c) => c.status)).toEqual([502, 200]);
    expect(log.raw.join('')).not.toContain(tb.emu.token);
  });

  it('setMyCommands failing at start is logged and does not stop the bot', async () => {
    const log = capturingLogger();
    const emu = await TelegramEmulator.start();
    emu.failNext('setMyCommands', { error_code: 400, description: 'Bad Request: BOT_COMMAND_INVALID' });
    tb = await startTestbed({ emulator: emu, logger: log.logger });
    expect(texts(await tb.user(beto).say('/start'))).toMatch(/¡Hola Beto!/);
    await emu.waitFor(() => log.lines.find((l) => l.msg === 'telegram setMyCommands failed; the commands work without the menu'), 'the warning');
    expect(emu.commands()).toBeUndefined();
    expect(log.raw.join('')).not.toContain(emu.token);
    await tb.close();
    await emu.close();
  });

  it('a quick-reply id over 64 bytes travels as a short hashed callback_data and comes back intact', async () => {
    const longZone = 'Residencial Bosques de las Lomas Tercera Sección Ampliación Poniente';
    tb = await startTestbed({
      tweak: (c) => {
        const first = c.zones[0];
        if (first) first.name = longZone;
      },
    });
    const user = tb.user(beto);
    await user.say('quiero contratar internet');
    await user.press('Sí');
    const zoneQuestion = user.last().at(-1);
    const button = zoneQuestion?.message.reply_markup?.inline_keyboard.flat().find((b) => b.text === longZone.slice(0, 20));
    const data = button && 'callback_data' in button ? button.callback_data : '';
    expect(Buffer.byteLength(`zona:${longZone}`)).toBeGreaterThan(64);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(data.startsWith('~h~')).toBe(true);
    await user.press(longZone.slice(0, 20));
    expect(tb.turns.at(-1)?.msg.action).toBe(`zona:${longZone}`);
    expect(buttonTitles(user.last().at(-1))).toEqual(expect.arrayContaining(['20 Mbps $350', '50 Mbps $450', '100 Mbps $600']));
  });

  it('staff alerts: a long alert is split cleanly; one chat gets at most about one message per second; failures are logged', async () => {
    const log = capturingLogger();
    tb = await startTestbed({
      logger: log.logger,
      tuning: { perChatPerSecond: 1 },
      tweak: (c) => {
        c.staff.telegramIds = [String(STAFF.id), '424242'];
      },
    });
    tb.emu.openChat(STAFF);
    const paragraph = (n: number): string => `Párrafo ${n}: ${'la zona Norte reporta intermitencia en el nodo 3 '.repeat(12).trim()}.`;
    const text = Array.from({ length: 14 }, (_, i) => paragraph(i + 1)).join('\n\n');
    expect(text.length).toBeGreaterThan(8192);
    await tb.channel.notifier?.notifyStaff({ kind: 'falla_masiva', text, ref: 'F-000001', at: new Date().toISOString() });
    const sent = await tb.emu.waitFor(() => {
      const m = tb.emu.botMessagesIn(STAFF.id);
      return m.length >= 3 ? m : undefined;
    }, 'three pieces of the alert');
    expect(sent).toHaveLength(3);
    for (const m of sent) {
      expect((m.message.text ?? '').length).toBeLessThanOrEqual(4096);
      expect(m.message.text).toMatch(/^Párrafo \d+:/);
      expect(m.message.text).toMatch(/\.$/);
    }
    expect(sent.map((m) => m.message.text)).toEqual(splitText(text));
    expect(sent.map((m) => m.message.text).join('\n\n')).toBe(text);
    // Throttled per chat: three sends start ≥ 2 × 1000 ms apart. Checked as a lower bound with a wide
    // margin for the time between a send starting and the emulator receiving it.
    expect((sent[2]?.at ?? 0) - (sent[0]?.at ?? 0)).toBeGreaterThanOrEqual(1200);
    // The unknown staff chat fails ("chat not found"): logged, nothing thrown.
    await tb.emu.waitFor(() => log.lines.find((l) => l.msg === 'telegram chat unreachable (blocked or gone); message dropped' && l.chatId === '424242'), 'the failure logged');
  });
});
