#!/usr/bin/env node
// Runs the compiled launcher when `npm run build` made one that is newer than every source file
// (less memory, faster start); otherwise launcher.ts through tsx, so there is no build step
// between a checkout and a running bot.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledEntry } from './compiled.mjs';

// A .env in the working directory fills variables the environment does not already set.
if (existsSync('.env')) process.loadEnvFile('.env');
const compiled = compiledEntry(fileURLToPath(new URL('..', import.meta.url)));
if (compiled) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../launcher.ts');
}
