import { z } from 'zod';

/**
 * The WhatsApp Cloud API webhook body, as Meta documents it (field `messages`). Objects are
 * loose: Meta adds fields over time and an unknown field must never reject a delivery. Messages
 * and statuses are kept as `unknown` here and parsed one by one, so one malformed item does not
 * hide the rest of a batch.
 */
export const envelopeSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.looseObject({
      id: z.string().optional(),
      changes: z.array(
        z.looseObject({
          field: z.string(),
          value: z.looseObject({}).optional(),
        }),
      ),
    }),
  ),
});

export const messagesValueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp').optional(),
  metadata: z.looseObject({ phone_number_id: z.string(), display_phone_number: z.string().optional() }),
  contacts: z.array(z.looseObject({ wa_id: z.string().optional(), profile: z.looseObject({ name: z.string().optional() }).optional() })).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});

const digits = z.string().regex(/^\d{6,20}$/, 'expected the sender number as digits');

export const messageBaseSchema = z.looseObject({
  from: digits,
  id: z.string().min(1),
  timestamp: z.union([z.string().regex(/^\d+$/), z.number().int()]).transform(Number),
  type: z.string().min(1),
});

const media = z.looseObject({ id: z.string().optional(), mime_type: z.string().optional(), caption: z.string().optional() });

/** The part of each message type we read. Types not listed here are handled as "unsupported". */
export const contentSchemas = {
  text: z.object({ text: z.looseObject({ body: z.string() }) }),
  interactive: z.object({
    interactive: z.union([
      z.looseObject({ type: z.literal('button_reply'), button_reply: z.looseObject({ id: z.string().min(1), title: z.string().optional() }) }),
      z.looseObject({ type: z.literal('list_reply'), list_reply: z.looseObject({ id: z.string().min(1), title: z.string().optional() }) }),
      z.looseObject({ type: z.string() }),
    ]),
  }),
  button: z.object({ button: z.looseObject({ payload: z.string().optional(), text: z.string().optional() }) }),
  location: z.object({
    location: z.looseObject({ latitude: z.coerce.number().min(-90).max(90), longitude: z.coerce.number().min(-180).max(180), name: z.string().optional(), address: z.string().optional() }),
  }),
  image: z.object({ image: media }),
  video: z.object({ video: media }),
  document: z.object({ document: media }),
  audio: z.object({ audio: media }),
  sticker: z.object({ sticker: media }),
  contacts: z.object({
    contacts: z
      .array(z.looseObject({ phones: z.array(z.looseObject({ phone: z.string().optional(), wa_id: z.string().optional() })).optional() }))
      .min(1),
  }),
  reaction: z.object({ reaction: z.looseObject({ message_id: z.string().optional(), emoji: z.string().optional() }) }),
} as const;

export const statusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: z.union([z.string(), z.number()]).optional(),
  recipient_id: z.string().optional(),
  biz_opaque_callback_data: z.string().optional(),
  errors: z.array(z.looseObject({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional() })).optional(),
});
