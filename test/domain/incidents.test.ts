import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMessages } from '../../src/config/messages.ts';
import type { Actor } from '../../src/core/types.ts';
import {
  canonicalFolio,
  closeMyTicket,
  fallaPriority,
  fileFalla,
  findMyTicket,
  formatAge,
  formatTicket,
  latestOpenFalla,
  listMyOpenTickets,
} from '../../src/domain/incidents.ts';
import type { FlowDeps } from '../../src/flows/flow.ts';
import { createRecordingNotifier } from '../../src/notify/notifier.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { customer, shippedConfig, testClock } from '../support/harness.ts';

const messages = loadMessages(fileURLToPath(new URL('../../config/messages', import.meta.url)));
const config = shippedConfig();
const ana = customer({ id: 'C-0001', name: 'Ana López', phone: '5512345678' });
const beto = customer({ id: 'C-0002', name: 'Beto Ruiz', phone: '5587654321', zone: 'Sur' });
const anaActor: Actor = { role: 'customer', key: 'console:ana', customerId: 'C-0001' };
const betoActor: Actor = { role: 'customer', key: 'console:beto', customerId: 'C-0002' };

let closeStore: (() => Promise<void>) | undefined;
afterEach(async () => closeStore?.());

async function setup() {
  const clock = testClock();
  const store = openLocalStore({ file: ':memory:', clock: clock.now });
  closeStore = () => store.close();
  await store.upsertCustomers([ana, beto]);
  const notifier = createRecordingNotifier();
  const deps: FlowDeps = { config, msg: messages, store, kv: createMemoryKeyValue(() => clock.now().getTime()), notifier, clock: clock.now };
  return { deps, clock, alerts: notifier.alerts };
}

describe('fallaPriority', () => {
  it('follows the config by category and escalates one level after escalateAfterHours', () => {
    expect(fallaPriority(config, 'sin_internet')).toBe('alta');
    expect(fallaPriority(config, 'lento', 2)).toBe('media');
    expect(fallaPriority(config, 'otro', 2)).toBe('baja');
    expect(fallaPriority(config, 'otro', 48)).toBe('media');
    expect(fallaPriority(config, 'lento', 24)).toBe('alta');
    expect(fallaPriority(config, 'sin_internet', 100)).toBe('alta');
  });
});

describe('canonicalFolio', () => {
  it('reads folios as people type them', () => {
    expect(canonicalFolio('F-000123')).toBe('F-000123');
    expect(canonicalFolio('mi folio es f123')).toBe('F-000123');
    expect(canonicalFolio('reporte 45')).toBe('F-000045');
    expect(canonicalFolio('45')).toBe('F-000045');
    expect(canonicalFolio('mis reportes')).toBeUndefined();
  });
});

describe('formatAge', () => {
  it('says minutes, hours or days', () => {
    const now = new Date('2026-03-10T16:00:00Z');
    expect(formatAge(messages, '2026-03-10T15:50:00Z', now)).toBe('hace 10 min');
    expect(formatAge(messages, '2026-03-10T13:00:00Z', now)).toBe('hace 3 h');
    expect(formatAge(messages, '2026-03-08T10:00:00Z', now)).toBe('hace 2 días');
  });
});

describe('tickets', () => {
  it('files a falla with priority, since and zone, alerting staff when alta; folios are unique', async () => {
    const { deps, alerts } = await setup();
    const reporter = { key: 'console:ana', verified: true };
    const a = await fileFalla(deps, { customer: ana, reporter, category: 'sin_internet', sinceHours: 5, description: 'no hay internet', channel: 'console' });
    const b = await fileFalla(deps, { customer: ana, reporter, category: 'lento', description: 'lento', channel: 'console' });
    expect(a.incident).toMatchObject({ type: 'falla', priority: 'alta', zone: 'Norte', customerId: 'C-0001', since: '2026-03-10T11:00:00.000Z' });
    expect(b.incident.priority).toBe('media');
    expect(a.incident.folio).not.toBe(b.incident.folio);
    expect(alerts.filter((x) => x.kind === 'falla_alta')).toHaveLength(1);
  });

  it('only ever returns the actor’s own tickets, newest first, at most 5', async () => {
    const { deps, clock } = await setup();
    const folios: string[] = [];
    for (let i = 0; i < 6; i++) {
      folios.push((await deps.store.createIncident({ type: 'falla', priority: 'media', customerId: 'C-0001' })).folio);
      clock.advance(60_000);
    }
    const betos = await deps.store.createIncident({ type: 'pago', priority: 'media', customerId: 'C-0002' });
    const mine = await listMyOpenTickets(deps, anaActor);
    expect(mine.map((t) => t.folio)).toEqual(folios.slice(1).reverse());
    expect(await findMyTicket(deps, anaActor, betos.folio)).toBeUndefined();
    expect(await findMyTicket(deps, betoActor, betos.folio)).toBeDefined();
    expect(await listMyOpenTickets(deps, { role: 'prospect', key: 'console:x' })).toEqual([]);
    expect((await latestOpenFalla(deps, anaActor))?.folio).toBe(folios[5]);
  });

  it('closes only the actor’s own open ticket, with a note', async () => {
    const { deps } = await setup();
    const t = await deps.store.createIncident({ type: 'falla', priority: 'media', customerId: 'C-0001' });
    expect(await closeMyTicket(deps, betoActor, t.folio, 'x')).toBeUndefined();
    const closed = await closeMyTicket(deps, anaActor, t.folio, 'ya quedó');
    expect(closed).toMatchObject({ status: 'cerrado' });
    expect(closed?.notes).toMatch(/ya quedó/);
    expect(await closeMyTicket(deps, anaActor, t.folio, 'otra vez')).toBeUndefined();
  });
});

describe('formatTicket', () => {
  it('shows the priority of a falla only; other tickets keep staff\'s queue order to themselves', () => {
    const now = new Date('2026-03-10T16:00:00Z');
    const base = { folio: 'F-000001', status: 'abierto' as const, priority: 'media' as const, createdAt: '2026-03-10T15:00:00Z', updatedAt: '2026-03-10T15:00:00Z' };
    expect(formatTicket(messages, { ...base, type: 'falla' }, now)).toMatch(/Falla · abierto · prioridad media · hace 1 h/);
    const pago = formatTicket(messages, { ...base, type: 'pago' }, now);
    expect(pago).toMatch(/Pago · abierto · hace 1 h/);
    expect(pago).not.toMatch(/prioridad/);
  });
});
