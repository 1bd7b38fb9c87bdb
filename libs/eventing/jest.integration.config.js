module.exports = require('../../jest.preset.js').projectConfig(__dirname, {
  kind: 'integration',
  // The backbone is exercised on a real service schema: the mission service's event log.
  migrate: ['mission'],
  globalSetup: require.resolve('@mission-control/testing/global-setup'),
  globalTeardown: require.resolve('@mission-control/testing/global-teardown'),
  testTimeout: 180_000,
});
