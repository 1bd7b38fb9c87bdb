import { MISSION_TEMPLATES, pick } from './demo-squad.catalog';

/**
 * The demo's scripted model, as pure functions: from a run's id, its mission's title and its
 * model, the whole transcript a coding agent would print, step by step, with the times to print
 * it at. The same run id always gives the same transcript; about one run in eight fails part-way.
 * The lines are what the runner's `command` adapter reads: plain lines are the run's log,
 * `::mc:usage {json}` reports tokens and cost, `::mc:progress {json}` where the work has got to,
 * `::mc:summary text` how the run went.
 */

export type OutputLine = { stream: 'stdout' | 'stderr'; text: string };

/** Lines printed together once `atMs` have passed since the model started. */
export type TranscriptStep = { atMs: number; lines: OutputLine[] };

export type Transcript = { steps: TranscriptStep[]; exitCode: 0 | 1 };

export type TranscriptInput = {
  runId: string;
  /** The mission's title, as in the mission file's first line. */
  title: string;
  model: string;
  /** The demo's base tick: a run takes 7.5–30 of them, a step 0.75–2.5. */
  paceMs: number;
};

/** List prices in US dollars per million tokens, as the server's built-in catalog has them. */
export const MODEL_PRICES: Readonly<
  Record<string, { input: number; output: number; cachedInput: number }>
> = {
  'claude-opus-4-5': { input: 5, output: 25, cachedInput: 0.5 },
  'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3 },
  'gpt-5-codex': { input: 1.25, output: 10, cachedInput: 0.125 },
  'gemini-2.5-pro': { input: 1.25, output: 10, cachedInput: 0.31 },
};

export const USAGE_PREFIX = '::mc:usage ';
export const PROGRESS_PREFIX = '::mc:progress ';
export const SUMMARY_PREFIX = '::mc:summary ';

/** One in eight runs fails part-way, as a real agent's first try sometimes does. */
const FAILING_SHARE = 0.125;
/** Share of the run spent on the work before it reviews its own change. */
const REVIEW_AT = 0.7;
/** Where a failing run gives up. */
const FAIL_AT = 0.3;
/** Tokens are reported, and progress said, every this many steps. */
const USAGE_EVERY = 3;

/** A generator of numbers in [0, 1) from a seed (mulberry32): the same seed, the same numbers. */
export function seededRandom(seed: string): () => number {
  // FNV-1a folds the seed into 32 bits.
  let state = 2166136261;
  for (let index = 0; index < seed.length; index++) {
    state = Math.imul(state ^ seed.charCodeAt(index), 16777619);
  }
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [low, high] from a roll in [0, 1). */
const between = (low: number, high: number, roll: number): number =>
  low + Math.floor(roll * (high - low + 1));

// Run logs look like a coding agent's terminal: ANSI colours kept, warnings on stderr.
const CYAN = '\x1b[36m';
const GREEN = '\x1b[32m';
const YELLOW = '\x1b[33m';
const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

const out = (text: string): OutputLine => ({ stream: 'stdout', text });
const err = (text: string): OutputLine => ({ stream: 'stderr', text });

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

// What the agent says it found or did, between its tool calls.
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
  'Reading the mission and the related code before writing anything.',
  'First step: reproduce what the description says.',
  'Going through the acceptance criteria first.',
];

const GENERAL_NOTES: readonly string[] = [
  'Halfway there. No surprises so far.',
  'Found an edge case with empty input and covered it with a test.',
  'All tests pass locally; tidying up before review.',
];

const SUMMARIES: readonly string[] = [
  'the change is small and covered by tests',
  'the diff is mostly tests; the fix itself is a few lines',
  'notes in the description say what to look at first',
  'one open question about naming, otherwise done',
];

/** The mission's tags, from the demo's catalog by title; none for a mission a person wrote. */
export function tagsOf(title: string): readonly string[] {
  return MISSION_TEMPLATES.find((template) => template.title === title)?.tags ?? [];
}

const filesOf = (tags: readonly string[]): readonly string[] => {
  const files = tags.flatMap((tag) => FILES_BY_TAG[tag] ?? []);
  return files.length > 0 ? files : ['README.md', 'src/index.ts'];
};

// Code has a spec beside it; docs and pipelines are checked by the smoke suite.
const specOf = (file: string): string => {
  if (/[.-]spec\.ts$/.test(file)) {
    return file;
  }
  return /\.tsx?$/.test(file) ? file.replace(/\.tsx?$/, '.spec.ts') : 'e2e/smoke.spec.ts';
};

