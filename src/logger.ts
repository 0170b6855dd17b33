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

const LEVELS: ReadonlySet<string> = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
const noop = (): void => undefined;

/**
 * `parent.child(bindings)`, made only when the child first logs at an enabled level. pino
 * serialises and redacts a child's bindings when it is made, and a busy gateway makes two per
 * message: at LOG_LEVEL=warn most of them would never write a line.
 */
export function lazyChild(parent: Logger, bindings: pino.Bindings): Logger {
  let child: Logger | undefined;
  const made = (): Logger => (child ??= parent.child(bindings));
  return new Proxy({} as Logger, {
    get(_, prop) {
      if (!child && typeof prop === 'string' && LEVELS.has(prop) && !parent.isLevelEnabled(prop)) return noop;
      const target = made();
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set: (_, prop, value) => Reflect.set(made(), prop, value),
    has: (_, prop) => Reflect.has(made(), prop),
  });
}
