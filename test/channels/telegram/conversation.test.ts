import { afterEach, describe, expect, it } from 'vitest';
import type { IspConfig } from '../../../src/config/schema.ts';
import { supergroup, type TgUser } from '../../emulators/telegram/index.ts';
import { customer } from '../../support/harness.ts';
import { buttonTitles, startTestbed, texts, type Testbed } from './testbed.ts';

/** End to end over long polling: the real grammY bot and runner against the Bot API emulator. */
let tb: Testbed;
afterEach(async () => tb?.close());

const STAFF: TgUser = { id: 9001, first_name: 'Sofía', last_name: 'Soporte' };
const STAFF_GROUP = supergroup(-1001234567890, 'Conecta — Soporte');
const withStaff = (c: IspConfig): void => {
  c.staff.telegramIds = [String(STAFF.id)];
  c.staff.telegramGroupId = String(STAFF_GROUP.id);
};

/** Staff chats must exist for the bot to write to them (a user who never opened the bot gets "chat not found"). */
function openStaffChats(t: Testbed): void {
  t.emu.openChat(STAFF);
  t.emu.state.rememberChat(STAFF_GROUP);
}

const staffMessages = (t: Testbed, chatId: number): string[] => t.emu.botMessagesIn(chatId).map((m) => m.message.text ?? '');

