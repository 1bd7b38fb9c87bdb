// The runner against the real thing: every subgraph service and the gateway, built and started as
// child processes (startStack), on this run's own database and topics; agents are fake CLIs.
module.exports = require('../../jest.preset.js').projectConfig(__dirname, {
  kind: 'integration',
  migrate: Object.keys(require('../../gateway/src/subgraphs.json')),
  globalSetup: require.resolve('@mission-control/testing/global-setup'),
  globalTeardown: require.resolve('@mission-control/testing/global-teardown'),
  testTimeout: 120_000,
});
