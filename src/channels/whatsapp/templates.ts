import { LIMITS, type GraphMessage } from './graphTypes.ts';
import { shorten } from './renderReply.ts';

/** Template parameters may not hold new lines, tabs or more than 4 spaces in a row (Meta, error 132018). */
export function templateParam(text: string): string {
  const flat = text
    .replace(/\s*[\r\n]+\s*/g, ' · ')
    .replace(/\t/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  return shorten(flat, LIMITS.templateParam);
}

export function templateMessage(name: string, language: string, params: string[] = []): GraphMessage {
  return {
    type: 'template',
    template: {
      name,
      language: { code: language },
      ...(params.length ? { components: [{ type: 'body' as const, parameters: params.map((p) => ({ type: 'text' as const, text: templateParam(p) })) }] } : {}),
    },
  };
}
