import { devNull } from 'node:os';
// Tests run on Node 20 here; the SDK's Node-version notice is noise in their output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Handlers log at INFO in the cloud; in tests that would bury the test runner's own output.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
// Handlers publish metrics (EMF) to stdout when OUTBOUND_METRICS_FILE is unset; tests that check them capture them (test/support/emf.ts).
process.env.OUTBOUND_METRICS_FILE ??= devNull;
