import { describe, expect, it } from 'vitest';
import { safeEqual, signBody, verifySignature } from '../../../src/channels/whatsapp/verifySignature.ts';
import { metaJson, metaSignature } from '../../emulators/whatsapp/metaWebhook.ts';

describe('X-Hub-Signature-256', () => {
  it('matches the published X-Hub-Signature-256 test vector', () => {
    // Meta documents the scheme (sha256= + hex HMAC-SHA256 of the raw payload with the app secret) but
    // publishes no secret/payload/signature triple. This triple is the one GitHub publishes for the
    // same header and scheme (docs.github.com → Webhooks → Validating webhook deliveries → "Testing
    // the webhook payload validation"), and the one Typebot's WhatsApp verifier is tested with.
    const header = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(verifySignature(Buffer.from('Hello, World!'), header, "It's a Secret to Everybody")).toEqual({ ok: true });
    expect(signBody('Hello, World!', "It's a Secret to Everybody")).toBe(header);
    expect(verifySignature(Buffer.from('Hello, World?'), header, "It's a Secret to Everybody")).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('checks the bytes as Meta escapes them (\\uXXXX), not a re-serialisation', () => {
    // Meta's documentation: "äöå" is signed as "\u00e4\u00f6\u00e5". Vector computed by us (labelled as such):
    // secret "test-secret", body {"text":"\u00e4\u00f6\u00e5"} (the escaped bytes).
    const body = metaJson({ text: 'äöå' });
    expect(body).toBe('{"text":"\\u00e4\\u00f6\\u00e5"}');
    const signature = metaSignature(body, 'test-secret');
    expect(signature).toBe('sha256=39ac729637a9d7ccb3bb4a4945c6a610b3b52641bb3a42651074d9ef86798fe7');
    expect(verifySignature(Buffer.from(body), signature, 'test-secret').ok).toBe(true);
    // The same payload re-serialised with raw UTF-8 is different bytes: its signature does not match.
    const reserialised = JSON.stringify(JSON.parse(body));
    expect(reserialised).toBe('{"text":"äöå"}');
    expect(verifySignature(Buffer.from(reserialised), signature, 'test-secret')).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a missing, malformed, sha1 or wrong-secret signature', () => {
    const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
    expect(verifySignature(body, undefined, 's')).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature(body, '', 's')).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature(body, 'sha256=zz', 's')).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature(body, `sha256=${'é'.repeat(64)}`, 's')).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature(body, metaSignature(body, 's', 'sha1'), 's')).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature(body, metaSignature(body, 'other'), 's')).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(body, metaSignature(body, 's').toUpperCase().replace('SHA256=', 'sha256='), 's')).toEqual({ ok: true });
  });

  it('compares verify tokens of any length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
  });
});
