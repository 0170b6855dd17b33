import { whatsappConfigured, whatsappMissing, type Env } from '../../config/env.ts';
import { getJson, type ComponentStatus } from './componentStatus.ts';

/** The URL to paste in Meta's console (Callback URL) and where this server listens for it. */
export function whatsappWebhookHint(env: Env): string {
  const local = ['0.0.0.0', '::', '127.0.0.1', 'localhost'].includes(env.MESSAGING_HOST);
  const listening = `${env.MESSAGING_HOST}:${env.MESSAGING_PORT}/webhook`;
  if (env.PUBLIC_URL) return `callback URL for Meta: ${env.PUBLIC_URL.replace(/\/+$/, '')}/webhook (proxied to ${listening})`;
  return local
    ? `callback URL for Meta: https://<your public host>/webhook (proxied to ${listening})`
    : `callback URL for Meta: https://${env.MESSAGING_HOST}${env.MESSAGING_PORT === 443 ? '' : `:${env.MESSAGING_PORT}`}/webhook`;
}

/** Configured? Does the Graph API answer for this phone-number id with this token? Never prints the token. */
export async function checkWhatsApp(env: Env): Promise<ComponentStatus> {
  const base = { name: 'WhatsApp', enabledBy: 'WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN', channel: true };
  if (!whatsappConfigured(env)) {
    const missing = whatsappMissing(env);
    return { ...base, configured: false, detail: missing.length === 4 ? 'not configured' : `missing ${missing.join(', ')}` };
  }
  const url = `${env.WHATSAPP_GRAPH_URL.replace(/\/+$/, '')}/${env.WHATSAPP_GRAPH_VERSION}/${env.WHATSAPP_PHONE_NUMBER_ID}?fields=display_phone_number,verified_name`;
  const res = await getJson(url, { authorization: `Bearer ${env.WHATSAPP_ACCESS_TOKEN}` });
  const id = `phone-number id ${env.WHATSAPP_PHONE_NUMBER_ID}`;
  const hint = whatsappWebhookHint(env);
  if (!res.ok) return { ...base, configured: true, reachable: false, detail: `${id}: Graph API ${env.WHATSAPP_GRAPH_VERSION} ${res.error}; ${hint}` };
  const body = res.body as { display_phone_number?: string; verified_name?: string };
  const number = [body.display_phone_number, body.verified_name && `"${body.verified_name}"`].filter(Boolean).join(' ');
  return { ...base, configured: true, reachable: true, detail: `${id}${number ? ` (${number})` : ''}, token accepted by Graph API ${env.WHATSAPP_GRAPH_VERSION}; ${hint}` };
}
