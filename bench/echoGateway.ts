/**
 * The bench's yardstick: a dependency-free WhatsApp "gateway" that only checks the signature and
 * echoes the text back through the Graph API (node:http in, one keep-alive undici pool out). The
 * issue measures the harness with such a gateway (≈ 4,000 msg/s); printing it beside our figures
 * tells how much of the machine the load generator and the emulator take on this run.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

export interface EchoGateway {
  url: string;
  close(): Promise<void>;
}

export async function startEchoGateway(o: { appSecret: string; graphUrl: string; phoneNumberId: string; accessToken: string }): Promise<EchoGateway> {
  const graph = new Pool(o.graphUrl, { connections: 64 });
  const path = `/v21.0/${o.phoneNumberId}/messages`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${o.accessToken}` };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const given = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''));
      const wanted = Buffer.from(`sha256=${createHmac('sha256', o.appSecret).update(body).digest('hex')}`);
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return void res.writeHead(401).end();
      res.writeHead(200).end();
      const payload = JSON.parse(body.toString('utf8')) as { entry: { changes: { value: { messages?: { from: string; text?: { body: string } }[] } }[] }[] };
      for (const entry of payload.entry)
        for (const change of entry.changes)
          for (const m of change.value.messages ?? []) {
            const reply = JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to: m.from.replace(/^521/, '52'), type: 'text', text: { body: m.text?.body ?? '' } });
            void graph.request({ method: 'POST', path, headers, body: reply }).then((r) => r.body.dump(), () => undefined);
          }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    async close() {
      await new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections()));
      await graph.close();
    },
  };
}

// Run as a child process by bench/whatsapp.ts (so its memory and CPU are its own): parent → {graphUrl,
// appSecret, phoneNumberId, accessToken}; ← {url}; then answers {type: 'usage'} with its CPU and RSS.
if (process.send && process.argv[1]?.endsWith('echoGateway.ts')) {
  process.once('message', async (o: { graphUrl: string; appSecret: string; phoneNumberId: string; accessToken: string }) => {
    const gateway = await startEchoGateway(o);
    process.on('message', (m: { type: string }) => {
      if (m.type === 'usage') {
        const cpu = process.cpuUsage();
        process.send!({ type: 'usage', cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.memoryUsage().rss / 2 ** 20, heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20 });
      } else if (m.type === 'close') void gateway.close().then(() => process.exit(0));
    });
    process.send!({ type: 'ready', url: gateway.url });
  });
}
