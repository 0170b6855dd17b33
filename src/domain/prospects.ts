import { normalizePhone } from '../core/phone.ts';
import type { FlowDeps } from '../flows/flow.ts';
import type { Prospect } from '../sheets/records.ts';
import { validateFullName } from './answers.ts';
import { findPlan, findZoneByName, planLabel } from './catalog.ts';

/** Sign-ups and the waiting list (the Prospectos tab). */

export const DUPLICATE_WINDOW_MS = 7 * 24 * 3600_000;

export type ProspectDeps = Pick<FlowDeps, 'config' | 'msg' | 'store' | 'notifier' | 'clock'>;

export interface ProspectInput {
  name: string;
  /** Any form; normalised before it is stored. */
  phone: string;
  /** A configured zone; required for `nuevo`, ignored for `lista_espera`. */
  zone?: string;
  colonia?: string;
  /** A configured plan speed; required for `nuevo`. */
  planMbps?: number;
  channel: string;
  /** `nuevo` (sign-up, default) or `lista_espera` (a place we do not reach yet; `colonia` names it). */
  status?: 'nuevo' | 'lista_espera';
  /**
   * The channel vouches that `phone` is the sender's (WhatsApp number, Telegram own contact).
   * Only then is an earlier request with that phone returned as theirs; a typed phone is always
   * written (marked as a possible duplicate for staff), so it never reveals someone else's request.
   */
  phoneVouched?: boolean;
}

export interface RegisterResult {
  prospect: Prospect;
  /** True when the vouched phone already asked in the last 7 days: nothing was written. */
  duplicate: boolean;
}

export type ProspectField = 'name' | 'phone' | 'zone' | 'plan' | 'place';

/** The input does not make a valid prospect; `field` says which answer to ask again. */
export class InvalidProspectError extends Error {
  override readonly name = 'InvalidProspectError';
  constructor(
    readonly field: ProspectField,
    message: string,
  ) {
    super(message);
  }
}

/** A prospect with the same normalised phone created in the last 7 days. */
export async function findRecentProspect(deps: Pick<FlowDeps, 'config' | 'store' | 'clock'>, phone: string): Promise<Prospect | undefined> {
  const normalized = normalizePhone(phone, deps.config.isp.defaultCountry);
  if (!normalized) return undefined;
  const since = deps.clock().getTime() - DUPLICATE_WINDOW_MS;
  const prospects = await deps.store.listProspects();
  return prospects
    .filter((p) => normalizePhone(p.phone, deps.config.isp.defaultCountry) === normalized && Date.parse(p.createdAt) >= since)
    .at(-1);
}

/**
 * Writes a Prospectos row (price from config) and alerts staff (kind `prospecto`), unless the
 * same vouched phone already asked within 7 days; then the earlier row is returned with `duplicate`.
 * Throws InvalidProspectError (with the field) when the input is not a valid request.
 */
export async function registerProspect(deps: ProspectDeps, input: ProspectInput): Promise<RegisterResult> {
  const { config, msg } = deps;
  const status = input.status ?? 'nuevo';
  const phone = normalizePhone(input.phone, config.isp.defaultCountry);
  if (!phone) throw new InvalidProspectError('phone', 'invalid phone');
  const name = validateFullName(input.name);
  if (!name) throw new InvalidProspectError('name', 'invalid name');
  const zone = status === 'nuevo' ? findZoneByName(config, input.zone) : undefined;
  const plan = status === 'nuevo' ? findPlan(config, input.planMbps) : undefined;
  if (status === 'nuevo' && !zone) throw new InvalidProspectError('zone', 'a sign-up needs a configured zone');
  if (status === 'nuevo' && !plan) throw new InvalidProspectError('plan', 'a sign-up needs a configured plan');
  if (status === 'lista_espera' && !input.colonia) throw new InvalidProspectError('place', 'a waiting-list request needs the place');

  const earlier = await findRecentProspect(deps, phone);
  if (earlier && input.phoneVouched === true) return { prospect: earlier, duplicate: true };

  const prospect = await deps.store.createProspect({
    name,
    phone,
    channel: input.channel,
    status,
    ...(zone ? { zone: zone.name } : {}),
    ...(input.colonia ? { colonia: input.colonia } : {}),
    ...(plan ? { planMbps: plan.mbps, price: plan.price } : {}),
    ...(earlier ? { notes: msg.t('registro.possibleDuplicate', { id: earlier.id }) } : {}),
  });
  const text =
    status === 'nuevo' && zone && plan
      ? msg.t('registro.alertNew', { id: prospect.id, name, phone, zone: input.colonia ? `${zone.name} (${input.colonia})` : zone.name, plan: planLabel(msg, config, plan), channel: input.channel })
      : msg.t('registro.alertWaitlist', { id: prospect.id, name, phone, place: input.colonia, channel: input.channel });
  const alert = prospect.notes ? `${text}\n${prospect.notes}` : text;
  await deps.notifier.notifyStaff({ kind: 'prospecto', text: alert, ref: prospect.id, at: deps.clock().toISOString() });
  return { prospect, duplicate: false };
}
