// Shared jest setup: SWC for speed (with decorator metadata for NestJS), workspace packages resolved
// to their TypeScript source through the "@mission-control/source" export condition.
const path = require('node:path');

const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/**
 * @param {string} dir the project folder (pass __dirname)
 * @param {{ kind?: 'unit' | 'integration' | 'chaos' | 'browser', globalSetup?: string, globalTeardown?: string, testTimeout?: number, migrate?: string[] }} [options]
 *   `migrate`: services whose schemas the integration global setup migrates into the run's database
 */
function projectConfig(dir, options = {}) {
  const kind = options.kind ?? 'unit';
  const testMatch = {
    unit: ['<rootDir>/**/*.spec.ts'],
    integration: ['<rootDir>/**/*.integration-spec.ts'],
    // Suites that kill or restart engines; they run alone, after every other suite.
    chaos: ['<rootDir>/**/*.chaos-spec.ts'],
    // Journeys through the web app in Chromium, against the whole stack.
    browser: ['<rootDir>/**/*.browser-spec.ts'],
  }[kind];
  const name = path.basename(dir);
  return {
    displayName: kind === 'unit' ? name : `${name}:${kind}`,
    rootDir: dir,
    testEnvironment: 'node',
    testEnvironmentOptions: {
      customExportConditions: ['@mission-control/source', 'node', 'require', 'default'],
    },
    transform: { '^.+\\.(t|j)sx?$': swc },
    // jose ships ESM only: Node 20 loads it natively, jest's loader needs it compiled.
    transformIgnorePatterns: ['/node_modules/(?!jose/)'],
    moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
    testMatch,
    testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.next/'],
    setupFiles: [path.join(__dirname, 'scripts/jest-fresh-graphql-metadata.js')],
    globalSetup: options.globalSetup,
    globalTeardown: options.globalTeardown,
    globals: { mcMigrate: options.migrate ?? [] },
    reporters: [
      'default',
      [path.join(__dirname, 'scripts/jest-summary-reporter.js'), { rootDir: dir, kind }],
    ],
    testTimeout: options.testTimeout ?? (kind === 'unit' ? 5_000 : 60_000),
    // Chaos suites SIGKILL brokers under clients that may keep a reconnect timer afterwards; once
    // every assertion has run, such a timer must not hold the run open until CI times out.
    forceExit: kind === 'chaos',
    // Integration suites share engines: run files one at a time inside a project.
    maxWorkers: kind === 'unit' ? '50%' : 1,
  };
}

module.exports = { projectConfig };
