import type {
  BoardColumn,
  MissionPriority,
  RunBilling,
  RunLogLine,
  RunUsage,
} from './demo-board.model';

export const DEMO_EMAIL = 'demo@mission-control.local';
export const DEMO_PERSON_NAME = 'Demo Commander';
export const DEMO_WORKSPACE_NAME = 'Demo squad';

export type AgentProfile = {
  name: string;
  role: string;
  capabilities: readonly string[];
  /** A model of the service's built-in price catalog, so its runs are priced. */
  model: string;
  provider: string;
  /** What its runs execute with (`startRun`'s adapter). */
  adapter: string;
  /** SUBSCRIPTION: a flat-rate plan, whose costs show as estimates. */
  billing: RunBilling;
  config: Record<string, string | number | boolean>;
};

/** The squad. Names are single words so `@name` mentions in comments resolve. */
export const AGENT_PROFILES: readonly AgentProfile[] = [
  {
    name: 'Atlas',
    role: 'lead',
    capabilities: ['planning', 'architecture', 'review'],
    model: 'claude-opus-4-5',
    provider: 'anthropic',
    adapter: 'claude-code',
    billing: 'METERED',
    config: { temperature: 0.2, maxParallelMissions: 1 },
  },
  {
    name: 'Nova',
    role: 'backend specialist',
    capabilities: ['api', 'database', 'performance'],
    model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    adapter: 'claude-code',
    billing: 'METERED',
    config: { temperature: 0.1, maxParallelMissions: 1 },
  },
  {
    name: 'Pixel',
    role: 'frontend specialist',
    capabilities: ['ui', 'accessibility', 'docs'],
    model: 'gpt-5-codex',
    provider: 'openai',
    adapter: 'codex',
    billing: 'SUBSCRIPTION',
    config: { temperature: 0.4, maxParallelMissions: 1 },
  },
  {
    name: 'Sentinel',
    role: 'qa engineer',
    capabilities: ['testing', 'security', 'ci'],
    model: 'gemini-2.5-pro',
    provider: 'google',
    adapter: 'gemini-cli',
    billing: 'METERED',
    config: { temperature: 0, maxParallelMissions: 1 },
  },
];

/**
 * The one budget the demo sets: a small daily limit on one agent, which that agent reaches within
 * a few minutes at the default pace, so the stop at the limit is there to see. A usage report costs
 * about 6 cents at Sonnet's list prices; with the time between missions, the agent spends about
 * 3 cents a minute at the default pace (4 times that at a pace of 1 s).
 */
export const DEMO_BUDGET = {
  agentName: 'Nova',
  name: 'Nova’s daily budget',
  period: 'DAY',
  costLimitUsd: 0.15,
  warnPercent: 60,
} as const;

export type MissionTemplate = {
  title: string;
  description: string;
  priority: MissionPriority;
  tags: readonly string[];
};

const mission = (
  title: string,
  priority: MissionPriority,
  tags: readonly string[],
  why: string,
  done: readonly string[],
): MissionTemplate => ({
  title,
  priority,
  tags,
  description: `${why}\n\n**Done when**\n${done.map((line) => `- [ ] ${line}`).join('\n')}`,
});

/**
 * Every mission the demo ever creates. Titles are unique: once all are on the board, the commander
 * reopens old finished ones instead of adding more, so the board stays bounded.
 */
