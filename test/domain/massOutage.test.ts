import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMessages } from '../../src/config/messages.ts';
import { fileFalla } from '../../src/domain/incidents.ts';
import { checkMassOutage, isKnownOutage, massOutageKey } from '../../src/domain/massOutage.ts';
import type { FlowDeps } from '../../src/flows/flow.ts';
import { createRecordingNotifier } from '../../src/notify/notifier.ts';
import type { Customer } from '../../src/sheets/records.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { customer, shippedConfig, testClock } from '../support/harness.ts';

const messages = loadMessages(fileURLToPath(new URL('../../config/messages', import.meta.url)));
const config = shippedConfig();
const people: Customer[] = [1, 2, 3, 4].map((n) => customer({ id: `C-000${n}`, name: `Cliente ${n}`, phone: `55100000${n}0`, zone: 'Norte' }));
const south = customer({ id: 'C-0009', name: 'Sur', phone: '5510000090', zone: 'Sur' });

let closeStore: (() => Promise<void>) | undefined;
afterEach(async () => closeStore?.());

async function setup() {
  const clock = testClock();
  const store = openLocalStore({ file: ':memory:', clock: clock.now });
  closeStore = () => store.close();
  await store.upsertCustomers([...people, south]);
  const notifier = createRecordingNotifier();
  const deps: FlowDeps = { config, msg: messages, store, kv: createMemoryKeyValue(() => clock.now().getTime()), notifier, clock: clock.now };
  const report = (c: Customer) => fileFalla(deps, { customer: c, reporter: { key: `console:${c.id}`, verified: true }, category: 'lento', description: 'lento', channel: 'console' });
  const massAlerts = () => notifier.alerts.filter((a) => a.kind === 'falla_masiva');
  /** A report by `sender` who only typed a reference (it matched `c`, or nothing). */
  const typed = (sender: string, c: Customer | undefined, reference: string) =>
    fileFalla(deps, { ...(c ? { customer: c } : {}), reporter: { key: sender, verified: false, reference }, category: 'lento', description: 'lento', channel: 'console' });
  return { deps, clock, report, typed, massAlerts };
}

describe('mass outage', () => {
  it('alerts once when the threshold of distinct customers is reached in a zone', async () => {
    const { deps, report, massAlerts } = await setup();
    const [a, b, c, d] = people as [Customer, Customer, Customer, Customer];
    expect((await report(a)).outage.outage).toBe(false);
    await report(a); // the same customer twice counts once
    expect((await report(b)).outage.outage).toBe(false);
    expect(await isKnownOutage(deps, 'Norte')).toBe(false);
    const third = await report(c);
    expect(third.outage).toMatchObject({ outage: true, alerted: true, reporters: 3 });
    expect((await report(d)).outage).toMatchObject({ outage: true, alerted: false });
    expect(massAlerts()).toHaveLength(1);
    expect(massAlerts()[0]?.text).toMatch(/Norte/);
    expect(await isKnownOutage(deps, 'Norte')).toBe(true);
    expect(await isKnownOutage(deps, 'Sur')).toBe(false);
  });

  it('only counts reports inside the window', async () => {
    const { clock, report, massAlerts } = await setup();
    const [a, b, c] = people as [Customer, Customer, Customer];
    await report(a);
    await report(b);
    clock.advance(61 * 60_000);
    expect((await report(c)).outage.outage).toBe(false);
    expect(massAlerts()).toHaveLength(0);
  });

  it('never alerts twice for a zone within the window, even from another process', async () => {
    const { deps, report, massAlerts } = await setup();
    await deps.kv.set(massOutageKey('Norte'), { at: 'elsewhere' }, 60 * 60_000);
    for (const c of people.slice(0, 3)) await report(c);
    expect(massAlerts()).toHaveLength(0);
    expect((await checkMassOutage(deps, 'Norte', 'F-1')).outage).toBe(true);
  });

  it('an unverified sender counts once however many numbers they type; distinct senders count apart', async () => {
    const { deps, report, typed, massAlerts } = await setup();
    const [a, b, c, d] = people as [Customer, Customer, Customer, Customer];
    await typed('console:troll', a, 'C-0001');
    await typed('console:troll', b, 'C-0002');
    const third = await typed('console:troll', c, '55 1000 0030');
    expect(third.outage).toMatchObject({ reporters: 1, outage: false });
    expect((await report(d)).outage).toMatchObject({ reporters: 2, outage: false });
    expect(await isKnownOutage(deps, 'Norte')).toBe(false);
    const other = await typed('whatsapp:5215599990000', a, 'C-0001');
    expect(other.outage).toMatchObject({ reporters: 3, outage: true, alerted: true });
    expect(massAlerts()).toHaveLength(1);
    expect(massAlerts()[0]?.text).toMatch(/3 personas distintas/);
  });

  it('every ticket records who reported it and whether the account was verified', async () => {
    const { deps, typed } = await setup();
    const [a] = people as [Customer];
    const verified = await fileFalla(deps, {
      customer: a,
      reporter: { key: 'whatsapp:5215510000010', phone: '525510000010', verified: true },
      category: 'sin_internet',
      description: 'sin internet',
      channel: 'whatsapp',
    });
    expect(verified.incident.notes).toBe('Reportado por whatsapp:5215510000010, tel. 525510000010 (cuenta verificada).');
    const unverified = await typed('console:vecino', a, 'C-0001');
    expect(unverified.incident).toMatchObject({ customerId: 'C-0001', zone: 'Norte' });
    expect(unverified.incident.notes).toMatch(/^Reportado por console:vecino \(SIN VERIFICAR: escribió «C-0001»\)/);
    const nobody = await typed('console:vecino', undefined, '55 9999 9999');
    expect(nobody.incident.customerId).toBeUndefined();
    expect(nobody.incident.zone).toBeUndefined();
    expect(nobody.outage).toMatchObject({ reporters: 0, outage: false });
  });

  it('counts a customer zone written "Zona Norte" (or an alias) as Norte', async () => {
    const { deps, report, massAlerts } = await setup();
    const spelled = ['Zona Norte', 'NORTE', 'las palmas'].map((zone, i) => customer({ id: `C-01${i}`, name: `N ${i}`, phone: `552000000${i}`, zone }));
    for (const c of spelled) expect((await report(c)).incident.zone).toBe('Norte');
    expect(massAlerts()).toHaveLength(1);
    expect(await isKnownOutage(deps, 'Zona Norte')).toBe(true);
  });
});
