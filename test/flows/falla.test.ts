import { afterEach, describe, expect, it } from 'vitest';
import { linkKey } from '../../src/domain/actors.ts';
import type { Customer } from '../../src/sheets/records.ts';
import { customer, startHarness, type Harness, type TestChat } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

const ids = (c: TestChat): string[] => c.last().flatMap((r) => r.quickReplies.map((q) => q.id));

const norte: Customer[] = [1, 2, 3, 4].map((n) => customer({ id: `C-000${n}`, name: `Cliente${n} Norte`, phone: `55100000${n}0`, zone: 'Norte' }));
const ana = customer({ id: 'C-0010', name: 'Ana López', phone: '5512345678', zone: 'Sur' });

const start = async (customers: Customer[] = [ana, ...norte]) => (h = await startHarness({ customers }));
const fallas = async () => h.app.deps.store.listIncidents({ type: 'falla' });
const chatOf = (c: Customer): TestChat => h.chat({ user: c.id, phone: c.phone });

/** The shortest complete report by buttons (no restart questions when an outage is known). */
async function reportByButtons(c: TestChat): Promise<void> {
  await c.press('intent:falla');
  await c.press('cat:sin_internet');
  await c.press('since:today');
  if (ids(c).includes('yes')) await c.press('yes');
}