export const MISSION_TEMPLATES: readonly MissionTemplate[] = [
  mission(
    'Add rate limiting to the public webhooks endpoint',
    'HIGH',
    ['api', 'security'],
    'A misbehaving integration sent 40k requests in a minute last week and slowed every tenant.',
    ['Per-source limit with a `Retry-After` header', 'Limits configurable per workspace'],
  ),
  mission(
    'Fix the flaky checkout integration test',
    'MEDIUM',
    ['testing', 'ci'],
    'It fails about one run in ten on CI and people have started re-running it blindly.',
    ['Root cause written down', '50 green runs in a row'],
  ),
  mission(
    'Index missions by workspace and column',
    'HIGH',
    ['database', 'performance'],
    'The board query scans the whole table for large workspaces (p95 over 400 ms).',
    ['Composite index added in a migration', 'Board p95 under 100 ms on the staging data'],
  ),
  mission(
    'Keyboard navigation on the board',
    'MEDIUM',
    ['ui', 'accessibility'],
    'Cards can only be moved with a mouse today.',
    ['Arrow keys move focus between cards', 'Space picks a card up, arrows move it'],
  ),
  mission(
    'Rotate the signing keys without downtime',
    'URGENT',
    ['security', 'architecture'],
    'The current key has been in use for 14 months; policy says 12.',
    ['Two keys accepted during the overlap', 'Runbook in the ops wiki'],
  ),
  mission(
    'Write the onboarding guide for new agents',
    'MEDIUM',
    ['docs'],
    'New agents keep asking the same five questions in the first hour.',
    ['Covers keys, heartbeats, claiming and comments', 'Reviewed by one agent and one person'],
  ),
  mission(
    'Plan the Q3 reliability milestones',
    'MEDIUM',
    ['planning'],
    'We need a shared view of what "reliable" means before the next quarter starts.',
    ['Three milestones with owners', 'Error budget per service agreed'],
  ),
  mission(
    'Dark mode for the settings page',
    'LOW',
    ['ui'],
    'The rest of the app follows the system theme; settings is still always light.',
    ['Follows `prefers-color-scheme`', 'Contrast checked on every control'],
  ),
  mission(
    'Cache the roster query',
    'MEDIUM',
    ['api', 'performance'],
    'The roster is read on every page load but changes a few times a day.',
    ['Cached with invalidation on agent events', 'No stale status shown for more than 2 s'],
  ),
  mission(
    'Split the nightly build into parallel jobs',
    'LOW',
    ['ci'],
    'The nightly build takes 48 minutes, mostly waiting on one long test job.',
    ['Build under 20 minutes', 'Same coverage report as before'],
  ),
  mission(
    'Design the export format for mission history',
    'MEDIUM',
    ['architecture', 'planning'],
    'Two customers asked for their full history to feed their own data warehouse.',
    ['Format documented with an example', 'Versioned so it can evolve'],
  ),
  mission(
    'Paginate the comments thread',
    'MEDIUM',
    ['api', 'ui'],
    'A mission with 600 comments takes four seconds to open.',
    ['Cursor pagination in the API', 'The thread loads older comments on scroll'],
  ),
  mission(
    'Audit dependencies for known vulnerabilities',
    'HIGH',
    ['security', 'ci'],
    'The last audit was before the big framework upgrade.',
    ['Report of every advisory with a decision', 'Audit step added to CI'],
  ),
  mission(
    'Reduce cold start of the search service',
    'HIGH',
    ['performance'],
    'After a deploy the first searches take up to 3 s.',
    ['Warm-up on boot', 'First search under 300 ms after a deploy'],
  ),
  mission(
    'Screen-reader labels for the agent roster',
    'MEDIUM',
    ['accessibility', 'ui'],
    'Status badges are read out as "image" by screen readers.',
    ['Every badge has a text label', 'Checked with VoiceOver and NVDA'],
  ),
  mission(
    'Contract tests for the billing API',
    'MEDIUM',
    ['testing', 'api'],
    'Billing changed a field name last month and nothing caught it before production.',
    ['Contract suite runs on both sides', 'A breaking change fails the build'],
  ),
  mission(
    'Document the error codes for integrators',
    'LOW',
    ['docs', 'api'],
    'Integrators guess which errors are worth retrying.',
    ['One table: code, meaning, retry or not', 'Linked from the API reference'],
  ),
  mission(
    'Retry Slack notifications with backoff',
    'MEDIUM',
    ['api'],
    'Notifications are lost when Slack answers 429.',
    ['Exponential backoff honouring `Retry-After`', 'Dropped notifications are counted'],
  ),
  mission(
    'Load test the board with 10k missions',
    'HIGH',
    ['performance', 'testing'],
    'The biggest customer will have 10k open missions by the end of the year.',
    ['Repeatable load scenario in the repo', 'Results and bottlenecks written up'],
  ),
  mission(
    'Review the data retention policy',
    'MEDIUM',
    ['security', 'planning'],
    'Legal asked how long we keep activity logs and who can read them.',
    ['Retention per data kind documented', 'Cleanup job matches the document'],
  ),
  mission(
    'Empty states for the analytics charts',
    'LOW',
    ['ui'],
    'A new workspace sees blank boxes where charts will be.',
    ['Each chart explains what will appear', 'A link to create the first mission'],
  ),
  mission(
    'Migrate session storage to the new schema',
    'HIGH',
    ['database', 'architecture'],
    'Sessions still live in the old table that blocks the next Postgres upgrade.',
    ['Online migration with a backfill', 'Old table dropped after a week'],
  ),
  mission(
    'Smoke tests after each deploy',
    'MEDIUM',
    ['testing', 'ci'],
    'A broken login page stayed up for 20 minutes after the last deploy.',
    ['Sign-in, board and search checked', 'Automatic rollback when they fail'],
  ),
  mission(
    'Break down the mobile app epic',
    'MEDIUM',
    ['planning', 'review'],
    'The mobile epic is one card with a vague description.',
    ['Missions of at most two days each', 'Dependencies between them recorded'],
  ),
];

