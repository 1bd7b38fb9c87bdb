// Cross-service specs: the built services and gateway run as child processes, as deployed.
module.exports = require('../jest.preset.js').projectConfig(__dirname, {
  kind: 'integration',
  migrate: ['identity'],
  globalSetup: require.resolve('@mission-control/testing/global-setup'),
  globalTeardown: require.resolve('@mission-control/testing/global-teardown'),
  testTimeout: 120_000,
});
