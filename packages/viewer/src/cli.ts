#!/usr/bin/env node
// The `agent-otel-viewer` command. Node 22 warns when node:sqlite loads, and a static import would load
// it before any code here runs: the warning filter goes first, then the command is imported.
import './quiet-sqlite-warning.js';

import('./command.js').catch((error: unknown) => {
  process.stderr.write(
    `agent-otel viewer: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
