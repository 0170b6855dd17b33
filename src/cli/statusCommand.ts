import type { Runtime } from './boot.ts';
import { checkAll, type ComponentStatus } from './status/index.ts';

/** `launcher --mode status`: one line per component. Exit 0 when at least one channel can run. */
export async function runStatus(runtime: Runtime, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const components = await checkAll(runtime.env);
  for (const c of components) out.write(`${formatLine(c)}\n`);
  const runnable = components.filter((c) => c.channel && c.configured && c.reachable);
  if (runnable.length === 0) {
    out.write('\nNo channel can run: set TELEGRAM_BOT_TOKEN for Telegram, or the WHATSAPP_* variables for WhatsApp (see .env.example).\n');
    out.write('The terminal chat needs none of them: `npx launcher --mode console`.\n');
    return 1;
  }
  return 0;
}

function formatLine(c: ComponentStatus): string {
  const state = !c.configured ? 'not configured' : c.reachable === undefined ? 'configured' : c.reachable ? 'configured, reachable' : 'configured, UNREACHABLE';
  const hint = c.configured ? '' : `  (enable with ${c.enabledBy})`;
  return `${c.name.padEnd(14)} ${state.padEnd(24)} ${c.detail}${hint}`;
}
