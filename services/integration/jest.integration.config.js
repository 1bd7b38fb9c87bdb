module.exports = require('../../jest.preset.js').projectConfig(__dirname, {
  kind: 'integration',
  migrate: ['integration'],
  globalSetup: require.resolve('@mission-control/testing/global-setup'),
  globalTeardown: require.resolve('@mission-control/testing/global-teardown'),
});
