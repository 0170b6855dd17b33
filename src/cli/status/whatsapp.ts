import { whatsappConfigured, whatsappMissing, type Env } from '../../config/env.ts';
import { getJson, type ComponentStatus } from './componentStatus.ts';

export async function checkWhatsApp(env: Env): Promise<ComponentStatus> {
  const base = { name: 'WhatsApp', enabledBy: 'WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN', channel: true };
  if (!whatsappConfigured(env)) {
    const missing = whatsappMissing(env);
    return { ...base, configured: false, detail: missing.length === 4 ? 'not configured' : `missing ${missing.join(', ')}` };
  }
  const url = `${env.WHATSAPP_GRAPH_URL}/${env.WHATSAPP_GRAPH_VERSION}/${env.WHATSAPP_PHONE_NUMBER_ID}`;
  const res = await getJson(url, { authorization: `Bearer ${env.WHATSAPP_ACCESS_TOKEN}` });
  const id = `phone-number id ${env.WHATSAPP_PHONE_NUMBER_ID}, webhook http://${env.MESSAGING_HOST}:${env.MESSAGING_PORT}/webhook`;
  return { ...base, configured: true, reachable: res.ok, detail: res.ok ? id : `${id}: ${res.error}` };
}
