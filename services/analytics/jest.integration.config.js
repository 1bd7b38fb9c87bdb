module.exports = require('../../jest.preset.js').projectConfig(__dirname, {
  kind: 'integration',
  migrate: ['analytics'],
  globalSetup: require.resolve('@mission-control/testing/global-setup'),
  globalTeardown: require.resolve('@mission-control/testing/global-teardown'),
});