/** The first backlog: what a new workspace starts with, and where each card starts. */
export const INITIAL_BACKLOG: readonly { template: MissionTemplate; column: BoardColumn }[] =
  MISSION_TEMPLATES.slice(0, 8).map((template, index) => ({
    template,
    column: index < 4 ? 'TODO' : 'BACKLOG',
  }));

const NOTES_BY_TAG: Record<string, readonly string[]> = {
  api: [
    'Sketched the new fields in the schema first; the resolvers only delegate.',
    'Added the error codes to the response and a test per code.',
  ],
  database: [
    'Wrote the migration so it runs online; tried it on a copy of the staging data (2.1M rows, 40 s).',
    '`EXPLAIN ANALYZE` now shows an index scan instead of a sequential one.',
  ],
  performance: [
    'Profiled it: most of the time goes to serialising the same objects twice.',
    'Benchmark after the change: p95 down from 410 ms to 86 ms.',
  ],
  ui: [
    'Component done and checked in light and dark themes.',
    'Tried it at 320 px wide; the layout holds.',
  ],
  accessibility: [
    'Went through the page with a screen reader; two unlabelled buttons fixed.',
    'Focus order now follows the visual order.',
  ],
  docs: [
    'First draft is up; kept each section under a screen.',
    'Added runnable examples and checked every one of them.',
  ],
  testing: [
    'Reproduced it: the test depends on the order of two async writes.',
    'Wrote the failing test first; it is green now.',
  ],
  security: [
    'Threat-modelled the change; nothing new is exposed to other tenants.',
    'Secrets stay out of logs; added a test that fails if one leaks.',
  ],
  ci: [
    'Pipeline change is on a branch; the first run took 17 minutes.',
    'Cached the dependency install; saves about 3 minutes a run.',
  ],
  planning: [
    'Collected the open questions and answered the easy ones.',
    'Draft plan shared; estimates are rough but the order is clear.',
  ],
  architecture: [
    'Wrote a short design note with the two options and why I prefer the second.',
    'The change stays behind the existing interface, so callers do not move.',
  ],
  review: [
    'Read through the current state and listed what is missing.',
    'Grouped the work into small pieces that can ship on their own.',
  ],
};

const OPENING_NOTES: readonly string[] = [
  'Picked this up; reading the related code and the history of the card.',
  'Starting on this. First step: reproduce what the description says.',
  'On it. Going through the acceptance criteria before writing anything.',
];

