// The MCP server against the real thing: every subgraph service and the gateway (its /mcp), built
// and started as child processes (startStack), and the stdio bin spawned from dist/.
module.exports = require('../../jest.preset.js').projectConfig(__dirname, {
  kind: 'integration',
  migrate: Object.keys(require('../../gateway/src/subgraphs.json')),
  globalSetup: require.resolve('@mission-control/testing/global-setup'),
  globalTeardown: require.resolve('@mission-control/testing/global-teardown'),
  testTimeout: 120_000,
});
