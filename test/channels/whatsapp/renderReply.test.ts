import { describe, expect, it } from 'vitest';
import type { GraphMessage } from '../../../src/channels/whatsapp/graphTypes.ts';
import { renderReply, shorten } from '../../../src/channels/whatsapp/renderReply.ts';
import { templateMessage, templateParam } from '../../../src/channels/whatsapp/templates.ts';
import { outboundSchema } from '../../emulators/whatsapp/messageSchemas.ts';

const OPTIONS = { listButton: 'Ver opciones', moreOptions: 'Más opciones:' };
const render = (text: string, quickReplies?: { id: string; title: string }[]): GraphMessage[] => {
  const out = renderReply({ text, ...(quickReplies ? { quickReplies } : {}) }, OPTIONS);
  // Every body must be one the Cloud API accepts (the emulator's schema is written from Meta's docs).
  for (const m of out) expect(outboundSchema.safeParse({ messaging_product: 'whatsapp', to: '525512345678', ...m }).error).toBeUndefined();
  return out;
};
const q = (n: number, title = (i: number) => `Opción ${i}`) => Array.from({ length: n }, (_, i) => ({ id: `o:${i + 1}`, title: title(i + 1) }));

describe('Reply → WhatsApp messages', () => {
  it('plain text; text over 4,096 characters split at paragraph boundaries, nothing lost', () => {
    expect(render('Hola')).toEqual([{ type: 'text', text: { body: 'Hola' } }]);
    const paragraphs = Array.from({ length: 12 }, (_, i) => `Párrafo ${i + 1}. ${'palabra '.repeat(90).trim()}`);
    const out = render(paragraphs.join('\n\n'));
    expect(out.length).toBeGreaterThan(1);
    const bodies = out.map((m) => (m.type === 'text' ? m.text.body : ''));
    expect(bodies.every((b) => b.length <= 4096)).toBe(true);
    expect(bodies.join('\n\n')).toBe(paragraphs.join('\n\n'));
  });

  it('up to 3 quick replies with titles ≤ 20 → reply buttons', () => {
    const [m] = render('¿Ya reiniciaste tu módem?', [{ id: 'yes', title: 'Sí' }, { id: 'no', title: 'No' }]);
    expect(m).toEqual({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: '¿Ya reiniciaste tu módem?' },
        action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Sí' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] },
      },
    });
  });

  it('4–10 options, or a title over 20 characters → one list', () => {
    const [menu] = render('¿En qué te ayudo?', q(4));
    expect(menu).toMatchObject({ type: 'interactive', interactive: { type: 'list', action: { button: 'Ver opciones', sections: [{ rows: q(4) }] } } });
    const [long] = render('Elige', [{ id: 'a', title: 'Hablar con una persona' }, { id: 'b', title: 'Menú' }]);
    expect(long).toMatchObject({ interactive: { type: 'list' } });
    expect(render('Elige', q(10))).toHaveLength(1);
  });

  it('a row title over 24 characters is shortened at a word and shown whole in the description', () => {
    const title = 'Cambio a un plan menor sin penalización';
    const [m] = render('Oferta', [{ id: 'x', title }, ...q(3)]);
    const row = m?.type === 'interactive' && m.interactive.type === 'list' ? m.interactive.action.sections[0]!.rows[0] : undefined;
    expect(row).toEqual({ id: 'x', title: 'Cambio a un plan menor…', description: title });
    expect(shorten('Supercalifragilisticoespialidoso', 10)).toBe('Supercali…');
  });

  it('more than 10 options continue in a second list; none is dropped', () => {
    const out = render('Elige tu colonia', q(13));
    expect(out).toHaveLength(2);
    const rows = out.flatMap((m) => (m.type === 'interactive' && m.interactive.type === 'list' ? m.interactive.action.sections[0]!.rows : []));
    expect(rows.map((r) => r.id)).toEqual(q(13).map((o) => o.id));
    expect(out[1]).toMatchObject({ interactive: { body: { text: 'Más opciones:' } } });
  });

  it('a body over the interactive limit goes first as text; buttons keep the last part', () => {
    const text = `${'Primera parte del mensaje. '.repeat(45).trim()}\n\n¿Confirmas?`;
    const out = render(text, [{ id: 'yes', title: 'Sí' }]);
    expect(out.map((m) => m.type)).toEqual(['text', 'interactive']);
    const [first, second] = out;
    const body = second?.type === 'interactive' ? second.interactive.body.text : '';
    expect(body.length).toBeLessThanOrEqual(1024);
    expect(body).toMatch(/¿Confirmas\?$/);
    expect(`${first?.type === 'text' ? first.text.body : ''} ${body}`.replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });

  it('duplicate ids collapse; duplicate titles cannot be buttons', () => {
    expect(render('x', [{ id: 'a', title: 'A' }, { id: 'a', title: 'A' }])[0]).toMatchObject({ interactive: { type: 'button', action: { buttons: [{ reply: { id: 'a' } }] } } });
    expect(render('x', [{ id: 'a', title: 'Igual' }, { id: 'b', title: 'Igual' }])[0]).toMatchObject({ interactive: { type: 'list' } });
  });

  it('template parameters lose new lines and long runs of spaces (Meta refuses them)', () => {
    expect(templateParam('🆕 Nuevo prospecto\nAna López\ttel.      55')).toBe('🆕 Nuevo prospecto · Ana López tel. 55');
    const m = templateMessage('alerta_personal', 'es_MX', ['línea 1\nlínea 2']);
    expect(outboundSchema.safeParse({ messaging_product: 'whatsapp', to: '525512345678', ...m }).success).toBe(true);
  });
});
