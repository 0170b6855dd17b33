import { z } from 'zod';

/**
 * What the Cloud API accepts on POST /{version}/{phone-number-id}/messages, with the limits Meta
 * enforces (Cloud API reference: Messages, Interactive messages, Template messages). Written from
 * Meta's documentation, independently of the adapter's own types, so the adapter is tested
 * against the contract rather than against itself.
 */
const noBreaks = (s: string): boolean => !/[\n\t]/.test(s) && !/ {5,}/.test(s);

const text = z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }).strict();

const header = z.object({ type: z.literal('text'), text: z.string().min(1).max(60) }).strict().optional();
const footer = z.object({ text: z.string().min(1).max(60) }).strict().optional();

const buttons = z
  .object({
    type: z.literal('button'),
    header,
    footer,
    body: z.object({ text: z.string().min(1).max(1024) }).strict(),
    action: z
      .object({
        buttons: z
          .array(z.object({ type: z.literal('reply'), reply: z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) }).strict() }).strict())
          .min(1)
          .max(3),
      })
      .strict(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const ids = v.action.buttons.map((b) => b.reply.id);
    const titles = v.action.buttons.map((b) => b.reply.title);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'button ids must be unique' });
    if (new Set(titles).size !== titles.length) ctx.addIssue({ code: 'custom', message: 'button titles must be unique' });
  });

const row = z.object({ id: z.string().min(1).max(200), title: z.string().min(1).max(24), description: z.string().max(72).optional() }).strict();
const list = z
  .object({
    type: z.literal('list'),
    header,
    footer,
    body: z.object({ text: z.string().min(1).max(4096) }).strict(),
    action: z
      .object({
        button: z.string().min(1).max(20),
        sections: z.array(z.object({ title: z.string().min(1).max(24).optional(), rows: z.array(row).min(1) }).strict()).min(1).max(10),
      })
      .strict(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const rows = v.action.sections.flatMap((s) => s.rows);
    if (rows.length > 10) ctx.addIssue({ code: 'custom', message: `a list holds at most 10 rows in total (got ${rows.length})` });
    if (new Set(rows.map((r) => r.id)).size !== rows.length) ctx.addIssue({ code: 'custom', message: 'row ids must be unique' });
    if (v.action.sections.length > 1 && v.action.sections.some((s) => !s.title)) ctx.addIssue({ code: 'custom', message: 'every section needs a title when there are several' });
  });

const template = z
  .object({
    name: z.string().regex(/^[a-z0-9_]{1,512}$/),
    language: z.object({ code: z.string().min(2), policy: z.literal('deterministic').optional() }).strict(),
    components: z
      .array(
        z
          .object({
            type: z.enum(['header', 'body', 'button']),
            sub_type: z.string().optional(),
            index: z.union([z.string(), z.number()]).optional(),
            parameters: z.array(
              z.object({ type: z.literal('text'), text: z.string().min(1).max(1024).refine(noBreaks, 'template parameters cannot hold new lines, tabs or more than 4 spaces in a row') }).strict(),
            ),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

const base = {
  messaging_product: z.literal('whatsapp'),
  recipient_type: z.literal('individual').optional(),
  to: z.string().regex(/^\+?\d{8,15}$/, 'to must be a phone number with country code'),
  context: z.object({ message_id: z.string() }).strict().optional(),
  /** Echoed back in this message's status webhooks. */
  biz_opaque_callback_data: z.string().min(1).max(512).optional(),
};

export const outboundSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('text'), text }).strict(),
  z.object({ ...base, type: z.literal('interactive'), interactive: z.discriminatedUnion('type', [buttons, list]) }).strict(),
  z.object({ ...base, type: z.literal('template'), template }).strict(),
]);

export type Outbound = z.infer<typeof outboundSchema>;