describe('falla flow', () => {
  it('happy path in free text: the first message fills category and since → alta, ticket written, staff alerted', async () => {
    await start();
    const c = chatOf(ana);
    await c.say('no tengo internet desde ayer');
    expect(c.lastText()).toMatch(/reiniciar tu módem/);
    expect(ids(c)).toEqual(['yes', 'no']);
    await c.say('sí, ya lo reinicié');
    expect(c.lastText()).toMatch(/folio \*F-\d{6}\*/);
    expect(c.lastText()).toMatch(/Prioridad: alta/);
    expect(c.lastText()).toMatch(/4 horas/);
    const [row] = await fallas();
    expect(row).toMatchObject({ type: 'falla', category: 'sin_internet', priority: 'alta', zone: 'Sur', customerId: 'C-0010', channel: 'console' });
    expect(row?.description).toMatch(/no tengo internet desde ayer/);
    expect(new Date(row!.since!).getTime()).toBe(h.clock.now().getTime() - 24 * 3600_000);
    expect(h.app.alerts.filter((a) => a.kind === 'falla_alta')).toHaveLength(1);
  });

  it('lento since today is media; not restarted → restart steps; still failing → ticket', async () => {
    await start();
    const c = chatOf(ana);
    await c.press('intent:falla');
    expect(ids(c)).toEqual(['cat:sin_internet', 'cat:lento', 'cat:intermitente', 'cat:otro', 'menu']);
    await c.say('está muy lento');
    expect(ids(c)).toEqual(['since:today', 'since:yesterday', 'since:days']);
    await c.press('since:today');
    await c.say('no');
    expect(c.lastText()).toMatch(/30 segundos.*3 minutos/s);
    expect(ids(c)).toEqual(['fixed', 'still']);
    await c.say('sigue igual');
    expect(c.lastText()).toMatch(/Prioridad: media/);
    expect(c.lastText()).toMatch(/24 horas/);
    expect((await fallas())[0]).toMatchObject({ category: 'lento', priority: 'media' });
    expect(h.app.alerts.filter((a) => a.kind === 'falla_alta')).toHaveLength(0);
  });

  it('"otro" from baja goes up to media after 24 h ("desde hace 2 días")', async () => {
    await start();
    const c = chatOf(ana);
    await c.press('intent:falla');
    await c.press('cat:otro');
    expect(c.lastText()).toMatch(/Cuéntame/);
    await c.say('el módem tiene una luz roja');
    await c.say('desde hace 2 días');
    await c.press('yes');
    expect(c.lastText()).toMatch(/Prioridad: media/);
    const [row] = await fallas();
    expect(row).toMatchObject({ category: 'otro', priority: 'media' });
    expect(row?.description).toMatch(/luz roja/);
  });

  it('a restart that fixes it writes no ticket', async () => {
    await start();
    const c = chatOf(ana);
    await c.say('se va y viene el internet');
    await c.press('since:today');
    await c.press('no');
    await c.press('fixed');
    expect(c.lastText()).toMatch(/¡Qué bien!/);
    expect(await h.app.deps.store.listIncidents()).toHaveLength(0);
  });

  it('an invalid answer re-asks with a hint; three of them offer a person', async () => {
    await start();
    const c = chatOf(ana);
    await c.press('intent:falla');
    await c.say('asdf');
    expect(c.lastText()).toMatch(/no te entendí/);
    expect(ids(c)).toContain('cat:lento');
    await c.say('qwerty');
    await c.say('zzz');
    expect(ids(c)).toContain('intent:humano');
    expect(await fallas()).toHaveLength(0);
  });

  it('"menú" mid-flow leaves it without a ticket', async () => {
    await start();
    const c = chatOf(ana);
    await c.press('intent:falla');
    await c.press('cat:lento');
    await c.say('menú');
    expect(ids(c)).toContain('intent:falla');
    await c.press('since:today');
    expect(await fallas()).toHaveLength(0);
  });

  it('an open falla: "same problem" adds a note to it and writes no new row', async () => {
    await start();
    const open = await h.app.deps.store.createIncident({ type: 'falla', priority: 'media', status: 'en_proceso', customerId: 'C-0010', category: 'lento' });
    const c = chatOf(ana);
    await c.say('sigo sin internet');
    expect(c.lastText()).toContain(open.folio);
    expect(c.lastText()).toMatch(/en proceso/);
    expect(ids(c)).toEqual(['same', 'new']);
    await c.press('same');
    expect(c.lastText()).toContain(open.folio);
    const rows = await fallas();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.notes).toMatch(/sigo sin internet/);
  });

  it('an open falla: "new problem" goes on to the questions', async () => {
    await start();
    await h.app.deps.store.createIncident({ type: 'falla', priority: 'media', customerId: 'C-0010', category: 'lento' });
    const c = chatOf(ana);
    await c.press('intent:falla');
    await c.say('no, es otro');
    expect(ids(c)).toContain('cat:sin_internet');
  });

  it('mass outage: 3 reports in Norte → one falla_masiva alert; the 4th reporter is told first and skips the restart', async () => {
    await start();
    const [c1, c2, c3, c4] = norte.map(chatOf) as [TestChat, TestChat, TestChat, TestChat];
    await reportByButtons(c1);
    await reportByButtons(c2);
    expect(h.app.alerts.filter((a) => a.kind === 'falla_masiva')).toHaveLength(0);
    await reportByButtons(c3);
    expect(c3.lastText()).toMatch(/varios reportes de tu zona/);
    const mass = h.app.alerts.filter((a) => a.kind === 'falla_masiva');
    expect(mass).toHaveLength(1);
    expect(mass[0]?.text).toMatch(/Norte/);

    await c4.press('intent:falla');
    expect(c4.last()[0]?.text).toMatch(/falla general en la zona Norte/);
    expect(ids(c4)).toContain('cat:sin_internet');
    await c4.press('cat:sin_internet');
    await c4.press('since:today');
    expect(c4.lastText()).toMatch(/folio/);
    expect(c4.lastText()).not.toMatch(/reiniciar/);
    expect(await fallas()).toHaveLength(4);
    expect(h.app.alerts.filter((a) => a.kind === 'falla_masiva')).toHaveLength(1);
  });

  it('folios are unique across tickets', async () => {
    await start();
    for (const c of norte.map(chatOf)) await reportByButtons(c);
    const folios = (await h.app.deps.store.listIncidents()).map((i) => i.folio);
    expect(folios).toHaveLength(4);
    expect(new Set(folios).size).toBe(4);
  });

  it('an unknown person can report for a customer number, but sees none of that account', async () => {
    await start();
    await h.app.deps.store.createIncident({ type: 'falla', priority: 'media', customerId: 'C-0010', category: 'lento' });
    const c = h.chat({ user: 'vecino' });
    await c.say('no tengo internet');
    expect(c.lastText()).toMatch(/número de cliente/);
    await c.say('mi número de cliente es C-0010');
    expect(c.lastText()).not.toMatch(/Ana|F-0000|reporte abierto/);
    expect(ids(c)).toContain('since:today');
    await c.press('since:today');
    await c.press('yes');
    expect(c.lastText()).toMatch(/folio/);
    const rows = await fallas();
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.customerId === 'C-0010' && r.category === 'sin_internet')).toHaveLength(1);
    // The chat is not linked: asking for the reports reveals nothing.
    await c.press('intent:estado_reporte');
    expect(c.lastText()).not.toMatch(/F-0000/);
  });

  it('someone who is not a customer says so with a button (registro is offered up front, not after a lookup)', async () => {
    await start();
    const c = h.chat({ user: 'nuevo' });
    await c.press('intent:falla');
    expect(ids(c)).toEqual(['intent:registro', 'menu']);
    expect(c.last()[0]?.quickReplies[0]?.title).toBe('Aún no soy cliente');
    await c.say('hola');
    expect(c.lastText()).toMatch(/No encontré un número/);
    expect(ids(c)).toContain('intent:registro');
    await c.press('intent:registro');
    expect(c.last().at(-1)?.flow).toBe('registro');
  });

  it('a typed number gets the same answers whether it is a customer or not: no name, no zone outage, "pendiente de verificar"', async () => {
    await start();
    for (const c of norte.slice(0, 3).map(chatOf)) await reportByButtons(c); // Norte has a known outage now
    const transcript = async (user: string, reference: string): Promise<string[]> => {
      const c = h.chat({ user });
      const seen: string[] = [];
      const turn = async (act: () => Promise<unknown>): Promise<void> => {
        await act();
        seen.push(`${c.lastText().replace(/F-\d{6}/g, 'F-?')} ${ids(c).join(',')}`);
      };
      await turn(() => c.say('no tengo internet'));
      await turn(() => c.say(reference));
      await turn(() => c.press('since:today'));
      await turn(() => c.press('yes'));
      return seen;
    };
    const customerRef = await transcript('vecino1', 'C-0004'); // Cliente4, zone Norte
    const strangerRef = await transcript('vecino2', '55 9999 9999'); // nobody
    expect(customerRef).toEqual(strangerRef);
    const all = customerRef.join('\n');
    expect(all).not.toMatch(/Cliente4|falla general|varios reportes|No encontré una cuenta/);
    expect(all).toMatch(/folio \*F-\?\*/);
    expect(all).toMatch(/pendiente de verificar/);

    const rows = await fallas();
    const matched = rows.find((r) => r.notes?.includes('console:vecino1'));
    const unmatched = rows.find((r) => r.notes?.includes('console:vecino2'));
    expect(matched).toMatchObject({ customerId: 'C-0004', zone: 'Norte' });
    expect(matched?.notes).toMatch(/SIN VERIFICAR: escribió «C-0004»/);
    expect(unmatched?.customerId).toBeUndefined();
    expect(unmatched?.notes).toMatch(/SIN VERIFICAR: escribió «55 9999 9999»/);
    // Verified tickets say so too.
    expect(rows.find((r) => r.customerId === 'C-0001')?.notes).toMatch(/console:C-0001, tel. 525510000010 \(cuenta verificada\)/);
  });

  it('a contact shared on the console or WhatsApp is not proof: no link, nothing of that account shown', async () => {
    await start();
    await h.app.deps.store.createIncident({ type: 'falla', priority: 'media', customerId: 'C-0010', category: 'lento' });
    for (const who of [{ user: 'vecino' }, { user: '5215599990000', channel: 'whatsapp' as const, phone: '5215599990000' }]) {
      const c = h.chat(who);
      await c.press('intent:falla');
      await c.say(`#contact ${ana.phone}`);
      expect(c.lastText()).not.toMatch(/Ana|F-0000|reporte abierto/);
      expect(ids(c)).toContain('cat:sin_internet');
      expect(await h.app.deps.kv.get(linkKey(who.channel ?? 'console', who.user))).toBeUndefined();
      await c.press('intent:estado_reporte');
      expect(c.lastText()).toMatch(/solo se la puedo mostrar al titular/);
      expect(c.lastText()).not.toMatch(/F-0000/);
      await c.press('intent:mi_servicio');
      expect(c.lastText()).toMatch(/No pude identificarte/);
    }
  });

  it('an open falla: "no, no es el mismo problema" is a new one; no note on the old ticket', async () => {
    await start();
    const open = await h.app.deps.store.createIncident({ type: 'falla', priority: 'media', customerId: 'C-0010', category: 'lento' });
    const c = chatOf(ana);
    await c.press('intent:falla');
    expect(ids(c)).toEqual(['same', 'new']);
    await c.say('no, no es el mismo problema');
    expect(ids(c)).toContain('cat:sin_internet');
    expect((await h.app.deps.store.getIncident(open.folio))?.notes).toBeUndefined();
  });

  it('a customer zone written "Zona Norte" or as an alias is filed and counted as Norte', async () => {
    const spelled = [
      customer({ id: 'C-0101', name: 'Uno Norte', phone: '5520000001', zone: 'Zona Norte' }),
      customer({ id: 'C-0102', name: 'Dos Norte', phone: '5520000002', zone: 'norte' }),
      customer({ id: 'C-0103', name: 'Tres Norte', phone: '5520000003', zone: 'Lomas del Norte' }),
    ];
    await start(spelled);
    for (const c of spelled.map(chatOf)) await reportByButtons(c);
    expect((await fallas()).map((r) => r.zone)).toEqual(['Norte', 'Norte', 'Norte']);
    const mass = h.app.alerts.filter((a) => a.kind === 'falla_masiva');
    expect(mass).toHaveLength(1);
    expect(mass[0]?.text).toMatch(/zona Norte/);
  });
});

