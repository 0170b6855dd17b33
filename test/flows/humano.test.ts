import { afterEach, describe, expect, it } from 'vitest';
import { quietKey } from '../../src/domain/actors.ts';
import { customer, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

const ana = customer({ id: 'C-0001', name: 'Ana López', phone: '5512345678' });
const humanos = async () => h.app.deps.store.listIncidents({ type: 'humano' });

describe('humano flow', () => {
  it('on a Tuesday at 11:00: ticket with the conversation summary, staff alert, "en unos minutos", quiet flag', async () => {
    h = await startHarness({ customers: [ana] });
    h.clock.set(new Date('2026-03-10T17:00:00Z')); // Tuesday 11:00 in Mexico City
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.say('mis reportes');
    await c.say('quiero hablar con una persona');
    expect(c.lastText()).toMatch(/en unos minutos/);
    const [row] = await humanos();
    expect(c.lastText()).toContain(row!.folio);
    expect(row).toMatchObject({ type: 'humano', customerId: 'C-0001', name: 'Ana López', channel: 'console' });
    expect(row?.description).toMatch(/Cliente: mis reportes/);
    expect(row?.description).toMatch(/Bot: No tienes reportes abiertos/);
    expect(row?.description).toMatch(/Cliente: quiero hablar con una persona/);
    const alerts = h.app.alerts.filter((a) => a.kind === 'humano');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.ref).toBe(row!.folio);
    const quietMs = h.config.flows.handoffQuietMinutes * 60_000;
    expect(await h.app.deps.kv.get(quietKey('console:ana'))).toEqual({ until: h.clock.now().getTime() + quietMs, folio: expect.stringMatching(/^F-\d{6}$/) });
    h.clock.advance(quietMs + 1);
    expect(await h.app.deps.kv.get(quietKey('console:ana'))).toBeUndefined();
  });

  it('on a Sunday: a person answers tomorrow (Monday) at 9:00', async () => {
    h = await startHarness({ customers: [ana] });
    h.clock.set(new Date('2026-03-08T18:00:00Z')); // Sunday 12:00
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.press('intent:humano');
    expect(c.lastText()).toMatch(/fuera de horario/);
    expect(c.lastText()).toMatch(/mañana a las 9:00/);
    expect(await humanos()).toHaveLength(1);
  });

  it('after closing on a weekday: "mañana a las 9:00", also when tomorrow is Saturday', async () => {
    h = await startHarness({ customers: [ana] });
    h.clock.set(new Date('2026-03-11T02:00:00Z')); // Tuesday 20:00
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.press('intent:humano');
    expect(c.lastText()).toMatch(/mañana a las 9:00/);
    expect(c.lastText()).not.toMatch(/miércoles/);

    h.clock.set(new Date('2026-03-14T02:00:00Z')); // Friday 20:00
    const d = h.chat({ user: 'ana2', phone: ana.phone });
    await d.press('intent:humano');
    expect(d.lastText()).toMatch(/mañana a las 9:00/);
    expect(d.lastText()).not.toMatch(/sábado/);
  });

  it('after closing on Saturday the next opening is two days away: "el lunes a las 9:00"', async () => {
    h = await startHarness({ customers: [ana] });
    h.clock.set(new Date('2026-03-15T01:30:00Z')); // Saturday 19:30
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.press('intent:humano');
    expect(c.lastText()).toMatch(/el lunes a las 9:00/);
  });

  it('someone unknown gets a ticket with their profile name and no customer', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'x', name: 'Pedro' });
    await c.say('quiero hablar con una persona');
    const [row] = await humanos();
    expect(row?.customerId).toBeUndefined();
    expect(row?.name).toBe('Pedro');
  });

  it('"menú" afterwards shows the menu', async () => {
    h = await startHarness({ customers: [ana] });
    const c = h.chat({ user: 'ana', phone: ana.phone });
    await c.press('intent:humano');
    await c.say('menú');
    expect(c.last().flatMap((r) => r.quickReplies.map((q) => q.id))).toContain('intent:falla');
  });
});
