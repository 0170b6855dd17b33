import { afterEach, describe, expect, it } from 'vitest';
import type { SentMessage } from '../../emulators/whatsapp/graphEmulator.ts';
import { customer } from '../../support/harness.ts';
import { delivery, messagesValue, msg, type Sender } from './fixtures/metaPayloads.ts';
import { startWhatsAppStack, type WhatsAppStack } from './whatsAppStack.ts';

/** Every flow over HTTP: signed Meta deliveries into the real express app, replies read from the Graph emulator. */
let stack: WhatsAppStack;
afterEach(async () => stack?.close());

const ANA: Sender = { waId: '5215512345678', name: 'Ana López' };
const REPLY_TO = '525512345678';

/** What a person sees of one sent message: its text and the ids they can press. */
function view(m: SentMessage): { text: string; ids: string[]; kind: string } {
  const b = m.body;
  if (b.type === 'text') return { text: b.text.body, ids: [], kind: 'text' };
  if (b.type === 'template') return { text: b.template.name, ids: [], kind: 'template' };
  const i = b.interactive;
  if (i.type === 'button') return { text: i.body.text, ids: i.action.buttons.map((x) => x.reply.id), kind: 'buttons' };
  return { text: i.body.text, ids: i.action.sections.flatMap((s) => s.rows.map((r) => r.id)), kind: 'list' };
}

/** Sends one message as `who` and returns what the bot answered to that turn. */
async function turn(who: Sender, message: ReturnType<(typeof msg)[keyof typeof msg]>): Promise<ReturnType<typeof view>[]> {
  const before = stack.graph.sentTo(REPLY_TO).length;
  const res = await stack.deliver(delivery(messagesValue([who], [message])));
  expect(res.status).toBe(200);
  return stack.graph.sentTo(REPLY_TO).slice(before).map(view);
}
const joined = (views: ReturnType<typeof view>[]) => views.map((v) => v.text).join('\n');
const ids = (views: ReturnType<typeof view>[]) => views.flatMap((v) => v.ids);

describe('WhatsApp end to end', () => {
  it('registration by buttons: WhatsApp name and number, zone list, plan buttons, confirm → prospect row', async () => {
    stack = await startWhatsAppStack();
    let r = await turn(ANA, msg.text(ANA.waId, 'quiero contratar internet'));
    expect(joined(r)).toMatch(/¿Registro a nombre de Ana López\?/);
    expect(r.at(-1)?.ids).toEqual(expect.arrayContaining(['yes', 'no']));

    r = await turn(ANA, msg.buttonReply(ANA.waId, 'yes', 'Sí'));
    expect(r.at(-1)).toMatchObject({ kind: 'list', ids: expect.arrayContaining(['zona:Centro', 'zona:Norte', 'zona:Sur', 'zona:Oriente', 'zona:Poniente']) });

    r = await turn(ANA, msg.listReply(ANA.waId, 'zona:Norte', 'Norte'));
    expect(r.at(-1)?.ids).toEqual(expect.arrayContaining(['plan:20', 'plan:50', 'plan:100']));

    r = await turn(ANA, msg.buttonReply(ANA.waId, 'plan:50', '50 Mbps $450'));
    // WhatsApp vouches for the number: no phone question, straight to the summary.
    expect(joined(r)).toMatch(/Ana López[\s\S]*Norte[\s\S]*50 Mbps[\s\S]*\+52 55 1234 5678/);
    expect(ids(r)).toEqual(expect.arrayContaining(['confirm', 'edit']));

    r = await turn(ANA, msg.buttonReply(ANA.waId, 'confirm', 'Confirmar'));
    expect(joined(r)).toMatch(/Registro exitoso[\s\S]*P-000001/);
    const [row] = await stack.app.deps.store.listProspects();
    expect(row).toMatchObject({ id: 'P-000001', name: 'Ana López', zone: 'Norte', planMbps: 50, phone: '525512345678', channel: 'whatsapp' });
    expect(stack.graph.refused).toEqual([]);
  });

  it('a falla ticket from a customer recognised by their WhatsApp number', async () => {
    stack = await startWhatsAppStack({ customers: [customer({ id: 'C-0010', name: 'Ana López', phone: '5512345678', zone: 'Sur' })] });
    let r = await turn(ANA, msg.text(ANA.waId, 'no tengo internet desde ayer'));
    expect(joined(r)).toMatch(/reiniciar tu módem/);
    expect(ids(r)).toEqual(expect.arrayContaining(['yes', 'no']));
    r = await turn(ANA, msg.buttonReply(ANA.waId, 'yes', 'Sí'));
    expect(joined(r)).toMatch(/folio \*F-\d{6}\*[\s\S]*Prioridad: alta/);
    const [ticket] = await stack.app.deps.store.listIncidents({ type: 'falla' });
    expect(ticket).toMatchObject({ customerId: 'C-0010', category: 'sin_internet', priority: 'alta', channel: 'whatsapp' });
    expect(stack.app.alerts.map((a) => a.kind)).toContain('falla_alta');
  });

  it('coverage by location: the menu list, a shared location, then the colonia', async () => {
    stack = await startWhatsAppStack();
    let r = await turn(ANA, msg.text(ANA.waId, 'hola'));
    expect(r.at(-1)?.kind).toBe('list');
    expect(ids(r)).toContain('intent:cobertura');
    r = await turn(ANA, msg.listReply(ANA.waId, 'intent:cobertura', 'Cobertura'));
    expect(joined(r)).toMatch(/colonia/i);
    r = await turn(ANA, msg.location(ANA.waId, 19.4326, -99.1332, { name: 'Mi casa', address: 'Calle Pinos 12' }));
    expect(joined(r)).toMatch(/Gracias por tu ubicación[\s\S]*colonia/);
    expect(r.at(-1)?.kind).toBe('list');
    r = await turn(ANA, msg.text(ANA.waId, 'las flores'));
    expect(joined(r)).toMatch(/Sí llegamos a Las Flores \(zona Poniente\)/);
  });

  it('every other message type gets a short answer and nothing crashes; system notices and removed reactions are not turns', async () => {
    stack = await startWhatsAppStack();
    const people = Array.from({ length: 12 }, (_, i) => ({ waId: `52155000000${String(i).padStart(2, '0')}`, name: `Persona ${i}` }));
    const [p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11] = people.map((p) => p.waId) as [string, ...string[]];
    const messages = [
      msg.image(p0),
      msg.audio(p1!),
      msg.video(p2!),
      msg.document(p3!),
      msg.sticker(p4!),
      msg.contacts(p5!, '5215511112222'),
      msg.reaction(p6!, '👍'),
      msg.unsupported(p7!),
      msg.unknown(p8!),
      msg.templateButton(p9!, 'intent:planes', 'Planes'),
      msg.system(p10!),
      msg.reaction(p11!, ''),
    ];
    const res = await stack.deliver(delivery(messagesValue(people, messages)));
    expect(res.status).toBe(200);
    const answered = new Set(stack.graph.sent.map((m) => m.to));
    for (const p of people.slice(0, 10)) expect(answered, p.waId).toContain(p.waId.replace(/^521/, '52'));
    for (const p of people.slice(10)) expect(answered).not.toContain(p.waId.replace(/^521/, '52'));
    const image = stack.graph.sentTo('525500000000').map(view);
    expect(joined(image)).toMatch(/solo puedo leer mensajes de texto/);
    expect(stack.channel.metrics.turns).toBe(10);
    expect(stack.graph.refused).toEqual([]);
  });
});
