import type { Reply } from '../core/types.ts';
import { formatMoney } from '../domain/catalog.ts';
import { displayPhone, parseSearchQuery, searchCustomers, type SearchPage, type SearchQuery } from '../domain/staff/search.ts';
import type { Customer } from '../sheets/records.ts';
import { countText, staffTurnAway } from './estadisticas.ts';
import { ask, done, retry, type Flow, type FlowContext, type StepResult } from './flow.ts';
import { intentButton, menuButton } from './menu.ts';

/** Staff: find customers by name (typos and accents forgiven), phone or zone, five at a time. */

const MORE = /^(ver\s+)?m[aá]s\b|^siguientes?\b|^otros\b|^continua/i;

function queryFromInput(ctx: FlowContext): SearchQuery | undefined {
  return parseSearchQuery(ctx.deps.config, ctx.input.text, ctx.input.nlu.entities.zona);
}

function queryLabel(ctx: FlowContext, q: SearchQuery): string {
  if (q.kind === 'zone') return ctx.deps.msg.t('buscar_cliente.zoneQuery', { zone: q.zone });
  return q.kind === 'phone' ? q.digits : q.text;
}

function customerLine(ctx: FlowContext, c: Customer): string {
  const { msg, config } = ctx.deps;
  const line = msg.t('buscar_cliente.line', {
    id: c.id,
    name: c.name,
    phone: displayPhone(c.phone, config.isp.defaultCountry),
    zone: c.zone,
    plan: c.planMbps === undefined ? msg.t('buscar_cliente.noPlan') : msg.t('buscar_cliente.plan', { mbps: c.planMbps }),
    status: msg.t(`buscar_cliente.status.${c.status}`),
  });
  const owed = c.balance ?? 0;
  return owed > 0 ? line + msg.t('buscar_cliente.balance', { amount: formatMoney(owed, config.isp.currency) }) : line;
}

function pageText(ctx: FlowContext, page: SearchPage, q: SearchQuery): string {
  const paged = page.total > page.customers.length;
  const header = ctx.deps.msg.t(paged ? 'buscar_cliente.headerPage' : 'buscar_cliente.header', {
    results: countText(ctx.deps.msg, 'buscar_cliente', 'result', page.total),
    query: queryLabel(ctx, q),
    from: page.offset + 1,
    to: page.offset + page.customers.length,
  });
  return [header, ...page.customers.map((c) => customerLine(ctx, c))].join('\n');
}

/**
 * Runs a search and shows a page. `fresh` is a search typed as the flow starts: when it finds
 * nothing the flow asks again instead of counting a failed answer.
 */
async function run(ctx: FlowContext, q: SearchQuery, offset: number, fresh: boolean): Promise<StepResult> {
  const { msg } = ctx.deps;
  const page = await searchCustomers(ctx.deps, ctx.actor, q, { offset });
  if (!page.customers.length) {
    const reply: Reply = { text: msg.t('buscar_cliente.noResults', { query: queryLabel(ctx, q) }), quickReplies: [menuButton(ctx.deps.msg)] };
    // Deliberately `ask` for the search typed with the request: from `start` there is no step to
    // retry (the engine would end the flow), and it is not a failed answer. Later misses count.
    return fresh ? ask('query', reply) : (staffTurnAway(ctx, 'buscar_cliente') ?? retry(reply));
  }
  const text = pageText(ctx, page, q);
  if (page.nextOffset !== undefined) {
    ctx.slots.query = q;
    ctx.slots.offset = page.nextOffset;
    return ask('more', {
      text: `${text}\n\n${msg.t('buscar_cliente.moreHint')}`,
      quickReplies: [{ id: 'more', title: msg.t('buscar_cliente.buttons.more') }, menuButton(ctx.deps.msg)],
    });
  }
  return done({ text: `${text}\n\n${msg.t('buscar_cliente.end')}`, quickReplies: [intentButton(ctx.deps.msg, 'buscar_cliente'), menuButton(ctx.deps.msg)] });
}

function savedQuery(slots: Record<string, unknown>): { q: SearchQuery; offset: number } | undefined {
  const q = slots.query as SearchQuery | undefined;
  const offset = slots.offset;
  if (!q || typeof q !== 'object' || !['name', 'phone', 'zone'].includes(q.kind) || typeof offset !== 'number') return undefined;
  return { q, offset };
}

function askAgain(ctx: FlowContext): StepResult {
  return staffTurnAway(ctx, 'buscar_cliente') ?? retry({ text: ctx.deps.msg.t('buscar_cliente.invalidQuery'), quickReplies: [menuButton(ctx.deps.msg)] });
}

export const buscarClienteFlow: Flow = {
  id: 'buscar_cliente',
  roles: ['staff'],
  start: (ctx) => {
    const q = queryFromInput(ctx);
    if (q) return run(ctx, q, 0, true);
    return ask('query', { text: ctx.deps.msg.t('buscar_cliente.askQuery'), quickReplies: [menuButton(ctx.deps.msg)] });
  },
  steps: {
    query: (ctx) => {
      const q = queryFromInput(ctx);
      return q ? run(ctx, q, 0, false) : askAgain(ctx);
    },
    more: (ctx) => {
      const saved = savedQuery(ctx.slots);
      if (saved && (ctx.input.action === 'more' || MORE.test(ctx.input.text))) return run(ctx, saved.q, saved.offset, false);
      // Anything else is a new search.
      const q = queryFromInput(ctx);
      return q ? run(ctx, q, 0, false) : askAgain(ctx);
    },
  },
};
