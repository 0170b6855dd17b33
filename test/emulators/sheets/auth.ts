/**
 * The emulator's check of `Authorization: Bearer <JWT>`: a self-signed service-account JWT
 * (google-auth-library's JWTAccess with `useJWTAccessWithScope`) — RS256 over the key the test
 * registered, iss = sub = the service account, a `scope` with the spreadsheets scope, not expired.
 * Also a helper that makes a throw-away service-account key file for tests.
 */
import { generateKeyPairSync, randomUUID, verify, type KeyObject } from 'node:crypto';

export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

export interface TestServiceAccount {
  /** The JSON Google gives for a service-account key. */
  json: { type: 'service_account'; project_id: string; private_key_id: string; private_key: string; client_email: string; client_id: string; token_uri: string };
  publicKey: KeyObject;
}

export function makeServiceAccount(name = 'isp-bot'): TestServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    json: {
      type: 'service_account',
      project_id: 'isp-test',
      private_key_id: randomUUID().replace(/-/g, ''),
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: `${name}@isp-test.iam.gserviceaccount.com`,
      client_id: '100000000000000000001',
      // Never contacted: self-signed JWTs need no token endpoint. A closed port makes any attempt fail loudly.
      token_uri: 'http://127.0.0.1:9/token',
    },
    publicKey,
  };
}

export type AuthResult = { ok: true; user: string } | { ok: false; message: string };

const b64json = (part: string): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

export function checkBearer(header: string | undefined, accounts: ReadonlyMap<string, KeyObject>, now = Date.now()): AuthResult {
  const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(header ?? '');
  if (!m) return { ok: false, message: 'Request is missing required authentication credential. Expected OAuth 2 access token.' };
  const [, h = '', p = '', sig = ''] = m;
  const head = b64json(h);
  const claims = b64json(p);
  if (!head || !claims || head.alg !== 'RS256') return { ok: false, message: 'Invalid JWT header.' };
  const email = String(claims.iss ?? '');
  const key = accounts.get(email);
  if (!key || claims.sub !== email) return { ok: false, message: 'Unknown service account.' };
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(sig, 'base64url'))) {
    return { ok: false, message: 'Invalid JWT signature.' };
  }
  const exp = Number(claims.exp);
  const iat = Number(claims.iat);
  if (!Number.isFinite(exp) || exp * 1000 < now || !Number.isFinite(iat) || iat * 1000 > now + 300_000) return { ok: false, message: 'JWT expired or not yet valid.' };
  const scopes = String(claims.scope ?? '').split(/\s+/);
  if (!scopes.includes(SHEETS_SCOPE)) return { ok: false, message: 'Request had insufficient authentication scopes.' };
  return { ok: true, user: email };
}
