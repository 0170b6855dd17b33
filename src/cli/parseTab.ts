import { TAB_NAMES, type TabName } from '../sheets/records.ts';
import { CliError } from './boot.ts';

/** The `--tab` option: a tab name of the store, any letter case. */
export function parseTab(value: string): TabName {
  const tab = TAB_NAMES.find((t) => t.toLowerCase() === value.toLowerCase());
  if (!tab) throw new CliError(`unknown tab "${value}": expected ${TAB_NAMES.join(', ')}`);
  return tab;
}
