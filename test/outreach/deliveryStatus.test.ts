import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createStatusTracker } from '../../src/channels/whatsapp/statusTracker.ts';
import { openNotificationLog } from '../../src/outreach/openNotificationLog.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';

describe('WhatsApp delivery statuses reach the outreach notification log', () => {
  it('sent → delivered → read, and a failure keeps Meta\'s error; redeliveries are ignored', async () => {
    const kv = createMemoryKeyValue();
    const log = await openNotificationLog(kv, mkdtempSync(join(tmpdir(), 'notif-')), () => new Date('2026-03-10T16:00:00Z'));
    const tracker = createStatusTracker({
      kv,
      log: pino({ level: 'silent' }),
      now: () => Date.parse('2026-03-10T16:00:00Z'),
      onAlertWindowClosed: async () => undefined,
      onDeliveryStatus: async (u) => void (await log.updateStatus(u.providerMessageId, u.status, u.error)),
    });
    const a = await log.record({ customerId: 'C-1', channel: 'whatsapp', campaign: 'general', content: 'Hola', providerMessageId: 'wamid.A', status: 'sent' });
    await log.record({ customerId: 'C-2', channel: 'whatsapp', campaign: 'general', content: 'Hola', providerMessageId: 'wamid.B', status: 'sent' });
    await tracker.record({ wamid: 'wamid.A', status: 'delivered', errors: [] });
    await tracker.record({ wamid: 'wamid.A', status: 'read', errors: [] });
    await tracker.record({ wamid: 'wamid.A', status: 'read', errors: [] });
    await tracker.record({ wamid: 'wamid.B', status: 'failed', recipient: '5215511112222', errors: [{ code: 131026, title: 'Message undeliverable' }] });
    const entries = await log.list({ campaign: 'general' });
    expect(entries.find((e) => e.id === a.id)?.status).toBe('read');
    const failed = entries.find((e) => e.providerMessageId === 'wamid.B');
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toMatch(/131026/);
    await log.close();
  });
});
