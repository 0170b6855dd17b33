import type { QuickReply } from '../core/types.ts';
import { formatMoney } from '../domain/catalog.ts';
import { getFinanceSummary, type FinanceSummary } from '../domain/staff/finance.ts';
import type { Insight } from '../domain/staff/insights.ts';
import { countText, siblingQuestion, staffTurnAway, zoneFromInput } from './estadisticas.ts';
import { ask, retry, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { intentButton, menuButton, zoneQuickReplies } from './menu.ts';

/** Staff: monthly revenue, average per customer, overdue accounts and a few findings. */

const OVERDUE_WORDS = /vencid|moros|adeud|deud|deben|debe\b|cobrar/i;
const OVERDUE_LIST_MAX = 5;

function quickReplies(ctx: FlowContext): QuickReply[] {
  const { msg, config } = ctx.deps;
  return [
    { id: 'overdue', title: msg.t('finanzas.buttons.overdue') },
    ...zoneQuickReplies(config),
    intentButton(msg, 'estadisticas'),
    intentButton(msg, 'buscar_cliente'),
    menuButton(msg),
  ];
}

function insightText(ctx: FlowContext, insight: Insight, money: (n: number) => string): string {
  const { msg } = ctx.deps;
  switch (insight.kind) {
    case 'topIncidentZone':
      return msg.t('finanzas.insights.topIncidentZone', { zone: insight.zone, count: insight.count, days: insight.days });
    case 'debtConcentration':
      return msg.t('finanzas.insights.debtConcentration', { zone: insight.zone, percent: insight.percent });
    case 'dueThisWeek':
      return msg.t('finanzas.insights.dueThisWeek', { customers: countText(msg, 'finanzas', 'customer', insight.count), amount: money(insight.amount) });
    case 'topPlanRevenue':
      return msg.t('finanzas.insights.topPlanRevenue', { mbps: insight.mbps, percent: insight.percent });
  }
}

function summaryText(ctx: FlowContext, f: FinanceSummary): string {
  const { msg, config } = ctx.deps;
  const money = (n: number): string => formatMoney(n, f.currency);
  const plan = (mbps: number | null): string => (mbps === null ? msg.t('finanzas.noPlan') : msg.t('finanzas.planItem', { mbps }));
  const lines = [
    f.zone ? msg.t('finanzas.titleZone', { zone: f.zone }) : msg.t('finanzas.title', { isp: config.isp.name }),
    msg.t('finanzas.mrr', { mrr: money(f.mrr), customers: countText(msg, 'finanzas', 'customer', f.activeCustomers) }),
    msg.t('finanzas.arpu', { arpu: money(f.arpu) }),
  ];
  if (f.byPlan.length) lines.push(msg.t('finanzas.byPlan', { list: f.byPlan.map((p) => `${plan(p.key)} ${money(p.amount)} (${p.count})`).join(' · ') }));
  if (f.byZone.length) {
    lines.push(msg.t('finanzas.byZone', { list: f.byZone.map((z) => `${z.key || msg.t('finanzas.noZone')} ${money(z.amount)} (${z.count})`).join(' · ') }));
  }
  lines.push(f.overdue.count ? msg.t('finanzas.overdue', { accounts: countText(msg, 'finanzas', 'account', f.overdue.count), amount: money(f.overdue.amount) }) : msg.t('finanzas.noOverdue'));
  const blocks = [lines.join('\n')];
  if (f.insights.length) blocks.push([msg.t('finanzas.insightsTitle'), ...f.insights.map((i) => `• ${insightText(ctx, i, money)}`)].join('\n'));
  blocks.push(msg.t('finanzas.askNext'));
  return blocks.join('\n\n');
}

function overdueText(ctx: FlowContext, f: FinanceSummary): string {
  const { msg } = ctx.deps;
  const money = (n: number): string => formatMoney(n, f.currency);
  if (!f.overdue.count) return msg.t('finanzas.overdueNone');
  const shown = f.overdue.accounts.slice(0, OVERDUE_LIST_MAX);
  const lines = [
    msg.t('finanzas.overdueTitle', { count: f.overdue.count, amount: money(f.overdue.amount) }),
    ...shown.map((a) =>
      msg.t('finanzas.overdueItem', { id: a.id, name: a.name, zone: a.zone || msg.t('finanzas.noZone'), amount: money(a.amount), days: countText(msg, 'finanzas', 'day', a.daysLate) }),
    ),
  ];
  const hidden = f.overdue.count - shown.length;
  if (hidden > 0) lines.push(msg.t('finanzas.overdueMore', { count: hidden }));
  return lines.join('\n');
}

async function summary(ctx: FlowContext, zone: string | undefined): Promise<FinanceSummary> {
  return getFinanceSummary(ctx.deps, ctx.actor, ctx.now, zone ? { zone } : {});
}

async function showSummary(ctx: FlowContext, zone: string | undefined): Promise<StepResult> {
  return ask('next', { text: summaryText(ctx, await summary(ctx, zone)), quickReplies: quickReplies(ctx) });
}

const wantsOverdue = (ctx: FlowContext): boolean =>
  ctx.input.action === 'overdue' || (!ctx.input.action && OVERDUE_WORDS.test(ctx.input.text));

async function showOverdue(ctx: FlowContext): Promise<StepResult> {
  const text = `${overdueText(ctx, await summary(ctx, undefined))}\n\n${ctx.deps.msg.t('finanzas.askNext')}`;
  return ask('next', { text, quickReplies: quickReplies(ctx) });
}

export const finanzasFlow: Flow = {
  id: 'finanzas',
  roles: ['staff'],
  start: (ctx) => (wantsOverdue(ctx) ? showOverdue(ctx) : showSummary(ctx, zoneFromInput(ctx))),
  steps: {
    next: async (ctx) => {
      const elsewhere = siblingQuestion(ctx, 'finanzas');
      if (elsewhere) return elsewhere;
      if (wantsOverdue(ctx)) return showOverdue(ctx);
      const zone = zoneFromInput(ctx);
      if (zone) return showSummary(ctx, zone);
      return staffTurnAway(ctx, 'finanzas') ?? retry({ text: ctx.deps.msg.t('finanzas.hint'), quickReplies: quickReplies(ctx) });
    },
  },
};
