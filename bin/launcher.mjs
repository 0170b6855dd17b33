#!/usr/bin/env node
// Runs launcher.ts through tsx, so there is no build step between a checkout and a running bot.
import { register } from 'tsx/esm/api';

register();
await import('../launcher.ts');
