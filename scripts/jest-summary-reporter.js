// Writes each jest run's counts to <project>/.jest/<kind>.json so `npm test` can print one total
// across every project (and Nx can restore the file from its cache with the task).
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig, options) {
    this.file = path.join(options.rootDir, '.jest', `${options.kind}.json`);
  }

  onRunComplete(_contexts, results) {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      skipped: results.numPendingTests + results.numTodoTests,
      suitesFailed: results.numFailedTestSuites + results.numRuntimeErrorTestSuites,
    };
    fs.writeFileSync(this.file, JSON.stringify(summary) + '\n');
  }
}

module.exports = SummaryReporter;
