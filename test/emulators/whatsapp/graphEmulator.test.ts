import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphEmulator, type GraphEmulator } from './graphEmulator.ts';

/** The emulator refuses what Meta refuses, so adapter tests against it mean something. */
let graph: GraphEmulator;
beforeAll(async () => {
  graph = await startGraphEmulator({ accessToken: 'tok', phoneNumberId: '123', throughputPerSecond: 1000, templates: { alerta: 1 } });
});
afterAll(async () => graph.close());

const send = (body: Record<string, unknown>, token = 'tok', path = '/v21.0/123/messages') =>
  fetch(`${graph.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ messaging_product: 'whatsapp', to: '525512345678', ...body }) });
const errorOrOk = async (res: Response) => (res.ok ? { status: res.status } : errorOf(res));
const errorOf = async (res: Response) => ({ status: res.status, code: ((await res.json()) as { error: { code: number } }).error.code });
const buttons = (n: number, title = (i: number) => `B${i}`) => ({
  type: 'interactive',
  interactive: { type: 'button', body: { text: 'x' }, action: { buttons: Array.from({ length: n }, (_, i) => ({ type: 'reply', reply: { id: `b${i}`, title: title(i) } })) } },
});
const list = (rows: number, title = 'Fila') => ({
  type: 'interactive',
  interactive: { type: 'list', body: { text: 'x' }, action: { button: 'Ver', sections: [{ rows: Array.from({ length: rows }, (_, i) => ({ id: `r${i}`, title: `${title}${i}` })) }] } },
});

describe('Graph API emulator', () => {
  it('accepts valid text, buttons, list and template messages and records them with a wamid', async () => {
    const before = graph.sent.length;
    for (const body of [{ type: 'text', text: { body: 'hola' } }, buttons(3), list(10), { type: 'template', template: { name: 'alerta', language: { code: 'es_MX' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'x' }] }] } }]) {
      const res = await send(body);
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(((await res.json()) as { messages: { id: string }[] }).messages[0]?.id).toMatch(/^wamid\./);
    }
    expect(graph.sent.slice(before).map((m) => m.type)).toEqual(['text', 'interactive', 'interactive', 'template']);
  });

  it.each([
    ['4 buttons', buttons(4)],
    ['a button title of 21 characters', buttons(1, () => 'x'.repeat(21))],
    ['duplicate button titles', buttons(2, () => 'Igual')],
    ['11 list rows', list(11)],
    ['a row title of 25 characters', list(1, 'x'.repeat(24))],
    ['text over 4096 characters', { type: 'text', text: { body: 'x'.repeat(4097) } }],
    ['a template parameter with a new line', { type: 'template', template: { name: 'alerta', language: { code: 'es_MX' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'a\nb' }] }] } }],
  ])('refuses %s with 131009', async (_what, body) => {
    expect(await errorOf(await send(body))).toEqual({ status: 400, code: 131009 });
  });

  it('refuses a bad token (190), an unknown template (132001) and a wrong parameter count (132000)', async () => {
    expect(await errorOf(await send({ type: 'text', text: { body: 'x' } }, 'wrong'))).toEqual({ status: 401, code: 190 });
    expect(await errorOf(await send({ type: 'template', template: { name: 'nope', language: { code: 'es_MX' } } }))).toEqual({ status: 404, code: 132001 });
    expect(await errorOf(await send({ type: 'template', template: { name: 'alerta', language: { code: 'es_MX' } } }))).toEqual({ status: 400, code: 132000 });
  });

  it('answers injected 130429 / 131047 / 131056 / 500 in order, for one recipient or anyone', async () => {
    graph.failNext(131047, 1, '525500000000');
    graph.failNext(130429);
    graph.failNext(131056);
    graph.failNext(500);
    const text = { type: 'text', text: { body: 'x' } };
    expect(await errorOf(await send(text))).toEqual({ status: 400, code: 130429 });
    expect(await errorOf(await send(text))).toEqual({ status: 400, code: 131056 });
    expect(await errorOf(await send(text))).toEqual({ status: 500, code: 1 });
    expect(await errorOf(await send({ ...text, to: '525500000000' }))).toEqual({ status: 400, code: 131047 });
  });

  it('enforces the per-number throughput with 130429', async () => {
    const slow = await startGraphEmulator({ accessToken: 'tok', phoneNumberId: '123', throughputPerSecond: 3 });
    try {
      const sends = Array.from({ length: 10 }, (_, i) =>
        fetch(`${slow.url}/v21.0/123/messages`, {
          method: 'POST',
          headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
          body: JSON.stringify({ messaging_product: 'whatsapp', to: '525512345678', type: 'text', text: { body: `n${i}` } }),
        }).then(errorOrOk),
      );
      const results = await Promise.all(sends);
      expect(results).toContainEqual({ status: 400, code: 130429 });
      expect(slow.sent.length).toBeLessThan(10);
    } finally {
      await slow.close();
    }
  });
});
