// Cross-service chaos: the built services and gateway as child processes, with agents and services
// killed mid-work. Run alone, after every other suite (scripts/test.mjs).
module.exports = require('../jest.preset.js').projectConfig(__dirname, {
  kind: 'chaos',
  migrate: Object.keys(require('../gateway/src/subgraphs.json')),
  globalSetup: require.resolve('@mission-control/testing/global-setup'),
  globalTeardown: require.resolve('@mission-control/testing/global-teardown'),
  testTimeout: 300_000,
});
