import { createInterface } from 'node:readline';
import { createChatSession, type ChatReply, type ChatUser } from '../channels/console/chatSession.ts';
import { bootApp, type Runtime } from './boot.ts';

export interface ChatOptions extends ChatUser {
  json: boolean;
}

/**
 * `launcher chat --user ID …`: reads the user's lines from stdin and prints the bot's replies
 * (with --json, one object per reply). State lives in DATA_DIR or REDIS_URL, so a later
 * invocation continues the same conversation.
 */
export async function runChat(runtime: Runtime, options: ChatOptions, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const app = await bootApp(runtime);
  try {
    const chat = createChatSession(app.gateway, options);
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) {
      if (!line.trim()) continue;
      for (const reply of await chat.send(line)) out.write(options.json ? `${JSON.stringify(toJson(reply))}\n` : `${formatReply(reply)}\n`);
    }
  } finally {
    await app.close();
  }
}

function toJson(reply: ChatReply): Record<string, unknown> {
  return { text: reply.text, quickReplies: reply.quickReplies, intent: reply.intent ?? null, flow: reply.flow ?? null };
}

/** Plain-text rendering shared with the console channel: text, then numbered quick replies. */
export function formatReply(reply: ChatReply): string {
  const buttons = reply.quickReplies.map((q, i) => `  ${i + 1}) ${q.title}  [${q.id}]`);
  return [reply.text, ...buttons].join('\n');
}
