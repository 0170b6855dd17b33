import { afterEach, describe, expect, it } from 'vitest';
import { deriveWebhookSecret } from '../../../src/channels/telegram/webhook.ts';
import { TelegramEmulator, type TgUser } from '../../emulators/telegram/index.ts';
import { startTestbed, texts, type Testbed } from './testbed.ts';

/** Webhook mode: Telegram (the emulator) POSTs updates to the messaging server with the secret header. */
const SECRET = 'webhook-Secret_42';
const beto: TgUser = { id: 555, first_name: 'Beto', last_name: 'Ruiz' };

let tb: Testbed | undefined;
let emu: TelegramEmulator | undefined;
afterEach(async () => {
  await tb?.close();
  await emu?.close();
  tb = undefined;
  emu = undefined;
});

const webhookTestbed = (extra: Parameters<typeof startTestbed>[0] = {}): Promise<Testbed> =>
  startTestbed({ mode: 'webhook', env: { TELEGRAM_WEBHOOK_SECRET: SECRET }, ...extra });

function post(t: Testbed, body: unknown, secret?: string): Promise<Response> {
  return fetch(`${t.baseUrl}/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret !== undefined ? { 'X-Telegram-Bot-Api-Secret-Token': secret } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const startUpdate = (updateId: number) => ({
  update_id: updateId,
  message: { message_id: 1, date: 1, chat: { id: beto.id, type: 'private', first_name: beto.first_name }, from: { id: beto.id, is_bot: false, first_name: 'Beto' }, text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] },
});

describe('telegram channel, webhook mode', () => {
  it('sets the webhook with the secret at start and serves a conversation through it', async () => {
    tb = await webhookTestbed();
    const [setWebhook] = tb.emu.callsOf('setWebhook');
    expect(setWebhook?.payload).toMatchObject({ url: `${tb.baseUrl}/telegram/webhook`, secret_token: SECRET });
    expect(setWebhook?.payload.allowed_updates).toEqual(['message', 'edited_message', 'callback_query', 'my_chat_member']);
    expect(tb.emu.callsOf('getUpdates')).toHaveLength(0);

    const user = tb.user(beto);
    expect(texts(await user.say('/start'))).toMatch(/¡Hola Beto!/);
    expect(texts(await user.press('Planes y precios'))).toMatch(/\$450/);
    expect(tb.emu.state.deliveries.every((d) => d.status === 200)).toBe(true);
  });

  it('a wrong or missing secret gets 401 and runs nothing; a body that is not an update gets 400', async () => {
    tb = await webhookTestbed();
    tb.emu.openChat(beto);
    for (const secret of [undefined, '', 'wrong-secret', `${SECRET}x`, SECRET.slice(0, -1)]) {
      const res = await post(tb, startUpdate(9000), secret);
      expect(res.status, `secret ${String(secret)}`).toBe(401);
    }
    const bad = await post(tb, { hello: 'world' }, SECRET);
    expect(bad.status).toBe(400);
    const garbage = await post(tb, '{not json', SECRET);
    expect(garbage.status).toBe(400);
    expect(tb.turns).toHaveLength(0);
    expect(tb.emu.callsOf('sendMessage')).toHaveLength(0);
    expect(await tb.kv.get('telegram:update:9000')).toBeUndefined();

    // The same update with the right secret runs.
    expect((await post(tb, startUpdate(9000), SECRET)).status).toBe(200);
    await tb.emu.waitFor(() => tb?.emu.botMessagesIn(beto.id).length === 1 || undefined, 'the reply to the accepted update');
  });

  it('a repeated update_id produces one reply (webhook: dropped at the door; polling: same message id)', async () => {
    emu = await TelegramEmulator.start();
    tb = await webhookTestbed({ emulator: emu });
    const user = tb.user(beto);
    const update = tb.emu.sendText(beto, '/start');
    await tb.emu.waitFor(() => tb?.emu.botMessagesIn(beto.id).length === 1 || undefined, 'first reply');
    tb.emu.redeliver(update);
    await tb.emu.waitFor(() => tb?.emu.state.deliveries.filter((d) => d.updateId === update.update_id).length === 2 || undefined, 'redelivery');
    // A later message in the same chat is answered after anything the redelivery could have caused.
    await user.say('/menu');
    const greetings = tb.emu.botMessagesIn(beto.id).filter((m) => /¡Hola Beto!/.test(m.message.text ?? ''));
    expect(greetings).toHaveLength(1);
    expect(tb.turns.filter((t) => t.msg.messageId === tb?.turns[0]?.msg.messageId)).toHaveLength(1);
    await tb.close();

    // Polling: the update reaches the bot twice; the gateway sees the same message id and answers once.
    tb = await startTestbed({ emulator: emu });
    const again = tb.user({ id: 556, first_name: 'Eva' });
    const repeated = tb.emu.sendText({ id: 556, first_name: 'Eva' }, '/start');
    await tb.emu.waitFor(() => tb?.emu.botMessagesIn(556).length === 1 || undefined, 'first reply (polling)');
    tb.emu.redeliver(repeated);
    await tb.emu.waitFor(() => (tb?.turns.length === 2 ? tb.turns[1] : undefined), 'the repeated update reaching the gateway');
    expect(tb.turns[1]?.result.duplicate).toBe(true);
    expect(tb.turns[1]?.msg.messageId).toBe(tb.turns[0]?.msg.messageId);
    await again.say('/menu');
    expect(tb.emu.botMessagesIn(556).filter((m) => /¡Hola Eva!/.test(m.message.text ?? ''))).toHaveLength(1);
  });

  it('acknowledges before a slow turn finishes; after stop it answers 503', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    tb = await webhookTestbed({ beforeTurn: () => held });
    tb.emu.openChat(beto);
    const res = await post(tb, startUpdate(7000), SECRET);
    expect(res.status).toBe(200);
    expect(tb.emu.botMessagesIn(beto.id)).toHaveLength(0);
    release();
    await tb.emu.waitFor(() => tb?.emu.botMessagesIn(beto.id).length === 1 || undefined, 'the reply once the turn is released');
    await tb.channel.stop();
    expect((await post(tb, startUpdate(7001), SECRET)).status).toBe(503);
  });

  it('a webhook path with ":" (a token in the URL) is matched literally', async () => {
    tb = await webhookTestbed({ webhookPath: '/tg/123456:hook' });
    expect(texts(await tb.user(beto).say('/start'))).toMatch(/¡Hola Beto!/);
    const other = await fetch(`${tb.baseUrl}/tg/anything`, { method: 'POST', headers: { 'X-Telegram-Bot-Api-Secret-Token': SECRET } });
    expect(other.status).toBe(404);
  });

  it('without TELEGRAM_WEBHOOK_SECRET a secret is derived from the token, the same on every start', async () => {
    emu = await TelegramEmulator.start();
    const first = await startTestbed({ mode: 'webhook', emulator: emu });
    await first.close();
    tb = await startTestbed({ mode: 'webhook', emulator: emu });
    const secrets = emu.callsOf('setWebhook').map((c) => c.payload.secret_token);
    expect(secrets).toEqual([deriveWebhookSecret(emu.token), deriveWebhookSecret(emu.token)]);
    expect(String(secrets[0])).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(texts(await tb.user(beto).say('/start'))).toMatch(/¡Hola Beto!/);
    await tb.close();

    // Back to polling: the webhook is deleted and updates are fetched again.
    tb = await startTestbed({ emulator: emu });
    expect(emu.callsOf('deleteWebhook')).toHaveLength(1);
    expect(emu.state.webhook).toBeUndefined();
    expect(texts(await tb.user(beto).say('/menu'))).toMatch(/¿En qué te puedo ayudar\?/);
  });
});