describe('telegram channel, long polling', () => {
  it('/start greets by profile name and shows the menu as an inline keyboard; commands are registered', async () => {
    tb = await startTestbed();
    const beto = tb.user({ id: 555, first_name: 'Beto', last_name: 'Ruiz' });
    const [greeting] = await beto.say('/start');
    expect(greeting?.message.text).toMatch(/^¡Hola Beto! 👋/);
    expect(buttonTitles(greeting)).toEqual(expect.arrayContaining(['Contratar internet', 'Planes y precios', 'Cobertura', 'Hablar con persona']));
    expect(greeting?.message.reply_markup?.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data : ''))).toEqual(
      expect.arrayContaining(['intent:registro', 'intent:planes', 'intent:cobertura', 'intent:humano']),
    );
    await tb.emu.waitFor(() => tb.emu.commands(), 'setMyCommands');
    expect(tb.emu.commands()?.map((c) => c.command)).toEqual(['start', 'menu', 'ayuda', 'estado']);
    // The first poll found no webhook to delete.
    expect(tb.emu.callsOf('deleteWebhook')).toHaveLength(0);

    const menu = await beto.say('/menu');
    expect(buttonTitles(menu.at(-1))).toContain('Contratar internet');
    const help = await beto.say('/ayuda');
    expect(buttonTitles(help.at(-1))).toContain('Cobertura');
  });

  it('a full registration by buttons, the phone by "share my number"; the prospect alert reaches the staff chats', async () => {
    tb = await startTestbed({ tweak: withStaff });
    openStaffChats(tb);
    const beto = tb.user({ id: 555, first_name: 'Beto', last_name: 'Ruiz' });
    await beto.say('/start');
    await beto.press('Contratar internet');
    expect(beto.lastText()).toMatch(/¿Registro a nombre de Beto Ruiz\?/);
    await beto.press('Sí');
    expect(buttonTitles(beto.last().at(-1))).toEqual(expect.arrayContaining(['Centro', 'Norte', 'Sur', 'Oriente', 'Poniente', 'Otra zona']));
    await beto.press('Norte');
    await beto.press('50 Mbps $450');

    // The phone question: a reply keyboard with the request_contact button.
    const [askPhone] = beto.last();
    expect(askPhone?.markup).toMatchObject({ one_time_keyboard: true, resize_keyboard: true });
    expect((askPhone?.markup as { keyboard: unknown[] }).keyboard[0]).toEqual([{ text: '📱 Compartir mi número', request_contact: true }]);
    const summary = await beto.shareContact('525587654321');
    expect(texts(summary)).toMatch(/Beto Ruiz[\s\S]*Norte[\s\S]*50 Mbps[\s\S]*\+52 55 8765 4321/);
    const done = await beto.press('Confirmar');
    expect(texts(done)).toMatch(/Registro exitoso[\s\S]*P-000001/);

    const [row] = await tb.app.deps.store.listProspects();
    expect(row).toMatchObject({ id: 'P-000001', name: 'Beto Ruiz', zone: 'Norte', planMbps: 50, phone: '525587654321', channel: 'telegram' });
    for (const chat of [STAFF.id, STAFF_GROUP.id]) {
      const alert = await tb.emu.waitFor(() => staffMessages(tb, chat).find((t) => t.includes('P-000001')), `prospect alert in chat ${chat}`);
      expect(alert).toMatch(/Beto Ruiz/);
    }

    // Every button press was answered, and its keyboard removed so it cannot be pressed twice.
    const presses = tb.emu.state.callbackQueries;
    expect(presses.size).toBe(5);
    await tb.emu.waitFor(() => [...presses.values()].every((q) => q.answered), 'every callback query answered');
    await tb.emu.waitFor(() => tb.emu.callsOf('editMessageReplyMarkup').filter((c) => c.status === 200).length === 5, 'five keyboards removed');
  });

  it('a falla ticket by buttons from a customer known by Telegram id; the alta alert reaches the staff group', async () => {
    tb = await startTestbed({ tweak: withStaff, customers: [customer({ id: 'C-0010', name: 'Ana López', phone: '5512345678', zone: 'Sur', telegramId: '777' })] });
    openStaffChats(tb);
    const ana = tb.user({ id: 777, first_name: 'Ana' });
    await ana.say('/start');
    expect(buttonTitles(ana.last().at(-1))).toContain('Reportar falla');
    await ana.press('Reportar falla');
    expect(buttonTitles(ana.last().at(-1))).toEqual(expect.arrayContaining(['Sin internet', 'Lento', 'Intermitente', 'Otro']));
    await ana.press('Sin internet');
    await ana.press(buttonTitles(ana.last().at(-1))[0] ?? '');
    if (buttonTitles(ana.last().at(-1)).includes('Sí')) await ana.press('Sí');
    expect(ana.lastText()).toMatch(/folio F-\d{6}/);
    expect(ana.lastText()).toMatch(/Prioridad: alta/);
    // *folio* in the catalogue is sent as a bold entity, without asterisks.
    const ticket = ana.last().find((m) => /folio/.test(m.message.text ?? ''));
    expect(ticket?.message.entities?.some((e) => e.type === 'bold')).toBe(true);

    const [row] = await tb.app.deps.store.listIncidents({ type: 'falla' });
    expect(row).toMatchObject({ customerId: 'C-0010', priority: 'alta', channel: 'telegram' });
    const alert = await tb.emu.waitFor(() => staffMessages(tb, STAFF_GROUP.id).find((t) => t.includes(row?.folio ?? '?')), 'alta alert in the staff group');
    expect(alert).toBeTruthy();

    const status = await ana.say('/estado');
    expect(texts(status)).toContain(row?.folio ?? '?');
  });

  it('a staff member (staff.telegramIds) gets the staff menu and its flows', async () => {
    tb = await startTestbed({ tweak: withStaff, customers: [customer({ id: 'C-0010', name: 'Ana López', phone: '5512345678', zone: 'Sur' })] });
    const sofia = tb.user(STAFF);
    const [menu] = await sofia.say('/start');
    expect(buttonTitles(menu)).toEqual(expect.arrayContaining(['Estadísticas', 'Buscar cliente', 'Finanzas']));
    const stats = await sofia.press('Estadísticas');
    expect(tb.turns.at(-1)?.result.flow).toBe('estadisticas');
    expect(texts(stats).length).toBeGreaterThan(20);
  });

  it('typing a reply-keyboard title counts as pressing it; the keyboard is removed by the next plain message', async () => {
    tb = await startTestbed();
    const eva = tb.user({ id: 556, first_name: 'Eva' });
    const [ask] = await eva.say('mi servicio');
    const keyboard = (ask?.markup as { keyboard: { text: string; request_contact?: boolean }[][] }).keyboard;
    expect(keyboard[0]).toEqual([{ text: '📱 Compartir mi número', request_contact: true }]);
    expect(keyboard.flat().map((b) => b.text)).toContain('Contratar internet');
    const menu = await eva.say('Contratar internet');
    expect(tb.turns.at(-1)?.msg.action).toBe('intent:registro');
    expect(texts(menu)).toMatch(/contratar/i);
    expect(menu[0]?.markup).toEqual({ remove_keyboard: true });
    expect(await tb.kv.get('telegram:keyboard:556')).toBeUndefined();
  });
});
