// The specs render the chart (helm-java in a JVM) once per file: allow for a first jar download.
module.exports = {
  ...require('../../jest.preset.js').projectConfig(__dirname, { testTimeout: 30_000 }),
  maxWorkers: 1,
};
