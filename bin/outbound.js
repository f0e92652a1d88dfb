#!/usr/bin/env node
// Entry of the `outbound` CLI: loads the TypeScript sources through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

// The Lambdas run on Node 22; the local CLI also runs on Node 20, where the SDK would warn on every start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../local/cli.ts');
