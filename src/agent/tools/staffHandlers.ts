import { getFinanceSummary } from '../../domain/staff/finance.ts';
import { displayPhone, searchCustomers } from '../../domain/staff/search.ts';
import { getStats } from '../../domain/staff/stats.ts';
import { getFinanceSummaryTool, getStatsTool, searchCustomersTool } from './declarations.ts';
import { requireRole, type HandlerOf } from './types.ts';

/**
 * Staff-only handlers. Each checks the role here, and the domain operation checks it again
 * (`requireStaff`): a customer never reaches these rows, whatever the model asks for.
 */

const MAX_OVERDUE_ACCOUNTS = 10;

export const handleGetStats: HandlerOf<typeof getStatsTool> = async (args, ctx) => {
  requireRole(ctx, getStatsTool);
  const stats = await getStats(ctx.deps, ctx.actor, { now: ctx.now, ...(args.zone ? { zone: args.zone } : {}) });
  return { response: { ...stats } };
};

export const handleSearchCustomers: HandlerOf<typeof searchCustomersTool> = async (args, ctx) => {
  requireRole(ctx, searchCustomersTool);
  const country = ctx.deps.config.isp.defaultCountry;
  const page = await searchCustomers(ctx.deps, ctx.actor, args.query, { offset: args.offset ?? 0 });
  return {
    response: {
      total: page.total,
      offset: page.offset,
      ...(page.nextOffset !== undefined ? { nextOffset: page.nextOffset } : {}),
      customers: page.customers.map((c) => ({
        id: c.id,
        name: c.name,
        phone: displayPhone(c.phone, country),
        zone: c.zone,
        ...(c.colonia ? { colonia: c.colonia } : {}),
        ...(c.planMbps !== undefined ? { planMbps: c.planMbps } : {}),
        status: c.status,
        ...(c.dueDate ? { dueDate: c.dueDate } : {}),
        ...(c.balance !== undefined ? { balance: c.balance } : {}),
      })),
    },
  };
};

export const handleGetFinanceSummary: HandlerOf<typeof getFinanceSummaryTool> = async (args, ctx) => {
  requireRole(ctx, getFinanceSummaryTool);
  const summary = await getFinanceSummary(ctx.deps, ctx.actor, ctx.now, args.zone ? { zone: args.zone } : {});
  const { accounts, ...overdue } = summary.overdue;
  return {
    response: {
      ...summary,
      overdue: { ...overdue, largestAccounts: accounts.slice(0, MAX_OVERDUE_ACCOUNTS) },
    },
  };
};
