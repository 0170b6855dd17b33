import type { Store } from '../sheets/store.ts';
import type { Metrics } from './metrics.ts';

/**
 * The store with its two business events counted: an incident created is a ticket, a prospect
 * created is a registration, each labelled with the channel recorded on the row.
 * Every other call passes through untouched.
 */
export function countStoreWrites(store: Store, metrics: Metrics): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'createIncident') {
        return async (...args: Parameters<Store['createIncident']>) => {
          const incident = await target.createIncident(...args);
          metrics.tickets.inc({ channel: incident.channel ?? 'none' });
          return incident;
        };
      }
      if (prop === 'createProspect') {
        return async (...args: Parameters<Store['createProspect']>) => {
          const prospect = await target.createProspect(...args);
          metrics.registrations.inc({ channel: prospect.channel ?? 'none' });
          return prospect;
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
