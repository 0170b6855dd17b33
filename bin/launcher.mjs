#!/usr/bin/env node
// Runs launcher.ts through tsx, so there is no build step between a checkout and a running bot.
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

// A .env in the working directory fills variables the environment does not already set.
if (existsSync('.env')) process.loadEnvFile('.env');
register();
await import('../launcher.ts');
