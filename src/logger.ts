import pino, { type Logger } from 'pino';
import { maskPhone } from './core/phone.ts';

const SECRET_KEYS = ['token', 'accessToken', 'apiKey', 'authorization', 'secret', 'TELEGRAM_BOT_TOKEN', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_APP_SECRET', 'GEMINI_API_KEY'];
const PHONE_KEYS = ['phone', 'waId', 'wa_id', 'from', 'to'];
const withNesting = (keys: string[]): string[] => keys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
const PHONE_SET = new Set(PHONE_KEYS);

/** pino on stderr (stdout belongs to `chat` and `nlu`), tokens removed, phone numbers masked. */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [...withNesting(SECRET_KEYS), ...withNesting(PHONE_KEYS)],
        censor: (value: unknown, path: string[]) =>
          PHONE_SET.has(path.at(-1) ?? '') && typeof value === 'string' ? maskPhone(value) : '[redacted]',
      },
    },
    destination,
  );
}
