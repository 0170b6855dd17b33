import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { supergroup, type MediaKind, type TgUser } from '../../emulators/telegram/index.ts';
import { buttonTitles, startTestbed, texts, type Testbed } from './testbed.ts';

/** Photos, voice notes, stickers, documents, locations, edits and groups. */
let tb: Testbed;
afterEach(async () => tb?.close());

const beto: TgUser = { id: 555, first_name: 'Beto', last_name: 'Ruiz' };
const STAFF_GROUP = supergroup(-1001234567890, 'Conecta — Soporte');

describe('telegram channel, beyond text', () => {
  it('photo, voice, sticker, document and video get a short answer with the menu', async () => {
    tb = await startTestbed();
    const user = tb.user(beto);
    const expected: Record<MediaKind, string> = { photo: 'image', voice: 'audio', sticker: 'sticker', document: 'document', video: 'video' };
    for (const [kind, media] of Object.entries(expected) as [MediaKind, string][]) {
      const [reply] = await user.sendMedia(kind);
      expect(tb.turns.at(-1)?.msg.media, kind).toBe(media);
      expect(reply?.message.text, kind).toMatch(/solo puedo leer mensajes de texto/);
      expect(buttonTitles(reply), kind).toContain('Contratar internet');
    }
  });

  it('a caption is read as the text of the message', async () => {
    tb = await startTestbed();
    const reply = await tb.user(beto).sendMedia('photo', '¿cuánto cuesta el plan de 50 megas?');
    expect(tb.turns.at(-1)?.msg).toMatchObject({ media: 'image', text: '¿cuánto cuesta el plan de 50 megas?' });
    expect(texts(reply)).toMatch(/\$450/);
  });

  it('a location answers the coverage question', async () => {
    tb = await startTestbed();
    const user = tb.user(beto);
    await user.say('/start');
    await user.press('Cobertura');
    const reply = await user.sendLocation(19.43, -99.13);
    expect(tb.turns.at(-1)?.msg.location).toEqual({ latitude: 19.43, longitude: -99.13 });
    expect(texts(reply)).toMatch(/ubicación/);
    expect(texts(reply)).toMatch(/colonia/);
  });

  it('an edited message gets a note and does not run a turn', async () => {
    tb = await startTestbed();
    const user = tb.user(beto);
    await user.say('/start');
    const turns = tb.turns.length;
    const sentBefore = tb.emu.botMessagesIn(beto.id).length;
    tb.emu.editText(beto, 1, '/menu');
    const note = await tb.emu.waitFor(() => tb.emu.botMessagesIn(beto.id)[sentBefore], 'the note about the edit');
    expect(note.message.text).toMatch(/editaste un mensaje/);
    expect(tb.turns).toHaveLength(turns);
  });

  it('groups: the bot leaves any group but the staff group, where it stays silent; no turn runs', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(l) });
    tb = await startTestbed({ logger, tweak: (c) => void (c.staff.telegramGroupId = String(STAFF_GROUP.id)) });
    const stranger = supergroup(-100555, 'Vecinos de la colonia');
    tb.emu.sendText(beto, '/start', stranger);
    await tb.emu.waitFor(() => tb.emu.callsOf('leaveChat').find((c) => Number(c.payload.chat_id) === stranger.id), 'leaving the stranger group');

    tb.emu.sendText(beto, '/start', STAFF_GROUP);
    await tb.emu.waitFor(() => lines.find((l) => l.includes('update in the staff group ignored')), 'the staff-group update handled');
    // Added to another group: leaves too (my_chat_member).
    const other = supergroup(-100777, 'Otro grupo');
    tb.emu.state.rememberChat(other);
    tb.emu.state.enqueue({
      my_chat_member: {
        chat: other,
        from: { id: beto.id, is_bot: false, first_name: beto.first_name },
        date: 1,
        old_chat_member: { status: 'left', user: tb.emu.state.bot },
        new_chat_member: { status: 'member', user: tb.emu.state.bot },
      },
    });
    await tb.emu.waitFor(() => tb.emu.callsOf('leaveChat').find((c) => Number(c.payload.chat_id) === other.id), 'leaving the other group');
    await tb.user(beto).say('/menu');
    expect(tb.emu.callsOf('leaveChat').map((c) => Number(c.payload.chat_id))).toEqual([stranger.id, other.id]);
    expect(tb.emu.botMessagesIn(STAFF_GROUP.id)).toHaveLength(0);
    expect(tb.turns.map((t) => t.msg.chatId)).toEqual([String(beto.id)]);
  });
});
