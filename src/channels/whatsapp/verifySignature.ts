import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' };

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/** `sha256=` + hex HMAC-SHA256 of `body` with the app secret: what Meta puts in X-Hub-Signature-256. */
export function signBody(body: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/**
 * Checks X-Hub-Signature-256 over the raw bytes exactly as received (never a re-serialised body:
 * Meta escapes non-ASCII as \uXXXX, so JSON.stringify(JSON.parse(body)) would not match).
 * Only `sha256=` is accepted (the legacy `sha1=` X-Hub-Signature is not); constant-time compare.
 */
export function verifySignature(rawBody: Buffer, header: string | undefined, appSecret: string): SignatureCheck {
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  const match = HEADER.exec(header.trim());
  if (!match?.[1]) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  const given = Buffer.from(match[1], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** Constant-time equality of two strings of any length (the verify token). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
