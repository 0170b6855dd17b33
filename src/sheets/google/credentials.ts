/**
 * The service account the bot signs in with: a key file (GOOGLE_APPLICATION_CREDENTIALS) or the
 * same JSON inline (GOOGLE_SERVICE_ACCOUNT_JSON). Requests carry a self-signed JWT with the
 * spreadsheets scope (`useJWTAccessWithScope`), so no token-endpoint round trip is ever made.
 * Errors name the variable and the problem, never the key.
 */
import { readFileSync } from 'node:fs';
import { auth } from '@googleapis/sheets';
import { z } from 'zod';
import type { Env } from '../../config/env.ts';
import { SheetsConfigError } from './configError.ts';

export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

export type JwtClient = InstanceType<typeof auth.JWT>;

export { SheetsConfigError };

const serviceAccountSchema = z.object({
  type: z.literal('service_account', { message: 'expected "type": "service_account" (a service-account key, not an OAuth client)' }).optional(),
  client_email: z.string().email({ message: 'expected the service account e-mail in "client_email"' }),
  private_key: z.string().includes('PRIVATE KEY', { message: 'expected a PEM private key in "private_key"' }),
  private_key_id: z.string().optional(),
});

export type ServiceAccount = z.infer<typeof serviceAccountSchema>;

export function loadServiceAccount(env: Partial<Pick<Env, 'GOOGLE_APPLICATION_CREDENTIALS' | 'GOOGLE_SERVICE_ACCOUNT_JSON'>>): ServiceAccount {
  let text: string;
  let source: string;
  if (env.GOOGLE_SERVICE_ACCOUNT_JSON) {
    text = env.GOOGLE_SERVICE_ACCOUNT_JSON;
    source = 'GOOGLE_SERVICE_ACCOUNT_JSON';
  } else if (env.GOOGLE_APPLICATION_CREDENTIALS) {
    source = `GOOGLE_APPLICATION_CREDENTIALS (${env.GOOGLE_APPLICATION_CREDENTIALS})`;
    try {
      text = readFileSync(env.GOOGLE_APPLICATION_CREDENTIALS, 'utf8');
    } catch (err) {
      throw new SheetsConfigError(`${source}: cannot read the key file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  } else {
    throw new SheetsConfigError('GOOGLE_SHEETS_ID is set but there are no credentials: set GOOGLE_APPLICATION_CREDENTIALS (path to a service-account key) or GOOGLE_SERVICE_ACCOUNT_JSON');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SheetsConfigError(`${source}: not valid JSON`);
  }
  const parsed = serviceAccountSchema.safeParse(json);
  if (!parsed.success) throw new SheetsConfigError(`${source}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

export function createJwtClient(account: ServiceAccount): JwtClient {
  const jwt = new auth.JWT({
    email: account.client_email,
    key: account.private_key,
    ...(account.private_key_id ? { keyId: account.private_key_id } : {}),
    scopes: [SHEETS_SCOPE],
  });
  // A property, not a constructor option: sign each request's JWT ourselves with the scope.
  jwt.useJWTAccessWithScope = true;
  return jwt;
}
