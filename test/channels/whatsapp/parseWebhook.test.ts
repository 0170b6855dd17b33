import { describe, expect, it } from 'vitest';
import { parseDelivery } from '../../../src/channels/whatsapp/parseWebhook.ts';
import { toInbound } from '../../../src/channels/whatsapp/toInbound.ts';
import { metaJson } from '../../emulators/whatsapp/metaWebhook.ts';
import { delivery, messagesValue, msg, PHONE_NUMBER_ID, status, statusesValue } from './fixtures/metaPayloads.ts';

const ANA = { waId: '5215512345678', name: 'Ana López' };
const BETO = { waId: '5215587654321', name: 'Beto Ruiz' };

const parse = (payload: unknown) => {
  const r = parseDelivery(Buffer.from(metaJson(payload)), PHONE_NUMBER_ID);
  if (!r.ok) throw new Error(r.reason);
  return r.delivery;
};
const inboundOf = (m: Parameters<typeof messagesValue>[1][number]) => {
  const [parsed] = parse(delivery(messagesValue([ANA], [m]))).messages;
  return parsed ? toInbound(parsed) : undefined;
};

describe('webhook payloads → InboundMessage', () => {
  it('text: wa_id normalised (521… = 52…), wamid, profile name, Meta timestamp in ms, non-ASCII through \\u escapes', () => {
    const m = msg.text(ANA.waId, '¿Tienen cobertura en Peñasco? 🙂', { timestamp: '1741622400' });
    expect(inboundOf(m)).toEqual({
      channel: 'whatsapp',
      chatId: '525512345678',
      userId: '525512345678',
      messageId: m.id,
      phone: '525512345678',
      profileName: 'Ana López',
      receivedAt: 1741622400_000,
      text: '¿Tienen cobertura en Peñasco? 🙂',
    });
  });

  it('interactive button_reply / list_reply and template button → action', () => {
    expect(inboundOf(msg.buttonReply(ANA.waId, 'yes', 'Sí'))).toMatchObject({ action: 'yes' });
    expect(inboundOf(msg.listReply(ANA.waId, 'zona:Norte', 'Norte'))).toMatchObject({ action: 'zona:Norte' });
    expect(inboundOf(msg.templateButton(ANA.waId, 'intent:falla', 'Reportar falla'))).toMatchObject({ action: 'intent:falla' });
    expect(inboundOf(msg.buttonReply(ANA.waId, 'yes'))?.text).toBeUndefined();
  });

  it('location, media (caption as text), contacts (not own), reaction, unsupported, unknown, system', () => {
    expect(inboundOf(msg.location(ANA.waId, 19.4326, -99.1332, { name: 'Casa', address: 'Calle 1' }))).toMatchObject({ location: { latitude: 19.4326, longitude: -99.1332 } });
    expect(inboundOf(msg.image(ANA.waId))).toMatchObject({ media: 'image' });
    expect(inboundOf(msg.image(ANA.waId, 'mi módem tiene luz roja'))).toMatchObject({ media: 'image', text: 'mi módem tiene luz roja' });
    expect(inboundOf(msg.audio(ANA.waId))).toMatchObject({ media: 'audio' });
    expect(inboundOf(msg.video(ANA.waId))).toMatchObject({ media: 'video' });
    expect(inboundOf(msg.document(ANA.waId))).toMatchObject({ media: 'document', text: 'recibo' });
    expect(inboundOf(msg.sticker(ANA.waId))).toMatchObject({ media: 'sticker' });
    expect(inboundOf(msg.contacts(ANA.waId, '5215511112222'))).toMatchObject({ contact: { phone: '5215511112222', own: false } });
    expect(inboundOf(msg.reaction(ANA.waId, '👍'))).toMatchObject({ media: 'other' });
    expect(inboundOf(msg.reaction(ANA.waId, ''))).toBeUndefined();
    expect(inboundOf(msg.unsupported(ANA.waId))).toMatchObject({ media: 'other' });
    expect(inboundOf(msg.unknown(ANA.waId))).toMatchObject({ media: 'other' });
    expect(inboundOf(msg.system(ANA.waId))).toBeUndefined();
  });

  it('a first-time chat opening (request_welcome) shows the menu; a WhatsApp Flow reply (nfm_reply) is unreadable content', () => {
    const welcome = { from: ANA.waId, id: 'wamid.W1', timestamp: '1741622400', type: 'request_welcome' };
    expect(inboundOf(welcome)).toMatchObject({ action: 'menu' });
    const flowReply = { from: ANA.waId, id: 'wamid.F1', timestamp: '1741622400', type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: { response_json: '{}', name: 'flow' } } };
    expect(inboundOf(flowReply)).toMatchObject({ media: 'other' });
  });

  it('a batch with several users and changes keeps every message with its own sender', () => {
    const d = parse(
      delivery(
        messagesValue([ANA, BETO], [msg.text(ANA.waId, 'hola'), msg.text(BETO.waId, 'buenas'), msg.text(ANA.waId, 'quiero internet')]),
        messagesValue([{ waId: '5215500000001', name: 'Caro' }], [msg.text('5215500000001', 'hola')]),
      ),
    );
    expect(d.messages.map((m) => [m.waId, m.profileName])).toEqual([
      [ANA.waId, 'Ana López'],
      [BETO.waId, 'Beto Ruiz'],
      [ANA.waId, 'Ana López'],
      ['5215500000001', 'Caro'],
    ]);
    expect(d.problems).toEqual([]);
  });

  it('a status-only delivery has statuses and no messages', () => {
    const d = parse(delivery(statusesValue([status('wamid.A', 'sent', ANA.waId), status('wamid.A', 'delivered', ANA.waId), status('wamid.B', 'failed', ANA.waId, 131047)])));
    expect(d.messages).toEqual([]);
    expect(d.statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'failed']);
    expect(d.statuses[2]?.errors[0]?.code).toBe(131047);
  });

  it('one malformed message is skipped with its reason; the rest of the batch is kept', () => {
    const broken = { ...msg.text(ANA.waId, 'x'), text: { nobody: 1 } };
    const noFrom = { ...msg.text(ANA.waId, 'x'), from: 'abc' };
    const d = parse(delivery(messagesValue([ANA], [broken, msg.text(ANA.waId, 'ok'), noFrom])));
    expect(d.messages.map((m) => m.content)).toEqual([{ kind: 'text', text: 'ok' }]);
    expect(d.problems).toHaveLength(2);
    expect(d.problems[0]).toMatch(/messages\[0\]: text message text\.body/);
    expect(d.problems[1]).toMatch(/messages\[2\]: from/);
  });

  it('messages for another phone-number id and other fields are counted, not answered', () => {
    const payload = delivery(messagesValue([ANA], [msg.text(ANA.waId, 'hola')], '999'));
    (payload.entry as { changes: unknown[] }[])[0]!.changes.push({ field: 'message_template_status_update', value: { event: 'APPROVED' } });
    const d = parse(payload);
    expect(d.messages).toEqual([]);
    expect(d.foreign).toBe(1);
    expect(d.otherFields).toEqual(['message_template_status_update']);
  });

  it('an unreadable body gives a reason instead of throwing', () => {
    expect(parseDelivery(Buffer.from('{not json'), PHONE_NUMBER_ID)).toMatchObject({ ok: false, reason: expect.stringMatching(/^invalid JSON/) });
    expect(parseDelivery(Buffer.from('{"object":"page","entry":[]}'), PHONE_NUMBER_ID)).toMatchObject({ ok: false, reason: expect.stringMatching(/^not a WhatsApp webhook body: object/) });
    expect(parseDelivery(Buffer.from(''), PHONE_NUMBER_ID).ok).toBe(false);
  });
});
