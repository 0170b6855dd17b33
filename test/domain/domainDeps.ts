import { fileURLToPath } from 'node:url';
import { loadMessages } from '../../src/config/messages.ts';
import type { IspConfig } from '../../src/config/schema.ts';
import type { FlowDeps } from '../../src/flows/flow.ts';
import { createRecordingNotifier, type StaffAlert } from '../../src/notify/notifier.ts';
import { openLocalStore } from '../../src/sheets/local/localStore.ts';
import { createMemoryKeyValue } from '../../src/state/memoryKeyValue.ts';
import { loadConfig } from '../../src/config/loadConfig.ts';

const root = (p: string): string => fileURLToPath(new URL(`../../${p}`, import.meta.url));

/** The shipped config/isp.yaml (without the app, so domain tests do not need the NLU). */
export const ispConfig = (): IspConfig => loadConfig(root('config/isp.yaml'));

export interface TestClock {
  now: () => Date;
  advance(ms: number): void;
}

/** Real domain deps (in-memory store with the test clock) for unit tests of domain functions. */
export function domainDeps(tweak?: (c: IspConfig) => void): FlowDeps & { alerts: StaffAlert[]; testClock: TestClock } {
  const config = ispConfig();
  tweak?.(config);
  let t = new Date('2026-03-10T16:00:00Z').getTime();
  const clock: TestClock = { now: () => new Date(t), advance: (ms) => void (t += ms) };
  const notifier = createRecordingNotifier();
  return {
    config,
    msg: loadMessages(root('config/messages')),
    store: openLocalStore({ file: ':memory:', columnAliases: config.sheet.columnAliases, clock: clock.now }),
    kv: createMemoryKeyValue(() => clock.now().getTime()),
    notifier,
    clock: clock.now,
    alerts: notifier.alerts,
    testClock: clock,
  };
}