type LineMaker = (file: string, roll: number) => OutputLine;

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
  () => out(`${CYAN}●${RESET} Reviewing the diff before handing it over`),
  (file) =>
    out(`${CYAN}●${RESET} Edit ${file} ${GREEN}(+2 -2)${RESET} ${DIM}clearer names${RESET}`),
  () => out(`${DIM}$${RESET} npm test -- --changed`),
  (_file, roll) => out(`${GREEN}✓${RESET} ${between(12, 180, roll)} tests passed`),
  () => out(`${DIM}$${RESET} npm run lint`),
];

export type Phase = 'reading' | 'changing' | 'testing' | 'reviewing';

/** Where a run is, by the share of its planned time gone. */
export function phaseAt(done: number): Phase {
  if (done >= REVIEW_AT) {
    return 'reviewing';
  }
  if (done < 0.25) {
    return 'reading';
  }
  return done < 0.5 ? 'changing' : 'testing';
}

const PHASE_NOTES: Record<Phase, string> = {
  reading: 'Reading the code',
  changing: 'Making the change',
  testing: 'Running the tests',
  reviewing: 'Addressing review comments',
};

/**
 * The log lines of one step of work (2–4 lines, now and then a warning on stderr), from the
 * mission's tags and three rolls; the step number moves it on, so steps do not repeat.
 */
export function stepLines(
  phase: Phase,
  tags: readonly string[],
  step: number,
  rolls: readonly [number, number, number],
): OutputLine[] {
  const files = filesOf(tags);
  const makers = phase === 'reviewing' ? REVIEW_LINES : WORK_LINES;
  const count = between(2, 4, rolls[0]);
  const start = Math.floor(rolls[1] * makers.length) + step;
  const lines = Array.from({ length: count }, (_, index) => {
    const make = makers[(start + index) % makers.length]!;
    return make(files[(step + index) % files.length]!, (rolls[1] + index / count) % 1);
  });
  // Every fourth step from a run's second on, and one in ten of the others, has a warning.
  if (step % 4 === 1 || rolls[2] < 0.1) {
    lines.push(pick(WARNING_LINES, (rolls[2] + step / 4) % 1)(pick(files, rolls[0]), rolls[1]));
  }
  return lines;
}

/** The `noteNumber`-th thing the agent says it did (from 0): an opening, then notes fitting its tags. */
export function narration(tags: readonly string[], noteNumber: number, seed: number): string {
  if (noteNumber === 0) {
    return pick(OPENING_NOTES, seed);
  }
  const fitting = tags.flatMap((tag) => NOTES_BY_TAG[tag] ?? []);
  const pool = fitting.length > 0 ? [...fitting, ...GENERAL_NOTES] : GENERAL_NOTES;
  const start = Math.min(pool.length - 1, Math.floor(seed * pool.length));
  return pick(pool, ((start + noteNumber - 1) % pool.length) / pool.length);
}

const FAILURES: readonly { test: string; error: string; summary: string }[] = [
  {
    test: 'keeps the order of concurrent writes',
    error: 'Expected: ["a", "b"]  Received: ["b", "a"]',
    summary: 'Tests failed: two writes land out of order under load. Giving up on this attempt.',
  },
  {
    test: 'connects to the test database',
    error: 'Error: connect ECONNREFUSED 127.0.0.1:5432',
    summary: 'The test database was not up, so the suite failed. Giving up on this attempt.',
  },
  {
    test: 'rejects an expired token',
    error: 'TypeError: Cannot read properties of undefined (reading "exp")',
    summary: 'A test caught a crash on tokens without an expiry. Giving up on this attempt.',
  },
];

/** The last lines of a run that failed: what broke, on stderr. */
export function failedLines(tags: readonly string[], roll: number): OutputLine[] {
  const file = pick(filesOf(tags), roll);
  const failure = pick(FAILURES, roll);
  return [
    out(`${DIM}$${RESET} npx jest ${specOf(file)}`),
    err(`${RED}FAIL${RESET} ${specOf(file)}`),
    err(`  ${RED}●${RESET} ${failure.test}`),
    err(`    ${failure.error}`),
    out(
      `${BOLD}Tests:${RESET} ${RED}${between(1, 3, roll)} failed${RESET}, ${between(20, 90, roll)} passed`,
    ),
    err(failure.summary),
    out(`${SUMMARY_PREFIX}${failure.summary}`),
  ];
}

