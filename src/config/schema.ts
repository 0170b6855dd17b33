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
    whatsapp: z
      .object({
        /** Language code of the approved templates (Meta's codes: es_MX, es, en_US…). */
        templateLanguage: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'expected a Meta language code such as es_MX').default('es_MX'),
        templates: z
          .object({
            /** Approved template with one body variable {{1}} = the alert text; for staff outside the 24-hour window. */
            staffAlert: z.string().regex(/^[a-z0-9_]{1,512}$/, 'expected a template name such as alerta_personal').nullable().default(null),
            /** Approved template without variables that invites a customer back when a reply falls outside the window. */
            customerReopen: z.string().regex(/^[a-z0-9_]{1,512}$/, 'expected a template name such as seguimiento').nullable().default(null),
            /** Approved template with one body variable {{1}} = the outreach text; for campaigns and reminders outside the 24-hour window (null = not sendable there). */
            outreach: z.string().regex(/^[a-z0-9_]{1,512}$/, 'expected a template name such as aviso_clientes').nullable().default(null),
          })
          .prefault({}),
        /** Label of the button that opens a list of options (≤ 20 characters, Meta's limit). */
        listButton: z.string().min(1).max(20).default('Ver opciones'),
        /** Body of the extra list message when a reply has more than 10 options. */
        moreOptions: z.string().min(1).max(200).default('Más opciones:'),
      })
      .prefault({}),
    sessions: z.object({
      ttlMinutes: z.number().positive().default(30),
      historyTurns: z.number().int().min(0).max(50).default(10),
    }),
    flows: z.object({
      maxAttempts: z.number().int().min(1).max(10).default(3),
      handoffQuietMinutes: z.number().nonnegative().default(120),
    }),
    /** The Gemini agent (used when GEMINI_API_KEY is set); see src/agent/gemini/. */
    gemini: z
      .object({
        /** How the bot sounds, for the model's system instruction (es-MX). */
        tone: z.string().min(1).max(300).default('cálido, breve y claro; tutea a la persona'),
        /** Model calls of tools per turn; past this the model must answer with text. */
        maxToolCallsPerTurn: z.number().int().min(1).max(10).default(4),
        /** Tokens (in + out, all calls of the turn) after which the turn stops calling the model. */
        maxTokensPerTurn: z.number().int().min(1000).max(1_000_000).default(20_000),
        /** Output tokens per model call (thinking tokens count here too). */
        maxOutputTokens: z.number().int().min(64).max(8192).default(1024),
        /** Per request; a timed-out request is retried while the turn budget lasts. */
        timeoutSeconds: z.number().positive().max(60).default(8),
        /** Everything Gemini does in one turn, retries included; then the offline path answers. Below the gateway's 30 s turn lock. */
        turnBudgetSeconds: z.number().positive().max(25).default(20),
        /** Attempts per model request on 429 / 500 / 503 / 504 / timeouts / network errors. */
        maxAttempts: z.number().int().min(1).max(6).default(3),
        /** Gemini turns (with their tool calls and results) remembered in the session. */
        historyTurns: z.number().int().min(0).max(20).default(6),
        /** Past this spend (USD, ISP's calendar day, all instances) only the offline path answers. */
        dailySpendCapUsd: z.number().nonnegative().default(2),
        /** The model's list price, to compute the spend (USD per 1M tokens; thinking tokens are output). */
        priceUsdPer1MTokens: z
          .object({ input: z.number().nonnegative().default(0.3), output: z.number().nonnegative().default(2.5) })
          .prefault({}),
        temperature: z.number().min(0).max(2).default(0.3),
        /** Thinking tokens per call (2.5 models): 0 = off (fast, cheap), -1 = dynamic, null = the model's default. */
        thinkingBudget: z.number().int().min(-1).max(24_576).nullable().default(0),
      })
      .prefault({}),
    /** Proactive outreach (src/outreach/): billing reminders, churn scores, segments, campaigns. */
    outreach: z
      .object({
        reminders: z
          .object({
            /** Days relative to the due date: -3 = three days before, 0 = on the day, 3 = three days overdue. */
            offsetsDays: z.array(z.number().int().min(-28).max(60)).min(1).default([-3, 0, 3]),
            /** While the server runs, the reminder pass runs every this many minutes (0 = never; run the command from cron). */
            everyMinutes: z.number().int().min(0).max(1440).default(60),
          })
          .prefault({}),
        /** No outreach between start and end (ISP's time zone); end < start spans midnight. */
        quietHours: z.object({ start: hhmm.default('21:00'), end: hhmm.default('09:00') }).prefault({}),
        churn: z
          .object({
            /** Below this many cancelled customers the rule-based score is used instead of the model. */
            minCancelled: z.number().int().min(2).default(20),
            /** Scores at or above this count as "en riesgo". */
            riskThreshold: z.number().min(0).max(1).default(0.5),
          })
          .prefault({}),
        /** Campaign name → who it reaches; `launcher outreach run --campaign NAME`. */
        campaigns: z
          .record(
            z.string().regex(/^[a-z0-9_-]{1,40}$/, 'expected a campaign name such as bienvenida'),
            z.object({
              description: z.string().max(200).default(''),
              /** Only customers with one of these profiles; empty = all. */
              profiles: z.array(z.enum(['nuevo', 'primera_instalacion', 'recurrente', 'reactivado', 'vip', 'en_riesgo'])).default([]),
              /** At-risk customers get the retention offer the decision table (`retention`) chooses for them. */
              retentionOffer: z.boolean().default(false),
              /** Staff approve the drafts first (`outreach preview` then `outreach approve`); `run` sends only approved drafts. */
              approval: z.boolean().default(false),
            }),
          )
          .default({ general: { description: 'Mensaje para todos los clientes activos', profiles: [], retentionOffer: false, approval: false } }),
        /** Every outbound outreach message is logged; with GOOGLE_SHEETS_ID also in this tab of the Sheet. */
        notifications: z.object({ sheetTab: z.string().min(1).max(100).default('Notificaciones') }).prefault({}),
      })
      .prefault({}),
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
      /** The Google Sheets adapter (used when GOOGLE_SHEETS_ID is set). */
      google: z
        .object({
          /** How long a read of the sheet is reused; staff edits show up in the bot within this. */
          cacheTtlSeconds: z.number().min(0).max(3600).default(120),
          /** Writes due within this window go in one batch request. */
          writeDelaySeconds: z.number().min(0).max(60).default(2),
          /** Our share of Google's 60 read / 60 write requests per minute per user (shared by all instances). */
          readsPerMinute: z.number().int().min(6).max(300).default(48),
          writesPerMinute: z.number().int().min(6).max(300).default(48),
          /** Attempts per API request on 429 / 5xx / timeouts, with exponential backoff and jitter. */
          maxAttempts: z.number().int().min(1).max(10).default(5),
          requestTimeoutSeconds: z.number().positive().max(120).default(20),
        })
        .prefault({}),
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
