#!/usr/bin/env node
'use strict';
// The `mission-control-mcp` command: the MCP server over stdio. In a fresh checkout (npm ci builds
// nothing) it builds this package and the SDK first, once; stdout is the protocol's, so the build
// reports on stderr.
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const entry = path.join(root, 'dist', 'main.js');
const sdkEntry = path.join(root, '..', 'sdk', 'dist', 'index.js');

if (!existsSync(entry) || (existsSync(path.join(root, '..', 'sdk')) && !existsSync(sdkEntry))) {
  const { execFileSync } = require('node:child_process');
  process.stderr.write('mission-control-mcp: building (first run)…\n');
  try {
    execFileSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-b', path.join(root, 'tsconfig.lib.json')],
      { stdio: ['ignore', 2, 2] },
    );
  } catch {
    process.stderr.write(
      'mission-control-mcp: the build failed (above); run `npx nx run mcp:build`\n',
    );
    process.exit(1);
  }
}

require(entry);