/** The last lines of a run that worked. */
export function finishedLines(title: string, tags: readonly string[], roll: number): OutputLine[] {
  const file = pick(filesOf(tags), roll);
  return [
    out(`${DIM}$${RESET} npm test && npm run lint`),
    out(`${GREEN}PASS${RESET} ${specOf(file)}`),
    out(`${BOLD}Tests:${RESET} ${GREEN}${between(20, 180, roll)} passed${RESET}, lint clean`),
    out(`${GREEN}✓${RESET} Done with “${title}”: ${pick(SUMMARIES, roll)}. Ready for review.`),
    out(`${SUMMARY_PREFIX}Finished “${title}”: ${pick(SUMMARIES, roll)}.`),
  ];
}

export type Usage = {
  model: string;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  /** At the model's list price; left out for a model the demo has no price for. */
  costUsd?: number;
};

/** What `usage` costs at `model`'s list price (cached input tokens are part of inputTokens). */
export function costOf(usage: Omit<Usage, 'costUsd'>): number | undefined {
  const price = MODEL_PRICES[usage.model];
  if (!price) {
    return undefined;
  }
  const fresh = usage.inputTokens - usage.cachedInputTokens;
  const micro =
    fresh * price.input +
    usage.cachedInputTokens * price.cachedInput +
    usage.outputTokens * price.output;
  return Math.round(micro) / 1_000_000;
}

/**
 * The tokens of one report, as a coding agent spends them in a turn: 20k–80k input tokens, most
 * of them read from the prompt cache, and 0.5k–4k output tokens (about 6 cents at Sonnet's prices).
 */
export function usageOf(model: string, rolls: readonly [number, number, number]): Usage {
  const inputTokens = between(20_000, 80_000, rolls[0]);
  const tokens = {
    model,
    inputTokens,
    cachedInputTokens: Math.round(inputTokens * (0.6 + 0.35 * rolls[1])),
    outputTokens: between(500, 4_000, rolls[2]),
  };
  const costUsd = costOf(tokens);
  return costUsd === undefined ? tokens : { ...tokens, costUsd };
}

const usageLine = (usage: Usage): OutputLine => out(`${USAGE_PREFIX}${JSON.stringify(usage)}`);
const progressLine = (note: string, percent: number): OutputLine =>
  out(`${PROGRESS_PREFIX}${JSON.stringify({ note, percent })}`);

/** The whole run, planned at once from its id: steps of log, tokens and progress, then its end. */
export function planTranscript(input: TranscriptInput): Transcript {
  const random = seededRandom(input.runId);
  const tags = tagsOf(input.title);
  const rolls = (): [number, number, number] => [random(), random(), random()];
  const durationMs = Math.round(input.paceMs * (7.5 + 22.5 * random()));
  const failing = random() < FAILING_SHARE;
  const noteSeed = random();
  const endAt = failing ? durationMs * FAIL_AT : durationMs;

  const steps: TranscriptStep[] = [
    { atMs: 0, lines: [out(`${BOLD}${input.model}${RESET} · ${input.title}`)] },
  ];
  let atMs = 0;
  let step = 0;
  let unreported = 0;
  let notes = 0;
  let phase: Phase | null = null;
  for (;;) {
    atMs += Math.round(input.paceMs * (0.75 + 1.75 * random()));
    if (atMs >= endAt) {
      break;
    }
    const done = atMs / durationMs;
    const now = phaseAt(done);
    const lines: OutputLine[] = [];
    // A new phase, or every few steps within one: where the work stands.
    if (now !== phase || step % USAGE_EVERY === 0) {
      lines.push(progressLine(PHASE_NOTES[now], Math.round(done * 100)));
    }
    if (now !== phase && now !== 'reviewing' && notes < 3) {
      lines.push(out(narration(tags, notes, noteSeed)));
      notes += 1;
    }
    phase = now;
    lines.push(...stepLines(now, tags, step, rolls()));
    step += 1;
    unreported += 1;
    if (unreported >= USAGE_EVERY) {
      lines.push(usageLine(usageOf(input.model, rolls())));
      unreported = 0;
    }
    steps.push({ atMs, lines });
  }
  const roll = random();
  const closing = failing ? failedLines(tags, roll) : finishedLines(input.title, tags, roll);
  if (unreported > 0 || step === 0) {
    closing.push(usageLine(usageOf(input.model, rolls())));
  }
  if (!failing) {
    closing.unshift(progressLine('Done', 100));
  }
  steps.push({ atMs: Math.round(endAt), lines: closing });
  return { steps, exitCode: failing ? 1 : 0 };
}
