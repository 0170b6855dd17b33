import { GrammyError, HttpError } from 'grammy';

/**
 * A one-line description of a Telegram API failure for logs and status lines. Never the raw
 * error: a network error from the HTTP client carries the request URL, which holds the token.
 */
export function describeApiError(err: unknown, token: string): string {
  const scrub = (text: string): string => (token ? text.split(token).join('***') : text);
  if (err instanceof GrammyError) return scrub(`${err.error_code}: ${err.description}`);
  if (err instanceof HttpError) return `network error (${networkReason(err)})`;
  return scrub(err instanceof Error ? err.message : String(err));
}

/** Why a request did not get an answer: `timeout`, or the system error code (ECONNREFUSED, ENOTFOUND…). */
export function networkReason(err: HttpError): string {
  const cause = err.error as { code?: unknown; name?: unknown; message?: unknown } | undefined;
  if (typeof cause?.message === 'string' && /timed out/i.test(cause.message)) return 'timeout';
  if (typeof cause?.code === 'string') return cause.code;
  return typeof cause?.name === 'string' ? cause.name : 'unknown';
}

/** The bot was blocked, kicked or the chat is gone: nothing more can be sent to it. */
export const isUnreachableChat = (err: unknown): boolean => err instanceof GrammyError && (err.error_code === 403 || /chat not found/i.test(err.description));
