import { splitText } from '../../agent/shapeReplies.ts';
import type { QuickReply, Reply } from '../../core/types.ts';
import { LIMITS, type GraphMessage, type ListRow } from './graphTypes.ts';

export interface RenderOptions {
  /** Label of the button that opens a list (≤ 20 characters). */
  listButton: string;
  /** Body of the extra list messages when there are more than 10 options. */
  moreOptions: string;
}

/**
 * A Reply as WhatsApp messages. Quick replies become reply buttons when there are at most 3 with
 * distinct titles of at most 20 characters, otherwise a list (rows of at most 24 characters; a
 * longer title is shortened at a word and shown whole in the row's description; more than 10
 * options continue in further lists). Text longer than the body allows goes first as plain text,
 * split at paragraph, line or sentence boundaries. Nothing is dropped.
 */
export function renderReply(reply: Reply, options: RenderOptions): GraphMessage[] {
  const quick = uniqueById(reply.quickReplies ?? []);
  if (quick.length === 0) return splitText(reply.text, LIMITS.text).map(textMessage);
  if (fitsButtons(quick)) {
    const [lead, body] = splitLead(reply.text, LIMITS.buttonBody, options.moreOptions);
    const buttons = quick.map((q) => ({ type: 'reply' as const, reply: { id: q.id, title: q.title } }));
    return [...lead, { type: 'interactive', interactive: { type: 'button', body: { text: body }, action: { buttons } } }];
  }
  if (quick.some((q) => q.id.length > LIMITS.rowId)) {
    // Cannot be pressed on WhatsApp (ids are ours, so this is a bug upstream): show the options as text.
    return splitText(`${reply.text}\n\n${quick.map((q) => `• ${q.title}`).join('\n')}`, LIMITS.text).map(textMessage);
  }
  const [lead, body] = splitLead(reply.text, LIMITS.listBody, options.moreOptions);
  const pages: QuickReply[][] = [];
  for (let i = 0; i < quick.length; i += LIMITS.listRows) pages.push(quick.slice(i, i + LIMITS.listRows));
  const list = (text: string, rows: QuickReply[]): GraphMessage => ({
    type: 'interactive',
    interactive: { type: 'list', body: { text }, action: { button: options.listButton, sections: [{ rows: rows.map(toRow) }] } },
  });
  return [...lead, ...pages.map((rows, i) => list(i === 0 ? body : options.moreOptions, rows))];
}

export const textMessage = (body: string): GraphMessage => ({ type: 'text', text: { body } });

function fitsButtons(quick: QuickReply[]): boolean {
  const titles = new Set(quick.map((q) => q.title.trim().toLowerCase()));
  return (
    quick.length <= LIMITS.buttons &&
    titles.size === quick.length &&
    quick.every((q) => q.title.trim().length > 0 && q.title.length <= LIMITS.buttonTitle && q.id.length <= LIMITS.buttonId)
  );
}

/** Everything but the last part as text messages, and the last part (the interactive body). */
function splitLead(text: string, max: number, fallback: string): [GraphMessage[], string] {
  const parts = splitText(text.trim(), max);
  const body = parts.pop() ?? '';
  return [parts.map(textMessage), body || fallback];
}

function toRow(q: QuickReply): ListRow {
  const title = q.title.trim() || q.id;
  if (title.length <= LIMITS.rowTitle) return { id: q.id, title };
  return { id: q.id, title: shorten(title, LIMITS.rowTitle), description: shorten(title, LIMITS.rowDescription) };
}

/** Cuts at the last word boundary that fits, marking the cut with "…". */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const space = room.lastIndexOf(' ');
  return `${(space > max / 2 ? room.slice(0, space) : room).trimEnd()}…`;
}

function uniqueById(quick: QuickReply[]): QuickReply[] {
  const seen = new Set<string>();
  return quick.filter((q) => !seen.has(q.id) && seen.add(q.id));
}
