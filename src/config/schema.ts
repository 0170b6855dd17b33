import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
const priority = z.enum(['alta', 'media', 'baja']);
const fieldAliases = z.record(z.string(), z.array(z.string().min(1)));

export const planSchema = z.object({
  name: z.string().min(1),
  mbps: z.number().int().positive(),
  price: z.number().positive(),
});

export const zoneSchema = z.object({
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
});

export const retentionRuleSchema = z.object({
  when: z
    .object({
      reasons: z.array(z.enum(['precio', 'fallas', 'me_mudo', 'otro_proveedor', 'otro'])).optional(),
      minTenureMonths: z.number().nonnegative().optional(),
      maxTenureMonths: z.number().nonnegative().optional(),
      plansMbps: z.array(z.number().int().positive()).optional(),
      minOpenTickets: z.number().int().nonnegative().optional(),
      overdue: z.boolean().optional(),
    })
    .strict(),
  offer: z.string().min(1).max(200),
});

export const configSchema = z
  .object({
    isp: z.object({
      name: z.string().min(1),
      emojis: z.boolean().default(true),
      currency: z.string().length(3).default('MXN'),
      timezone: z.string().min(1).default('America/Mexico_City'),
      defaultCountry: z.string().length(2).default('MX'),
    }),
    plans: z.array(planSchema).min(1),
    zones: z.array(zoneSchema).min(1),
    outsideCoverage: z.array(z.string().min(1)).default([]),
    incidents: z.object({
      priority: z.object({ sin_internet: priority, lento: priority, intermitente: priority, otro: priority }),
      escalateAfterHours: z.number().positive().default(24),
      responseTime: z.object({ alta: z.string(), media: z.string(), baja: z.string() }),
      massOutage: z.object({
        threshold: z.number().int().min(2).default(3),
        windowMinutes: z.number().int().positive().default(60),
      }),
    }),
    retention: z.array(retentionRuleSchema).min(1),
    businessHours: z.object({
      timezone: z.string().min(1),
      days: z.array(z.number().int().min(0).max(6)).min(1),
      open: hhmm,
      close: hhmm,
    }),
    payments: z.object({
      methods: z.array(z.string().min(1)).min(1),
      bank: z.object({ bank: z.string(), holder: z.string(), clabe: z.string().regex(/^\d{18}$/, 'expected an 18-digit CLABE'), reference: z.string() }),
    }),
    staff: z.object({
      telegramIds: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
      whatsappNumbers: z.array(z.string()).default([]),
      telegramGroupId: z.union([z.string(), z.number()]).transform(String).nullable().default(null),
    }),
    sessions: z.object({
      ttlMinutes: z.number().positive().default(30),
      historyTurns: z.number().int().min(0).max(50).default(10),
    }),
    flows: z.object({
      maxAttempts: z.number().int().min(1).max(10).default(3),
      handoffQuietMinutes: z.number().nonnegative().default(120),
    }),
    sheet: z.object({
      tabs: z.object({
        customers: z.string().min(1).default('Clientes'),
        incidents: z.string().min(1).default('Incidentes'),
        prospects: z.string().min(1).default('Prospectos'),
      }),
      columnAliases: z
        .object({ Clientes: fieldAliases.default({}), Incidentes: fieldAliases.default({}), Prospectos: fieldAliases.default({}) })
        .partial()
        .default({}),
    }),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<number>();
    cfg.plans.forEach((p, i) => {
      if (seen.has(p.mbps)) ctx.addIssue({ code: 'custom', path: ['plans', i, 'mbps'], message: `duplicate plan of ${p.mbps} Mbps` });
      seen.add(p.mbps);
    });
  });

export type IspConfig = z.infer<typeof configSchema>;
export type Plan = z.infer<typeof planSchema>;
export type Zone = z.infer<typeof zoneSchema>;
export type RetentionRule = z.infer<typeof retentionRuleSchema>;
export type Priority = z.infer<typeof priority>;
