/** Loads the TSV corpora (`intent<TAB>text`, '#' comments and blank lines ignored). */
import { readFileSync } from 'node:fs';
import { isIntent } from './types.ts';
import type { Example } from './classifier.ts';

export const TRAIN_URL = new URL('./corpus/train.tsv', import.meta.url);
export const HELDOUT_URL = new URL('./corpus/heldout.tsv', import.meta.url);

export function parseCorpus(text: string, source = 'corpus'): Example[] {
  const out: Example[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.startsWith('#')) return;
    const tab = line.indexOf('\t');
    const intent = tab < 0 ? '' : line.slice(0, tab).trim();
    const body = tab < 0 ? '' : line.slice(tab + 1).trim();
    if (!isIntent(intent) || !body) throw new Error(`${source}:${i + 1}: expected "intent<TAB>text", got ${JSON.stringify(line)}`);
    out.push({ intent, text: body });
  });
  return out;
}

export function loadCorpus(url: URL): Example[] {
  return parseCorpus(readFileSync(url, 'utf8'), url.pathname);
}
