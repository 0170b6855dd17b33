import { randomUUID } from 'node:crypto';
import type { ChannelName, InboundMessage, QuickReply, Role } from '../../core/types.ts';
import type { Gateway } from '../../gateway.ts';

/** Who is chatting, as `launcher chat` / `--mode console` flags describe them. */
export interface ChatUser {
  user: string;
  channel?: ChannelName;
  /** `staff` makes a console user staff; ignored on other channels (staff come from config there). */
  role?: Extract<Role, 'customer' | 'staff'>;
  phone?: string;
  name?: string;
}

export interface ChatReply {
  text: string;
  quickReplies: QuickReply[];
  intent?: string;
  flow?: string;
}

export interface ChatSession {
  /**
   * Sends one line as the user. Plain text is a message; `#button ID` presses a quick reply;
   * `#contact PHONE` shares the user's own contact; `#location LAT,LNG` a location;
   * `#media KIND` a photo/voice/sticker the bot cannot read.
   */
  send(line: string): Promise<ChatReply[]>;
}

export function createChatSession(gateway: Gateway, who: ChatUser, clock: () => Date = () => new Date()): ChatSession {
  const channel = who.channel ?? 'console';
  return {
    async send(line) {
      const msg: InboundMessage = {
        channel,
        chatId: who.user,
        userId: who.user,
        messageId: randomUUID(),
        receivedAt: clock().getTime(),
        ...(who.name ? { profileName: who.name } : {}),
        ...(who.phone && channel !== 'telegram' ? { phone: who.phone } : {}),
        ...(channel === 'console' && who.role ? { asRole: who.role } : {}),
        ...parseLine(line),
      };
      const result = await gateway.handle(msg);
      return result.replies.map((r) => ({
        text: r.text,
        quickReplies: r.quickReplies ?? [],
        ...(result.intent ? { intent: result.intent } : {}),
        ...(result.flow ? { flow: result.flow } : {}),
      }));
    },
  };
}

function parseLine(line: string): Partial<InboundMessage> {
  const trimmed = line.trim();
  const command = /^#(button|contact|location|media)\s+(.+)$/i.exec(trimmed);
  if (!command) return { text: trimmed };
  const [, kind, arg = ''] = command;
  switch (kind?.toLowerCase()) {
    case 'button':
      return { action: arg.trim() };
    case 'contact':
      return { contact: { phone: arg.trim(), own: true } };
    case 'location': {
      const [lat, lng] = arg.split(',').map((n) => Number(n.trim()));
      return Number.isFinite(lat) && Number.isFinite(lng) ? { location: { latitude: lat!, longitude: lng! } } : { text: trimmed };
    }
    default:
      return { media: arg.trim() === 'image' || arg.trim() === 'audio' || arg.trim() === 'sticker' ? (arg.trim() as 'image') : 'other' };
  }
}
