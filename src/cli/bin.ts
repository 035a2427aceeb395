#!/usr/bin/env node
// AWS SDK v3 warns on every start that future releases need Node 22; we support Node 20 on pinned SDK versions.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('./main.js');
process.exitCode = await main(process.argv);