const GENERAL_NOTES: readonly string[] = [
  'Halfway there. No surprises so far.',
  'Found an edge case with empty input and covered it with a test.',
  'All tests pass locally; tidying up before review.',
];

const REVIEW_SUMMARIES: readonly string[] = [
  'the change is small and covered by tests',
  'the diff is mostly tests; the fix itself is a few lines',
  'I left notes in the description on what to look at first',
  'one open question about naming, otherwise done',
];

const REOPEN_NOTES: readonly string[] = [
  'Reopening: the same problem showed up again in staging.',
  'Reopening: a customer hit a case this did not cover.',
  'Reopening to follow up on the review notes we postponed.',
  'Reopening: monitoring shows it regressed after the last release.',
];

const IDLE_ACTIVITIES: readonly string[] = [
  'Waiting for a mission',
  'Reading the backlog',
  'Ready for the next mission',
];

/** A number from [0, 1) to an index of `list`. */
export const pick = <T>(list: readonly T[], roll: number): T => {
  const item = list[Math.min(list.length - 1, Math.floor(roll * list.length))];
  if (item === undefined) {
    throw new Error('pick from an empty list');
  }
  return item;
};

/** A progress note fitting the mission's tags; the note number varies it across a mission. */
/**
 * The `noteNumber`-th progress note (from 0) of a mission: an opening note, then notes fitting its
 * tags. `seed` is drawn once per mission, so its notes differ from each other.
 */
/** A run's progress note: what a coding agent is at, by phase and share of the work done. */
export function runProgressNote(phase: 'work' | 'review', done: number): string {
  if (phase === 'review') {
    return 'Addressing review comments';
  }
  if (done < 0.25) {
    return 'Reading the code';
  }
  return done < 0.5 ? 'Making the change' : 'Running the tests';
}

export function progressNote(tags: readonly string[], noteNumber: number, seed: number): string {
  if (noteNumber === 0) {
    return pick(OPENING_NOTES, seed);
  }
  const fitting = tags.flatMap((tag) => NOTES_BY_TAG[tag] ?? []);
  const pool = fitting.length > 0 ? [...fitting, ...GENERAL_NOTES] : GENERAL_NOTES;
  const start = Math.min(pool.length - 1, Math.floor(seed * pool.length));
  return pick(pool, ((start + noteNumber - 1) % pool.length) / pool.length);
}

export function reviewRequest(reviewer: string | null, roll: number): string {
  const summary = pick(REVIEW_SUMMARIES, roll);
  return reviewer
    ? `Ready for review: ${summary}. @${reviewer}, could you take a look?`
    : `Ready for review: ${summary}.`;
}

export const reopenNote = (roll: number): string => pick(REOPEN_NOTES, roll);

export const idleActivity = (roll: number): string => pick(IDLE_ACTIVITIES, roll);

/** How an agent says it was stopped, in its heartbeat: the server's own reason, whole. */
export const budgetStopActivity = (reason: string): string =>
  `Stopped by a budget — ${reason}`.slice(0, 500);

// Run logs look like a coding agent's terminal: ANSI colours kept, warnings on stderr.
const CYAN = '\x1b[36m';
const GREEN = '\x1b[32m';
const YELLOW = '\x1b[33m';
const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

const FILES_BY_TAG: Record<string, readonly string[]> = {
  api: ['services/api/src/webhooks/webhooks.resolver.ts', 'services/api/src/errors/error-codes.ts'],
  database: [
    'db/migrations/20261201_missions_by_column.sql',
    'services/api/src/missions/missions.repository.ts',
  ],
  performance: ['services/search/src/warm-up.service.ts', 'bench/board-load.bench.ts'],
  ui: ['web/src/features/board/board-view.tsx', 'web/src/features/settings/theme.module.css'],
  accessibility: [
    'web/src/features/agents/status-badge.tsx',
    'web/src/features/board/card-keys.ts',
  ],
  docs: ['docs/agents/onboarding.md', 'docs/api/error-codes.md'],
  testing: ['e2e/checkout.integration-spec.ts', 'libs/testing/src/factories.ts'],
  security: [
    'services/identity/src/keys/key-rotation.service.ts',
    'services/api/src/limits/rate-limit.guard.ts',
  ],
  ci: ['.github/workflows/nightly.yml', 'scripts/ci/cache-dependencies.sh'],
  planning: ['docs/plans/q3-reliability.md', 'docs/plans/mobile-epic.md'],
  architecture: ['docs/design/history-export.md', 'docs/design/session-storage.md'],
  review: ['docs/plans/mobile-epic.md', 'CHANGELOG.md'],
};

