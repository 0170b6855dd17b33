import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * Normalises a phone number to digits with country code and no trunk/mobile prefix, so that
 * Mexico's `52 1 55 1234 5678`, `+52 55 1234 5678` and `55 1234 5678` are all `525512345678`.
 * Returns undefined when the text is not a valid number.
 */
export function normalizePhone(input: string, defaultCountry = 'MX'): string | undefined {
  // libphonenumber parsing is costly and the same numbers come back every turn: remember recent ones.
  const key = `${defaultCountry} ${input}`;
  if (normalized.has(key)) return normalized.get(key);
  if (normalized.size >= NORMALIZED_CACHE) normalized.clear();
  const value = parseAndNormalize(input, defaultCountry);
  normalized.set(key, value);
  // The result normalises to itself: `+<result>` always, and a Mexican one also without '+'
  // (the wa_id form comes first, the stored form next, for the same person).
  if (value !== undefined) {
    normalized.set(`${defaultCountry} +${value}`, value);
    if (/^52\d{10}$/.test(value)) normalized.set(`${defaultCountry} ${value}`, value);
  }
  return value;
}
const NORMALIZED_CACHE = 20_000;
const normalized = new Map<string, string | undefined>();

function parseAndNormalize(input: string, defaultCountry: string): string | undefined {
  const cleaned = input.replace(/[^\d+]/g, '');
  if (cleaned.replace(/\D/g, '').length < 7) return undefined;
  // WhatsApp ids and sheets often hold the number without '+': treat 52… / 521… of MX length as international.
  let candidate = cleaned;
  if (!candidate.startsWith('+') && /^521?\d{10}$/.test(candidate)) candidate = `+${candidate}`;
  if (candidate.startsWith('+521') && candidate.length === 14) candidate = `+52${candidate.slice(4)}`;
  const parsed = parsePhoneNumberFromString(candidate, defaultCountry as CountryCode);
  if (!parsed || !parsed.isValid()) return undefined;
  return `${parsed.countryCallingCode}${parsed.nationalNumber}`;
}

/** Masks all but the last 4 digits, for logs and for showing a number back to its owner. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 4) return '****';
  return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}

/** Masks every run of 7+ digits in a text (conversation keys like `whatsapp:5215512345678`), for logs. */
export function maskDigitRuns(text: string): string {
  return text.replace(/\d{7,}/g, (digits) => maskPhone(digits));
}
