// Journeys through the web app in Chromium: the built services, gateway and web app run as child
// processes against the real engines, as in the integration suites.
module.exports = require('../jest.preset.js').projectConfig(__dirname, {
  kind: 'browser',
  migrate: Object.keys(require('../gateway/src/subgraphs.json')),
  globalSetup: require.resolve('@mission-control/testing/global-setup'),
  globalTeardown: require.resolve('@mission-control/testing/global-teardown'),
  testTimeout: 300_000,
});