const filesOf = (tags: readonly string[]): readonly string[] => {
  const files = tags.flatMap((tag) => FILES_BY_TAG[tag] ?? []);
  return files.length > 0 ? files : ['README.md'];
};

// Code has a spec beside it; docs and pipelines are checked by the smoke suite.
const specOf = (file: string): string => {
  if (/[.-]spec\.ts$/.test(file)) {
    return file;
  }
  return /\.tsx?$/.test(file) ? file.replace(/\.tsx?$/, '.spec.ts') : 'e2e/smoke.spec.ts';
};

/** A whole number in [low, high] from a roll in [0, 1). */
const between = (low: number, high: number, roll: number): number =>
  low + Math.floor(roll * (high - low + 1));

type LineMaker = (file: string, roll: number) => RunLogLine;
const out = (text: string): RunLogLine => ({ stream: 'STDOUT', text });
const err = (text: string): RunLogLine => ({ stream: 'STDERR', text });

const WORK_LINES: readonly LineMaker[] = [
  (file) => out(`${CYAN}●${RESET} Read ${file}`),
  (file, roll) =>
    out(
      `${CYAN}●${RESET} Edit ${file} ${GREEN}(+${between(3, 60, roll)} -${between(0, 20, 1 - roll)})${RESET}`,
    ),
  (file) => out(`${DIM}$${RESET} npx jest ${specOf(file)}`),
  (file, roll) =>
    out(`${GREEN}PASS${RESET} ${specOf(file)} ${DIM}(${(0.4 + 3 * roll).toFixed(2)} s)${RESET}`),
  (file) => out(`Thinking about the edge cases of ${file.split('/').pop() ?? file}`),
  () => out(`${DIM}$${RESET} git diff --stat`),
  (_file, roll) =>
    out(
      ` ${between(1, 6, roll)} files changed, ${between(10, 140, roll)} insertions(+), ${between(0, 40, roll)} deletions(-)`,
    ),
  (_file, roll) => out(`${BOLD}Tests:${RESET} ${GREEN}${between(12, 180, roll)} passed${RESET}`),
  () => out(`${GREEN}✓${RESET} typecheck passed`),
  (file) =>
    out(`${CYAN}●${RESET} Search "TODO" in ${file.split('/').slice(0, -1).join('/') || '.'}`),
];

const WARNING_LINES: readonly LineMaker[] = [
  (file) => err(`${YELLOW}warning${RESET} ${file}: 1 lint warning (no-unused-vars)`),
  (_file, roll) =>
    err(
      `(node:${between(1_000, 9_999, roll)}) ExperimentalWarning: VM Modules is an experimental feature`,
    ),
  () =>
    err(
      `${YELLOW}npm warn${RESET} deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported`,
    ),
];

const REVIEW_LINES: readonly LineMaker[] = [
  () => out(`${CYAN}●${RESET} Reading the review thread`),
  (file) =>
    out(`${CYAN}●${RESET} Edit ${file} ${GREEN}(+2 -2)${RESET} ${DIM}rename after review${RESET}`),
  () => out(`${DIM}$${RESET} npm test -- --changed`),
  (_file, roll) =>
    out(`${GREEN}✓${RESET} ${between(12, 180, roll)} tests passed after the review notes`),
  () => out(`Waiting for the reviewer; nothing else to change for now`),
];

