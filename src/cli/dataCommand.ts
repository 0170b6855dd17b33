import { readFileSync } from 'node:fs';
import type { TabName } from '../sheets/records.ts';
import { exportTab, importTabCsv } from '../data/exportImport.ts';
import { loadDemoData } from '../data/demoData.ts';
import { bootApp, CliError, type Runtime } from './boot.ts';

export async function runDataDemo(runtime: Runtime, options: { seed: number; customers: number }, out = process.stdout): Promise<void> {
  const app = await bootApp(runtime);
  try {
    const summary = await loadDemoData(app.deps.store, runtime.config, options);
    out.write(`${JSON.stringify(summary)}\n`);
  } finally {
    await app.close();
  }
}

export async function runDataExport(runtime: Runtime, tab: TabName, format: 'csv' | 'json', out = process.stdout): Promise<void> {
  const app = await bootApp(runtime);
  try {
    out.write(await exportTab(app.deps.store, tab, format));
  } finally {
    await app.close();
  }
}

export async function runDataImport(runtime: Runtime, tab: TabName, file: string, out = process.stdout): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const app = await bootApp(runtime);
  try {
    const result = await importTabCsv(app.deps.store, tab, text);
    out.write(`imported ${result.imported} rows into ${tab}\n`);
    for (const issue of result.issues) out.write(`  row ${issue.row}: ${issue.message}\n`);
    return result.issues.length > 0 ? 3 : 0;
  } finally {
    await app.close();
  }
}
