#!/usr/bin/env node
// Runs pedigree's TypeScript sources through tsx, so `npm ci` needs no build step.
import { register } from 'tsx/esm/api';

if (process.env.NODE_ENV === undefined) process.env.NODE_ENV = 'production';
register();
await import('../src/bin.ts');
