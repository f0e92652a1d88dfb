// Tests run on Node 20 here; the SDK's Node-version notice is noise in their output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
