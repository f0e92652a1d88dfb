#!/usr/bin/env node
// Entry of the `outbound` CLI: loads the TypeScript sources through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('../local/cli/cli.ts');
