// Against the Postgres in DATABASE_URL (default 127.0.0.1:5432): each run creates and drops its own
// database. Not on the shared @mission-control/testing setup, which itself depends on this library.
module.exports = require('../../jest.preset.js').projectConfig(__dirname, {
  kind: 'integration',
  testTimeout: 120_000,
});
