import { createInterface } from 'node:readline';
import type { Gateway } from '../../gateway.ts';
import { createChatSession, type ChatReply, type ChatUser } from './chatSession.ts';

export interface ConsoleOptions extends ChatUser {
  banner: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/**
 * The terminal chat: type as the customer (or staff), read the bot. A number presses the quick
 * reply shown with it; `/salir` or Ctrl+D ends the chat.
 */
export async function runConsoleChannel(gateway: Gateway, options: ConsoleOptions): Promise<void> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const chat = createChatSession(gateway, options);
  const rl = createInterface({ input, output, terminal: (input as { isTTY?: boolean }).isTTY === true });
  let shown: ChatReply['quickReplies'] = [];
  output.write(`${options.banner}\n\n`);
  const show = (replies: ChatReply[]): void => {
    for (const r of replies) {
      output.write(`\nbot> ${r.text.replace(/\n/g, '\n     ')}\n`);
      r.quickReplies.forEach((q, i) => output.write(`     ${i + 1}) ${q.title}\n`));
      if (r.quickReplies.length) shown = r.quickReplies;
    }
    output.write('\n');
  };
  rl.setPrompt('you> ');
  rl.prompt();
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === '/salir' || line === '/exit') break;
      if (line) {
        const picked = /^\d{1,2}$/.test(line) ? shown[Number(line) - 1] : undefined;
        show(await chat.send(picked ? `#button ${picked.id}` : line));
      }
      rl.prompt();
    }
  } finally {
    rl.close();
  }
}
