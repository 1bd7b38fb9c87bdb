// Cross-service specs: the built services and gateway run as child processes, as deployed.
module.exports = require('../jest.preset.js').projectConfig(__dirname, {
  kind: 'integration',
  // Every service the gateway composes runs in the stack.
  migrate: Object.keys(require('../gateway/src/subgraphs.json')),
  globalSetup: require.resolve('@mission-control/testing/global-setup'),
  globalTeardown: require.resolve('@mission-control/testing/global-teardown'),
  testTimeout: 120_000,
});
