import { z } from 'zod';

const optionalText = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string())
  .optional()
  .transform((s) => (s ? s : undefined));
const url = z.url({ message: 'expected a URL such as http://127.0.0.1:8081' }).optional().or(z.literal('').transform(() => undefined));
const port = z.coerce.number().int().min(0).max(65535);

/** Every environment variable the gateway reads. `.env.example` documents each one. */
export const envSchema = z.object({
  NODE_ENV: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CONFIG_FILE: z.string().min(1).default('config/isp.yaml'),
  MESSAGES_DIR: z.string().min(1).default('config/messages'),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected redis://host:port or rediss://…')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Turns one instance runs at once from the Redis queue (different conversations). */
  INBOUND_QUEUE_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
  /** How long (ms) a crashed instance's conversation stays claimed before another instance takes it over. */
  INBOUND_QUEUE_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(15_000),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{20,}$/, 'expected a bot token like 123456:ABC… from @BotFather')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TELEGRAM_API_ROOT: url,
  TELEGRAM_WEBHOOK_URL: url,
  TELEGRAM_WEBHOOK_SECRET: optionalText,
  WHATSAPP_ACCESS_TOKEN: optionalText,
  WHATSAPP_PHONE_NUMBER_ID: z
    .string()
    .regex(/^\d+$/, 'expected the numeric phone-number id from Meta')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  WHATSAPP_APP_SECRET: optionalText,
  WHATSAPP_VERIFY_TOKEN: optionalText,
  WHATSAPP_GRAPH_URL: z.url().default('https://graph.facebook.com'),
  /** Outbound messages per second for the phone number, shared by all instances (Meta: 80 by default, up to 1,000 when upgraded). */
  WHATSAPP_SENDS_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(80),
  WHATSAPP_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/, 'expected a version like v21.0').default('v21.0'),
  /** The public HTTPS base URL that reaches MESSAGING_PORT (behind a TLS proxy), shown for webhook setup. */
  PUBLIC_URL: z.url({ message: 'expected the public https:// base URL of this server' }).optional(),
  /**
   * Server modes: how far (percent above the live data) the JS heap may grow before a full garbage
   * collection. 0 = V8's own policy, which lets a busy server's heap reach 2–4× its live data.
   */
  HEAP_GROWTH_PERCENT: z.coerce
    .number()
    .int()
    .refine((n) => n === 0 || (n >= 20 && n <= 300), 'expected 0 (V8 decides) or 20–300: less would collect garbage almost all the time')
    .default(50),
  MESSAGING_HOST: z.string().min(1).default('0.0.0.0'),
  MESSAGING_PORT: port.default(5001),
  GEMINI_API_KEY: optionalText,
  GEMINI_MODEL: z.string().min(1).default('gemini-2.5-flash'),
  GEMINI_BASE_URL: url,
  GOOGLE_SHEETS_ID: optionalText,
  GOOGLE_APPLICATION_CREDENTIALS: optionalText,
  GOOGLE_SERVICE_ACCOUNT_JSON: optionalText,
  SHEETS_API_ROOT: url,
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  override readonly name = 'EnvError';
}

/** Validates the environment once at boot; the error names every bad variable. Never echoes values. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // `NAME=` in a .env file means unset.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = envSchema.safeParse(present);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
  throw new EnvError(`invalid environment variables:\n${lines.join('\n')}`);
}

export const telegramConfigured = (env: Env): boolean => env.TELEGRAM_BOT_TOKEN !== undefined;
export const whatsappMissing = (env: Env): string[] =>
  (['WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN'] as const).filter(
    (k) => env[k] === undefined,
  );
export const whatsappConfigured = (env: Env): boolean => whatsappMissing(env).length === 0;
