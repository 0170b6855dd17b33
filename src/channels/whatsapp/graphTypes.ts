/** Bodies of POST /{version}/{phone-number-id}/messages, without `messaging_product` and `to`. */
export interface ButtonRow {
  type: 'reply';
  reply: { id: string; title: string };
}

export interface ListRow {
  id: string;
  title: string;
  description?: string;
}

export type GraphMessage = GraphContent & {
  /** Echoed in the message's status webhooks: how a reply in doubt after a crash is recognised as sent. */
  biz_opaque_callback_data?: string;
};

export type GraphContent =
  | { type: 'text'; text: { body: string; preview_url?: boolean } }
  | { type: 'interactive'; interactive: { type: 'button'; body: { text: string }; action: { buttons: ButtonRow[] } } }
  | { type: 'interactive'; interactive: { type: 'list'; body: { text: string }; action: { button: string; sections: { title?: string; rows: ListRow[] }[] } } }
  | {
      type: 'template';
      template: { name: string; language: { code: string }; components?: { type: 'body'; parameters: { type: 'text'; text: string }[] }[] };
    };

/** Meta's limits for what we send (Cloud API reference, "Messages"). */
export const LIMITS = {
  text: 4096,
  buttonBody: 1024,
  listBody: 4096,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listRows: 10,
  rowTitle: 24,
  rowId: 200,
  rowDescription: 72,
  listButton: 20,
  templateParam: 1024,
} as const;
