import type { Reply } from '../core/types.ts';
import { parsePhoneAnswer, parsePlanChoice, validateFullName } from '../domain/answers.ts';
import { findPlan } from '../domain/catalog.ts';
import { checkCoverage, type CoverageResult } from '../domain/coverage.ts';
import type { FlowContext } from './flow.ts';
import { notedReply, slotsOf, type Field, type Slots } from './registroReplies.ts';

/**
 * How the registro flow reads answers into its slots: values for other questions carried by an
 * answer ("vivo en la loma" when asked the name), and corrections at the summary ("la zona está
 * mal, es la loma"). They only change slots; the flow decides what to ask next (registro.ts).
 */

export function setZone(s: Slots, cov: Extract<CoverageResult, { kind: 'covered' }>): void {
  s.zone = cov.zone.name;
  if (cov.colonia) s.colonia = cov.colonia;
  else delete s.colonia;
}

/** What an answer brought for slots other than the pending one: the "noted" reply, or a place we do not reach. */
export interface Absorbed {
  noted?: Reply;
  outside?: string;
}

/** Fills slots other than `pending` from the answer's entities (NLU zone/area, plan speed, phone). */
export function absorb(ctx: FlowContext, pending: Field | 'summary'): Absorbed {
  const s = slotsOf(ctx);
  const { config } = ctx.deps;
  const { text, nlu, action } = ctx.input;
  if (action) return {};
  const { zona, area, plan_mbps, phone } = nlu.entities;
  const filled: Field[] = [];
  let outside: string | undefined;
  if (pending !== 'zone' && !s.waitlist && (zona || area)) {
    const cov = checkCoverage(config, text, { ...(zona ? { zona } : {}), ...(area ? { area } : {}) });
    if (cov.kind === 'covered') {
      setZone(s, cov);
      filled.push('zone');
    } else if (cov.kind === 'outside') outside = cov.place;
  }
  const plan = pending !== 'plan' && !s.waitlist ? findPlan(config, plan_mbps) : undefined;
  if (plan) {
    s.planMbps = plan.mbps;
    filled.push('plan');
  }
  const typed = pending !== 'phone' && phone ? parsePhoneAnswer(config, '', phone) : undefined;
  if (typed) {
    s.phone = typed;
    s.phoneVouched = false;
    s.phoneManual = true;
    filled.push('phone');
  }
  const noted = notedReply(ctx, filled);
  return { ...(noted ? { noted } : {}), ...(outside ? { outside } : {}) };
}

export const leadOf = (a: Absorbed): Reply[] => (a.noted ? [a.noted] : []);

/** The outcome of a correction: the value was set, the field was cleared (ask it again), or the new place is outside. */
export type Correction = { kind: 'set' } | { kind: 'cleared' } | { kind: 'outside'; place: string };

/**
 * Sets `field` from a correction's value ("la loma", "el de 100", "Karla Pérez", "55 1234 5678");
 * without a usable value, clears the field so that it is asked again.
 */
export function applyCorrection(ctx: FlowContext, field: Field, value: string | undefined): Correction {
  const s = slotsOf(ctx);
  const { config } = ctx.deps;
  const { nlu } = ctx.input;
  switch (field) {
    case 'name': {
      const name = value ? validateFullName(value) : undefined;
      if (name) return (s.name = name), { kind: 'set' };
      delete s.name;
      delete s.profile;
      s.nameOffered = true;
      break;
    }
    case 'zone': {
      const cov = value ? checkCoverage(config, value, {}, { anyPlace: true }) : undefined;
      if (cov?.kind === 'covered') return setZone(s, cov), { kind: 'set' };
      if (cov?.kind === 'outside') return { kind: 'outside', place: cov.place };
      delete s.zone;
      delete s.colonia;
      break;
    }
    case 'plan': {
      const plan = value ? parsePlanChoice(config, value, nlu.entities.plan_mbps) : undefined;
      if (plan) return (s.planMbps = plan.mbps), { kind: 'set' };
      delete s.planMbps;
      break;
    }
    case 'phone': {
      s.phoneManual = true;
      s.phoneVouched = false;
      const phone = value ? parsePhoneAnswer(config, value, nlu.entities.phone) : undefined;
      if (phone) return (s.phone = phone), { kind: 'set' };
      delete s.phone;
      break;
    }
  }
  return { kind: 'cleared' };
}

/** Words that ask to change a datum: "corregir", "está mal", "cámbialo"… */
export const FIX_WORDS = /\b(corregir|corrige|cambiar|cambia|cambialo|editar|mal|error|equivocad[oa]|incorrect[oa])\b/;
