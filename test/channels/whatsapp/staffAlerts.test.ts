import { afterEach, describe, expect, it } from 'vitest';
import type { StaffAlert } from '../../../src/notify/notifier.ts';
import { customer } from '../../support/harness.ts';
import { delivery, messagesValue, msg, status, statusesValue, type Sender } from './fixtures/metaPayloads.ts';
import { captureLogs, startWhatsAppStack, type CapturedLogs, type WhatsAppStack } from './whatsAppStack.ts';

/** Staff alerts on WhatsApp and the 24-hour window: free-form inside it, the approved template outside it. */
let stack: WhatsAppStack;
let logs: CapturedLogs;
afterEach(async () => stack?.close());

const STAFF: Sender = { waId: '5215599990000', name: 'Lucía (soporte)' };
const STAFF_TO = '525599990000';
const ANA: Sender = { waId: '5215512345678', name: 'Ana López' };
const alert: StaffAlert = { kind: 'prospecto', text: '🆕 Nuevo prospecto P-000001: Ana López\nzona Norte, plan 50 Mbps', ref: 'P-000001', at: new Date().toISOString() };

async function start(template: string | null): Promise<void> {
  logs = captureLogs();
  stack = await startWhatsAppStack({
    logger: logs.logger,
    customers: [customer({ id: 'C-0010', name: 'Ana López', phone: '5512345678', zone: 'Sur' })],
    tweak: (c) => {
      c.staff.whatsappNumbers = ['+52 1 55 9999 0000'];
      c.whatsapp.templates.staffAlert = template;
    },
    graphOptions: { templates: { alerta_personal: 1 } },
  });
}
const notify = async () => {
  await stack.channel.notifier.notifyStaff(alert);
  await stack.channel.idle();
};
const staffWrites = () => stack.deliver(delivery(messagesValue([STAFF], [msg.text(STAFF.waId, 'hola')])));

describe('staff alerts on WhatsApp', () => {
  it('outside the window and without a template: a clear "not sendable" warning, nothing sent', async () => {
    await start(null);
    await notify();
    expect(stack.graph.sent).toEqual([]);
    const [warning] = logs.lines().filter((l) => String(l.msg).startsWith('staff alert not sendable on WhatsApp'));
    expect(warning).toMatchObject({ level: 40, alert: 'prospecto', to: '********0000' });
    expect(warning?.msg).toMatch(/whatsapp\.templates\.staffAlert/);
  });

  it('outside the window with a template: the approved template, the alert text as its one variable', async () => {
    await start('alerta_personal');
    await notify();
    expect(stack.graph.sentTo(STAFF_TO).map((m) => m.body)).toEqual([
      expect.objectContaining({
        type: 'template',
        template: {
          name: 'alerta_personal',
          language: { code: 'es_MX' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: '🆕 Nuevo prospecto P-000001: Ana López · zona Norte, plan 50 Mbps' }] }],
        },
      }),
    ]);
    expect(stack.graph.refused).toEqual([]);
  });

  it('inside the window (the staff member wrote today): free-form text', async () => {
    await start('alerta_personal');
    await staffWrites();
    const before = stack.graph.sentTo(STAFF_TO).length;
    await notify();
    expect(stack.graph.sentTo(STAFF_TO).slice(before).map((m) => m.body)).toEqual([expect.objectContaining({ type: 'text', text: { body: alert.text } })]);
  });

  it('131047 on the free-form alert (sync from the API or later in a status) → sent again as the template', async () => {
    await start('alerta_personal');
    await staffWrites();
    stack.graph.failNext(131047, 1, STAFF_TO);
    await notify();
    expect(stack.graph.sentTo(STAFF_TO).at(-1)?.type).toBe('template');

    const before = stack.graph.sentTo(STAFF_TO).length;
    await notify();
    const sentText = stack.graph.sentTo(STAFF_TO).at(-1)!;
    expect(sentText.type).toBe('text');
    await stack.deliver(delivery(statusesValue([status(sentText.wamid, 'failed', STAFF.waId, 131047)])));
    expect(stack.graph.sentTo(STAFF_TO).slice(before).map((m) => m.type)).toEqual(['text', 'template']);
    expect(stack.channel.metrics.failedByCode).toEqual({ '131047': 1 });
  });

  it('a real flow raises the alert: a falla of priority alta reaches the staff member on WhatsApp', async () => {
    await start('alerta_personal');
    await stack.deliver(delivery(messagesValue([ANA], [msg.text(ANA.waId, 'no tengo internet desde ayer')])));
    await stack.deliver(delivery(messagesValue([ANA], [msg.buttonReply(ANA.waId, 'yes', 'Sí')])));
    const [sent] = stack.graph.sentTo(STAFF_TO);
    expect(sent?.body).toMatchObject({ type: 'template', template: { name: 'alerta_personal' } });
    expect(JSON.stringify(sent?.body)).toMatch(/F-\d{6}/);
  });
});
