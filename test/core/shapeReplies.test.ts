import { describe, expect, it } from 'vitest';
import { MAX_REPLY_CHARS, shapeReplies, splitText } from '../../src/agent/shapeReplies.ts';

describe('reply shaping', () => {
  it('splits long text at paragraph or sentence boundaries, each part ≤ 800', () => {
    const paragraph = 'Este es un renglón de prueba con algo de texto. '.repeat(12).trim();
    const text = [paragraph, paragraph, paragraph].join('\n\n');
    const parts = splitText(text, MAX_REPLY_CHARS);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(MAX_REPLY_CHARS);
      expect(p.endsWith('.')).toBe(true);
    }
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });

  it('cuts even text without spaces', () => {
    const parts = splitText('x'.repeat(2000), 800);
    expect(parts.map((p) => p.length)).toEqual([800, 800, 400]);
  });

  it('keeps quick replies on the last part and drops empty replies', () => {
    const out = shapeReplies(
      [{ text: `${'Hola. '.repeat(200)}`, quickReplies: [{ id: 'menu', title: 'Menú' }] }, { text: '  ' }],
      { emojis: true },
    );
    expect(out.length).toBeGreaterThan(1);
    expect(out.slice(0, -1).every((r) => r.quickReplies === undefined)).toBe(true);
    expect(out.at(-1)?.quickReplies).toEqual([{ id: 'menu', title: 'Menú' }]);
  });

  it('removes emojis when the ISP turns them off', () => {
    expect(shapeReplies([{ text: '¡Listo! ✅ Gracias 😊' }], { emojis: false })[0]?.text).toBe('¡Listo! Gracias');
  });
});