describe('falla: what the product tester found', () => {
  const suspendida = customer({ id: 'C-0020', name: 'Susana Pérez', phone: '5511110000', zone: 'Norte', status: 'suspendido', balance: 450, dueDate: '2026-03-01' });
  const said: string[] = [];
  const talk = async (c: TestChat, line: string): Promise<void> => {
    await c.say(line);
    said.push(c.lastText());
  };

  it('a restart told in the first message is not asked again, and nobody is thanked "por los datos"', async () => {
    await start();
    const c = chatOf(ana);
    said.length = 0;
    await talk(c, 'ya desconecte el modem y lo volvi a conectar y sigue igual');
    expect(ids(c)).toContain('cat:sin_internet');
    await talk(c, 'no tengo nada de internet');
    expect(ids(c)).toContain('since:today');
    await talk(c, 'desde hoy en la mañana');
    expect(c.lastText()).toMatch(/folio \*F-\d{6}\*/);
    expect(said.join('\n')).not.toMatch(/reiniciar tu módem|Gracias por los datos/);
    expect((await fallas())[0]?.description).toMatch(/desconecte el modem/);
  });

  it('a restart told in any earlier answer ("ya le movi al modem y le desconecte y nada") skips the question', async () => {
    await start();
    const c = chatOf(ana);
    said.length = 0;
    await c.press('intent:falla');
    await talk(c, 'ya le movi al modem y le desconecte y nada');
    await c.press('cat:sin_internet');
    await talk(c, 'ya lo reinicie, desde ayer');
    expect(c.lastText()).toMatch(/folio/);
    expect(said.join('\n')).not.toMatch(/reiniciar tu módem/);
    expect(await fallas()).toHaveLength(1);
  });

  it('the restart question no longer thanks for data that was never given', async () => {
    await start();
    const c = chatOf(ana);
    await c.press('intent:falla');
    await c.press('cat:lento');
    await c.press('since:today');
    expect(c.lastText()).toMatch(/¿ya intentaste reiniciar tu módem\?/);
    expect(c.lastText()).not.toMatch(/Gracias por los datos/);
  });

  it('a customer suspended for a balance hears why first; "Ya pagué" goes to the pago flow, no falla ticket', async () => {
    await start([ana, suspendida]);
    const c = chatOf(suspendida);
    await c.say('no tengo internet');
    expect(c.lastText()).toMatch(/suspendido.*\$450/);
    expect(ids(c)).toEqual(['pay:done', 'pay:methods', 'other']);
    await c.press('pay:done');
    expect(c.last().at(-1)?.flow).toBe('pago');
    expect(c.lastText()).toMatch(/referencia o el monto/);
    await c.say('ref 771234');
    expect(await fallas()).toHaveLength(0);
    const [pago] = await h.app.deps.store.listIncidents({ type: 'pago' });
    expect(pago).toMatchObject({ customerId: 'C-0020' });
    expect(pago?.description).toMatch(/771234/);
    expect(h.app.alerts.filter((a) => a.kind === 'falla_alta')).toHaveLength(0);
  });

  it('suspended: "me cortaron el internet" → "Formas de pago" shows the bank details; "Es otra falla" goes on with the report', async () => {
    await start([ana, suspendida]);
    const c = chatOf(suspendida);
    await c.say('me cortaron el internet');
    expect(c.lastText()).toMatch(/suspendido/);
    await c.press('pay:methods');
    expect(c.lastText()).toMatch(/CLABE/);
    await c.say('menú');
    await c.say('me cortaron el internet');
    await c.press('other');
    expect(ids(c)).toContain('since:today');
    await c.press('since:today');
    await c.press('yes');
    expect(c.lastText()).toMatch(/folio/);
    expect((await fallas())[0]).toMatchObject({ customerId: 'C-0020', category: 'sin_internet' });
  });

  it('the category step: thanks or "no nada ya" end the flow politely, and a Menú button is offered', async () => {
    await start();
    const c = chatOf(ana);
    await c.press('intent:falla');
    expect(ids(c)).toContain('menu');
    await c.say('muchas gracias muy amable 🙏');
    expect(c.lastText()).not.toMatch(/no te entendí/);
    expect(c.lastText()).toMatch(/Gracias por escribirnos/);
    await c.press('intent:falla');
    await c.say('no nada ya');
    expect(c.lastText()).not.toMatch(/no te entendí/);
    expect(c.lastText()).toMatch(/dejamos eso/);
    expect(await fallas()).toHaveLength(0);
  });

  it('wifi name or password questions get a tip and a person, not an outage ticket', async () => {
    await start();
    const c = chatOf(ana);
    await c.say('como le cambio el nombre a mi red wifi');
    expect(c.lastText()).toMatch(/etiqueta.*módem/);
    expect(ids(c)).toEqual(['intent:humano', 'menu']);
    await c.press('intent:falla');
    await c.say('cual es la contraseña del wifi');
    expect(c.lastText()).toMatch(/contraseña de tu wifi/);
    expect(await fallas()).toHaveLength(0);
  });
});
