#!/usr/bin/env node
// Entry point: registers tsx so nunatak's TypeScript sources and users' TypeScript
// modules load at run time with no build step, then hands over to the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
