import { findPlan, planLabel, plansByPrice } from '../../domain/catalog.ts';
import { checkCoverage } from '../../domain/coverage.ts';
import type { Slots as RegistroSlots } from '../../flows/registroReplies.ts';
import { checkCoverageTool, getPaymentInfo, getPlans, requestPerson, startRegistration } from './declarations.ts';
import { requireRole, type HandlerOf } from './types.ts';

/** Handlers of the tools anyone may use: catalogue, coverage, payment info, and the flows that sign up or hand off. */

export const handleGetPlans: HandlerOf<typeof getPlans> = async (_args, ctx) => {
  requireRole(ctx, getPlans);
  const { config, msg } = ctx.deps;
  return {
    response: {
      currency: config.isp.currency,
      plans: plansByPrice(config).map((p) => ({ name: p.name, mbps: p.mbps, monthlyPrice: p.price, label: planLabel(msg, config, p) })),
    },
  };
};

export const handleGetPaymentInfo: HandlerOf<typeof getPaymentInfo> = async (_args, ctx) => {
  requireRole(ctx, getPaymentInfo);
  const { payments } = ctx.deps.config;
  return { response: { methods: payments.methods, bank: payments.bank } };
};

export const handleCheckCoverage: HandlerOf<typeof checkCoverageTool> = async (args, ctx) => {
  requireRole(ctx, checkCoverageTool);
  const result = checkCoverage(ctx.deps.config, args.place, {}, { anyPlace: true });
  switch (result.kind) {
    case 'covered':
      return { response: { covered: true, zone: result.zone.name, ...(result.colonia ? { colonia: result.colonia } : {}) } };
    case 'outside':
      return { response: { covered: false, place: result.place, waitingList: 'start_registration con zone = el lugar la anota en lista de espera' } };
    case 'unknown':
      return { response: { covered: 'unknown', zones: ctx.deps.config.zones.map((z) => z.name) } };
  }
};

/** Sign-up through the registro flow; a zone and plan the person already named are passed as its slots. */
export const handleStartRegistration: HandlerOf<typeof startRegistration> = async (args, ctx) => {
  requireRole(ctx, startRegistration);
  const { config } = ctx.deps;
  const slots: RegistroSlots = {};
  const coverage = args.zone ? checkCoverage(config, args.zone, {}, { anyPlace: true }) : undefined;
  if (coverage?.kind === 'covered') {
    slots.zone = coverage.zone.name;
    if (coverage.colonia) slots.colonia = coverage.colonia;
  } else if (coverage?.kind === 'outside') {
    slots.waitlist = true;
    slots.place = coverage.place;
  }
  const plan = slots.waitlist ? undefined : findPlan(config, args.planMbps);
  if (plan) slots.planMbps = plan.mbps;
  return { response: { status: 'flow_started', flow: 'registro' }, startFlow: { flow: 'registro', slots: { ...slots } } };
};

/** A person takes over through the humano flow (ticket with the conversation summary, staff alert, quiet time). */
export const handleRequestPerson: HandlerOf<typeof requestPerson> = async (_args, ctx) => {
  requireRole(ctx, requestPerson);
  return { response: { status: 'flow_started', flow: 'humano' }, startFlow: { flow: 'humano' } };
};
