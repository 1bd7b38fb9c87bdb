module.exports = require('../../jest.preset.js').projectConfig(__dirname, {
  kind: 'chaos',
  migrate: ['mission'],
  globalSetup: require.resolve('@mission-control/testing/global-setup'),
  globalTeardown: require.resolve('@mission-control/testing/global-teardown'),
  testTimeout: 300_000,
});
