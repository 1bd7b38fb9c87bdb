import type { BoardColumn, MissionPriority } from './demo-board.model';

/** How an agent's model is paid for; SUBSCRIPTION (a flat-rate plan) shows costs as estimates. */
export type RunBilling = 'METERED' | 'SUBSCRIPTION';

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
    billing: 'METERED',
    config: { temperature: 0.2, maxParallelMissions: 1 },
  },
  {
    name: 'Nova',
    role: 'backend specialist',
    capabilities: ['api', 'database', 'performance'],
    model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    billing: 'METERED',
    config: { temperature: 0.1, maxParallelMissions: 1 },
  },
  {
    name: 'Pixel',
    role: 'frontend specialist',
    capabilities: ['ui', 'accessibility', 'docs'],
    model: 'gpt-5-codex',
    provider: 'openai',
    billing: 'SUBSCRIPTION',
    config: { temperature: 0.4, maxParallelMissions: 1 },
  },
  {
    name: 'Sentinel',
    role: 'qa engineer',
    capabilities: ['testing', 'security', 'ci'],
    model: 'gemini-2.5-pro',
    provider: 'google',
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

const REVIEW_APPROVALS: readonly string[] = [
  'Read the diff and the run log: small, covered by tests. Merging.',
  'Looks good to me; the tests say what the change does. Merged.',
  'Checked it against the acceptance criteria: all there. Thanks, merging.',
  'Nice and focused. Merged; I will keep an eye on it after the release.',
];

const CHANGE_REQUESTS: readonly string[] = [
  'one thing before merging: the new function needs a test for empty input.',
  'could you split the rename out of the fix? The diff is hard to review as it is.',
  'the log shows a lint warning; please clean it up and I will merge.',
  'please add a line to the changelog, then it is good to go.',
];

const REOPEN_NOTES: readonly string[] = [
  'Reopening: the same problem showed up again in staging.',
  'Reopening: a customer hit a case this did not cover.',
  'Reopening to follow up on the review notes we postponed.',
  'Reopening: monitoring shows it regressed after the last release.',
];

/** A number from [0, 1) to an index of `list`. */
export const pick = <T>(list: readonly T[], roll: number): T => {
  const item = list[Math.min(list.length - 1, Math.floor(roll * list.length))];
  if (item === undefined) {
    throw new Error('pick from an empty list');
  }
  return item;
};

/** The commander's review of a finished run, addressed to the agent that ran it (when known). */
export function reviewComment(
  agentName: string | null,
  verdict: 'approve' | 'changes',
  roll: number,
): string {
  const to = agentName ? `@${agentName} ` : '';
  return verdict === 'approve'
    ? `${to}${pick(REVIEW_APPROVALS, roll)}`
    : `Thanks ${to}— ${pick(CHANGE_REQUESTS, roll)}`;
}

export const reopenNote = (roll: number): string => pick(REOPEN_NOTES, roll);
