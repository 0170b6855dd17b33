import type { Reply } from '../core/types.ts';

export const MAX_REPLY_CHARS = 800;
const EMOJI = /[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu;

/**
 * Makes replies fit every channel: at most 800 characters each (long texts are split at a
 * paragraph, line or sentence boundary, quick replies stay on the last part), emojis removed
 * when the ISP turned them off, empty texts dropped.
 */
export function shapeReplies(replies: Reply[], options: { emojis: boolean }): Reply[] {
  const out: Reply[] = [];
  for (const reply of replies) {
    const text = (options.emojis ? reply.text : reply.text.replace(EMOJI, '').replace(/ {2,}/g, ' ')).trim();
    if (!text) continue;
    const parts = splitText(text, MAX_REPLY_CHARS);
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      out.push(last ? { ...reply, text: part } : { text: part });
    });
  }
  return out;
}

export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const cut = lastBreak(window, '\n\n') ?? lastBreak(window, '\n') ?? lastSentence(window) ?? lastBreak(window, ' ') ?? max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

function lastBreak(window: string, sep: string): number | undefined {
  const i = window.lastIndexOf(sep);
  return i > window.length / 3 ? i : undefined;
}

function lastSentence(window: string): number | undefined {
  const matches = [...window.matchAll(/[.!?…](\s)/g)];
  const last = matches.at(-1);
  return last?.index !== undefined && last.index > window.length / 3 ? last.index + 1 : undefined;
}