/**
 * The log lines of one chunk of work (2–4 lines, now and then a warning on stderr), from the
 * mission's tags and three rolls; the chunk number moves it on, so chunks do not repeat.
 */
export function runLogChunk(
  phase: 'work' | 'review',
  tags: readonly string[],
  chunk: number,
  rolls: readonly [number, number, number],
): RunLogLine[] {
  const files = filesOf(tags);
  const makers = phase === 'work' ? WORK_LINES : REVIEW_LINES;
  const count = between(2, 4, rolls[0]);
  const start = Math.floor(rolls[1] * makers.length) + chunk;
  const lines = Array.from({ length: count }, (_, index) => {
    const make = makers[(start + index) % makers.length]!;
    return make(files[(chunk + index) % files.length]!, (rolls[1] + index / count) % 1);
  });
  // Every fourth chunk from a run's second on, and one in ten of the others, has a warning.
  if (chunk % 4 === 1 || rolls[2] < 0.1) {
    lines.push(pick(WARNING_LINES, (rolls[2] + chunk / 4) % 1)(pick(files, rolls[0]), rolls[1]));
  }
  return lines;
}

const FAILURES: readonly { test: string; error: string; summary: string }[] = [
  {
    test: 'keeps the order of concurrent writes',
    error: 'Expected: ["a", "b"]  Received: ["b", "a"]',
    summary: 'Tests failed: two writes land out of order under load. Starting again with a lock.',
  },
  {
    test: 'connects to the test database',
    error: 'Error: connect ECONNREFUSED 127.0.0.1:5432',
    summary: 'The test database was not up, so the suite failed. Starting again.',
  },
  {
    test: 'rejects an expired token',
    error: 'TypeError: Cannot read properties of undefined (reading "exp")',
    summary: 'A test caught a crash on tokens without an expiry. Starting again with a fix.',
  },
];

/** The last chunk of a run that failed: what broke, on stderr. */
export function failedRunLog(tags: readonly string[], roll: number): RunLogLine[] {
  const file = pick(filesOf(tags), roll);
  const failed = between(1, 3, roll);
  return [
    out(`${DIM}$${RESET} npx jest ${specOf(file)}`),
    err(`${RED}FAIL${RESET} ${specOf(file)}`),
    err(`  ${RED}●${RESET} ${pick(FAILURES, roll).test}`),
    err(`    ${pick(FAILURES, roll).error}`),
    out(`${BOLD}Tests:${RESET} ${RED}${failed} failed${RESET}, ${between(20, 90, roll)} passed`),
  ];
}

export const failedRunSummary = (roll: number): string => pick(FAILURES, roll).summary;

/** The last chunk of a run that worked. */
export function finishedRunLog(tags: readonly string[], roll: number): RunLogLine[] {
  const file = pick(filesOf(tags), roll);
  return [
    out(`${DIM}$${RESET} npm test && npm run lint`),
    out(`${GREEN}PASS${RESET} ${specOf(file)}`),
    out(`${BOLD}Tests:${RESET} ${GREEN}${between(20, 180, roll)} passed${RESET}, lint clean`),
    out(`${GREEN}✓${RESET} Done. Changes pushed for the record.`),
  ];
}

export const finishedRunSummary = (title: string, roll: number): string =>
  `Finished “${title}”: ${pick(REVIEW_SUMMARIES, roll)}; reviewed and merged.`;

/**
 * One step's tokens, as a coding agent spends them: 20k–80k input tokens, most of them read from
 * the prompt cache, and 0.5k–4k output tokens.
 */
export function runUsageStep(model: string, rolls: readonly [number, number, number]): RunUsage {
  const inputTokens = between(20_000, 80_000, rolls[0]);
  return {
    model,
    inputTokens,
    cachedInputTokens: Math.round(inputTokens * (0.6 + 0.35 * rolls[1])),
    outputTokens: between(500, 4_000, rolls[2]),
  };
}
