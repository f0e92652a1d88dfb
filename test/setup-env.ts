// Tests run on Node 20 here; the SDK's Node-version notice is noise in their output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Handlers log at INFO in the cloud; in tests that would bury the test runner's own output.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
