import type { BoardColumn, MissionPriority } from './demo-board.model';

export const DEMO_EMAIL = 'demo@mission-control.local';
export const DEMO_PERSON_NAME = 'Demo Commander';
export const DEMO_WORKSPACE_NAME = 'Demo squad';

export type AgentProfile = {
  name: string;
  role: string;
  capabilities: readonly string[];
  model: string;
  provider: string;
  config: Record<string, string | number | boolean>;
};

/** The squad. Names are single words so `@name` mentions in comments resolve. */
export const AGENT_PROFILES: readonly AgentProfile[] = [
  {
    name: 'Atlas',
    role: 'lead',
    capabilities: ['planning', 'architecture', 'review'],
    model: 'claude-opus-4',
    provider: 'anthropic',
    config: { temperature: 0.2, maxParallelMissions: 1 },
  },
  {
    name: 'Nova',
    role: 'backend specialist',
    capabilities: ['api', 'database', 'performance'],
    model: 'claude-sonnet-4',
    provider: 'anthropic',
    config: { temperature: 0.1, maxParallelMissions: 1 },
  },
  {
    name: 'Pixel',
    role: 'frontend specialist',
    capabilities: ['ui', 'accessibility', 'docs'],
    model: 'gpt-4.1',
    provider: 'openai',
    config: { temperature: 0.4, maxParallelMissions: 1 },
  },
  {
    name: 'Sentinel',
    role: 'qa engineer',
    capabilities: ['testing', 'security', 'ci'],
    model: 'gemini-2.5-pro',
    provider: 'google',
    config: { temperature: 0, maxParallelMissions: 1 },
  },
];

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
