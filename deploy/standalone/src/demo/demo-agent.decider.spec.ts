import {
  decideAgent,
  decideRunStep,
  defaultAgentPacing,
  deferHeartbeat,
  evolveAgent,
  forgetRun,
  initialAgentState,
  reconcileAgent,
  restingUntil,
  stopByBudget,
  type AgentAction,
  type AgentRun,
  type AgentWork,
  type DemoAgentState,
  writesToRun,
} from './demo-agent.decider';
import type { BoardColumn, BoardMission, RunSetup } from './demo-board.model';

const ME = 'agent-me';
const OTHER = 'agent-other';
const pacing = defaultAgentPacing(4_000);
const T0 = 1_000_000;
const SETUP: RunSetup = {
  adapter: 'claude-code',
  model: 'claude-sonnet-4-5',
  provider: 'anthropic',
  billing: 'METERED',
};
const REASON =
  'The budget “Nova’s daily budget” ($0.15 per day) is spent: an admin can raise it or resume work.';

const mission = (overrides: Partial<BoardMission> & { id: string }): BoardMission => ({
  title: `Mission ${overrides.id}`,
  column: 'TODO',
  priority: 'MEDIUM',
  tags: [],
  assigneeAgentId: null,
  claimedBy: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
  activeRunId: null,
  ...overrides,
});

/** A random source that plays `values` in a loop. */
const rolls =
  (...values: number[]) =>
  () => {
    const value = values.shift() ?? 0.5;
    values.push(value);
    return value;
  };

/** An agent that heartbeated just now, so the next decision is about work. */
const justBeat = (overrides: Partial<DemoAgentState> = {}): DemoAgentState => ({
  ...initialAgentState(ME),
  lastHeartbeatAt: T0,
  reportedStatus: 'IDLE',
  ...overrides,
});

const running = (overrides: Partial<AgentRun> = {}): AgentRun => ({
  runId: 'run-1',
  seed: 0.5,
  chunks: 0,
  unreported: 0,
  failing: false,
  closed: false,
  ...overrides,
});

/** On mission m1 with run-1 going on. */
const working = (overrides: Partial<AgentWork> = {}): AgentWork => ({
  missionId: 'm1',
  title: 'Mission m1',
  tags: ['api'],
  claimedAt: T0,
  durationMs: 60_000,
  notesPlanned: 2,
  noteSeed: 0.5,
  notesPosted: 0,
  reviewRequested: false,
  run: running(),
  runsStarted: 1,
  failFirstRun: false,
  succeeded: false,
  ...overrides,
});

const decide = (state: DemoAgentState, board: BoardMission[], now: number, random = rolls(0.5)) =>
  decideAgent(
    reconcileAgent(state, board),
    { now, board, teammates: ['Atlas', 'Nova'], setup: SETUP },
    pacing,
    random,
  );

describe('the demo agent decider', () => {
  describe('heartbeats', () => {
    it('starts with a heartbeat saying it is idle and waiting for work', () => {
      const action = decide(initialAgentState(ME), [], T0);
      expect(action).toMatchObject({ type: 'SendHeartbeat', status: 'IDLE' });
      expect(action.type === 'SendHeartbeat' && action.activity.length).toBeGreaterThan(0);
    });

    it('heartbeats again every 15 s, not sooner while nothing changes', () => {
      const state = justBeat();
      expect(decide(state, [], T0 + 14_999).type).toBe('Wait');
      expect(decide(state, [], T0 + 15_000)).toMatchObject({
        type: 'SendHeartbeat',
        status: 'IDLE',
      });
    });

    it('reports becoming busy early, but never within 12 s of the last heartbeat', () => {
      const state = justBeat({ work: working() });
      const board = [
        mission({
          id: 'm1',
          column: 'IN_PROGRESS',
          assigneeAgentId: ME,
          claimedBy: ME,
          activeRunId: 'run-1',
        }),
      ];
      expect(decide(state, board, T0 + 11_000).type).not.toBe('SendHeartbeat');
      expect(decide(state, board, T0 + 12_000)).toEqual({
        type: 'SendHeartbeat',
        status: 'BUSY',
        activity: 'Working on “Mission m1”',
      });
    });

    it('waits as long as the server said after a rate-limited heartbeat', () => {
      const state = deferHeartbeat(initialAgentState(ME), T0, 30);
      expect(decide(state, [], T0 + 29_000).type).toBe('Wait');
      expect(decide(state, [], T0 + 30_000).type).toBe('SendHeartbeat');
    });

    it('never sends more than 6 heartbeats in any minute over a long run', () => {
      let state = initialAgentState(ME);
      const sent: number[] = [];
      // Ticks every 3 s with status flipping often: the worst case for early heartbeats.
      for (let now = T0; now < T0 + 600_000; now += 3_000) {
        const busy = Math.floor((now - T0) / 7_000) % 2 === 0;
        state = { ...state, work: busy ? working({ claimedAt: now }) : null };
        const board = busy
          ? [mission({ id: 'm1', column: 'IN_PROGRESS', assigneeAgentId: ME, claimedBy: ME })]
          : [];
        const action = decideAgent(
          state,
          { now, board, teammates: [], setup: SETUP },
          pacing,
          rolls(0.5),
        );
        if (action.type === 'SendHeartbeat') {
          sent.push(now);
          state = evolveAgent(state, action, now);
        }
      }
      for (const start of sent) {
        expect(sent.filter((at) => at >= start && at < start + 60_000).length).toBeLessThanOrEqual(
          6,
        );
      }
      // And often enough to stay online (offline after 90 s without one).
      sent.slice(1).forEach((at, index) => expect(at - sent[index]!).toBeLessThan(90_000));
    });
  });

  describe('picking up work', () => {
    it('claims the mission assigned to it, with a plan of 30–120 s at the default pace', () => {
      const board = [
        mission({ id: 'theirs', assigneeAgentId: OTHER }),
        mission({ id: 'mine', assigneeAgentId: ME, title: 'Fix the login', tags: ['security'] }),
      ];
      const shortest = decide(justBeat(), board, T0 + 1_000, rolls(0, 0));
      const longest = decide(justBeat(), board, T0 + 1_000, rolls(0.999, 0.999));

      expect(shortest).toEqual({
        type: 'ClaimMission',
        missionId: 'mine',
        plan: {
          title: 'Fix the login',
          tags: ['security'],
          durationMs: 30_000,
          notesPlanned: 1,
          noteSeed: 0,
          reviewRequested: false,
          runId: null,
          // A low roll: this mission's first run fails (one mission in eight).
          failFirstRun: true,
        },
      });
      expect(longest).toMatchObject({
        type: 'ClaimMission',
        plan: { notesPlanned: 3, failFirstRun: false },
      });
      expect(longest.type === 'ClaimMission' && longest.plan.durationMs).toBeLessThanOrEqual(
        120_000,
      );
    });

    it('resumes a mission it already claimed before starting another, and skips parked ones', () => {
      const board = [
        mission({ id: 'urgent-new', assigneeAgentId: ME, priority: 'URGENT' }),
        mission({
          id: 'started',
          column: 'IN_PROGRESS',
          assigneeAgentId: ME,
          claimedBy: ME,
          priority: 'LOW',
        }),
        mission({
          id: 'parked',
          column: 'BLOCKED',
          assigneeAgentId: ME,
          claimedBy: ME,
          priority: 'URGENT',
        }),
      ];
      expect(decide(justBeat(), board, T0 + 1_000)).toMatchObject({
        type: 'ClaimMission',
        missionId: 'started',
      });
    });

    it('takes back a mission it had in review, and its run, without repeating notes or review request', () => {
      const board = [
        mission({
          id: 'm1',
          column: 'REVIEW',
          assigneeAgentId: ME,
          claimedBy: ME,
          activeRunId: 'run-7',
        }),
      ];
      const claim = decide(justBeat(), board, T0 + 1_000, rolls(0.01));
      expect(claim).toMatchObject({
        type: 'ClaimMission',
        plan: { notesPlanned: 0, reviewRequested: true, runId: 'run-7', failFirstRun: false },
      });
      const resumed = evolveAgent(justBeat(), claim, T0 + 1_000);
      expect(resumed.work).toMatchObject({
        run: { runId: 'run-7', failing: false },
        runsStarted: 1,
      });
      const later = T0 + 1_000 + (claim.type === 'ClaimMission' ? claim.plan.durationMs : 0);
      // The run it carried on is closed first, then the mission is done.
      expect(decide({ ...resumed, lastHeartbeatAt: later }, board, later)).toMatchObject({
        type: 'AppendRunLog',
        runId: 'run-7',
        closing: true,
      });
    });

    it('starts a run of a mission it claimed with no run going on', () => {
      const board = [mission({ id: 'm1', column: 'REVIEW', assigneeAgentId: ME, claimedBy: ME })];
      const claim = decide(justBeat(), board, T0 + 1_000);
      const claimed = evolveAgent(justBeat(), claim, T0 + 1_000);
      expect(decide(claimed, board, T0 + 2_000, rolls(0.25))).toEqual({
        type: 'StartRun',
        missionId: 'm1',
        setup: SETUP,
        seed: 0.25,
      });
    });

    it('takes the most urgent of several new assignments', () => {
      const board = [
        mission({ id: 'low', assigneeAgentId: ME, priority: 'LOW' }),
        mission({ id: 'high', assigneeAgentId: ME, priority: 'HIGH' }),
        mission({ id: 'done', column: 'DONE', assigneeAgentId: ME, priority: 'URGENT' }),
      ];
      expect(decide(justBeat(), board, T0 + 1_000)).toMatchObject({ missionId: 'high' });
    });

    it('waits when nothing is assigned to it (it cannot assign itself)', () => {
      const board = [mission({ id: 'free' }), mission({ id: 'theirs', assigneeAgentId: OTHER })];
      expect(decide(justBeat(), board, T0 + 1_000)).toEqual({ type: 'Wait', reason: 'no work' });
    });
  });

  describe('working a mission', () => {
    const claimed = (column: BoardColumn) => [
      mission({ id: 'm1', column, assigneeAgentId: ME, claimedBy: ME, activeRunId: 'run-1' }),
    ];
    const busy = (work: Partial<AgentWork> = {}) =>
      justBeat({ reportedStatus: 'BUSY', work: working(work) });
    /** Decides at `now` for an agent whose last heartbeat was just then. */
    const at = (work: Partial<AgentWork>, column: BoardColumn, now: number, random = rolls(0.5)) =>
      decide({ ...busy(work), lastHeartbeatAt: now }, claimed(column), now, random);

    it('starts a claimed mission by moving it to IN_PROGRESS', () => {
      expect(decide(busy(), claimed('TODO'), T0 + 1_000)).toEqual({
        type: 'MoveMission',
        missionId: 'm1',
        column: 'IN_PROGRESS',
      });
    });

    it('spreads its progress notes over the time before review', () => {
      // Two notes over a 60 s mission: due at 14 s and 28 s; review at 42 s. In between, it
      // works: its run's log grows.
      expect(at({}, 'IN_PROGRESS', T0 + 10_000)).toMatchObject({
        type: 'AppendRunLog',
        runId: 'run-1',
      });
      expect(at({}, 'IN_PROGRESS', T0 + 14_100)).toMatchObject({
        type: 'PostProgress',
        missionId: 'm1',
      });
      expect(at({ notesPosted: 1 }, 'IN_PROGRESS', T0 + 20_000).type).toBe('AppendRunLog');
      expect(at({ notesPosted: 1 }, 'IN_PROGRESS', T0 + 28_100).type).toBe('PostProgress');
      expect(at({ notesPosted: 2 }, 'IN_PROGRESS', T0 + 41_000).type).toBe('AppendRunLog');
      expect(at({ notesPosted: 2 }, 'IN_PROGRESS', T0 + 42_100)).toEqual({
        type: 'MoveMission',
        missionId: 'm1',
        column: 'REVIEW',
      });
    });

    it('opens with a note on starting, then posts notes that fit the mission and differ', () => {
      for (const noteSeed of [0, 0.3, 0.6, 0.99]) {
        const bodies = [0, 1, 2].map((notesPosted) => {
          const action = at(
            { notesPlanned: 3, notesPosted, noteSeed, tags: ['database'] },
            'IN_PROGRESS',
            T0 + 41_000,
          );
          return action.type === 'PostProgress' ? action.body : action.type;
        });
        expect(bodies[0]).toMatch(/^(Picked this up|Starting on this|On it)/);
        expect(new Set(bodies).size).toBe(3);
      }
    });

    it('posts the notes it owes before asking for review, even when late', () => {
      expect(at({}, 'IN_PROGRESS', T0 + 59_000).type).toBe('PostProgress');
    });

    it('asks a teammate for review by @name, then finishes once the planned time is up', () => {
      const ask = at({ notesPosted: 2 }, 'REVIEW', T0 + 45_000, rolls(0.9, 0));
      expect(ask.type).toBe('RequestReview');
      expect(ask.type === 'RequestReview' && ask.body).toMatch(/^Ready for review: .*@Nova/);

      const asked = { notesPosted: 2, reviewRequested: true };
      expect(at(asked, 'REVIEW', T0 + 59_000)).toMatchObject({
        type: 'AppendRunLog',
        closing: false,
      });
      // Time is up: the run's last lines, its last tokens, SUCCEEDED, and only then DONE.
      expect(at(asked, 'REVIEW', T0 + 60_000)).toMatchObject({
        type: 'AppendRunLog',
        runId: 'run-1',
        closing: true,
      });
      const closed = { ...asked, run: running({ closed: true, unreported: 1 }) };
      expect(at(closed, 'REVIEW', T0 + 61_000)).toMatchObject({
        type: 'ReportUsage',
        runId: 'run-1',
      });
      const reported = { ...asked, run: running({ closed: true }) };
      expect(at(reported, 'REVIEW', T0 + 62_000)).toEqual({
        type: 'FinishRun',
        runId: 'run-1',
        outcome: 'SUCCEEDED',
        summary: expect.stringContaining('Finished “Mission m1”') as string,
      });
      const succeeded = { ...asked, run: null, succeeded: true };
      expect(at(succeeded, 'REVIEW', T0 + 63_000)).toEqual({
        type: 'MoveMission',
        missionId: 'm1',
        column: 'DONE',
      });
    });

    it('forgets a mission that was reassigned, unclaimed, finished, parked or deleted', () => {
      const state = busy();
      const cases: BoardMission[][] = [
        [mission({ id: 'm1', column: 'IN_PROGRESS', assigneeAgentId: OTHER, claimedBy: null })],
        [mission({ id: 'm1', column: 'IN_PROGRESS', assigneeAgentId: ME, claimedBy: null })],
        [mission({ id: 'm1', column: 'DONE', assigneeAgentId: ME, claimedBy: ME })],
        [mission({ id: 'm1', column: 'BLOCKED', assigneeAgentId: ME, claimedBy: ME })],
        [],
      ];
      for (const board of cases) {
        expect(reconcileAgent(state, board).work).toBeNull();
      }
      expect(reconcileAgent(state, claimed('REVIEW'))).toBe(state);
    });
  });

  describe('evolving', () => {
    it('remembers the plan on claim, counts notes and review, and is free again when done', () => {
      const claim: AgentAction = {
        type: 'ClaimMission',
        missionId: 'm1',
        plan: {
          title: 'T',
          tags: ['ui'],
          durationMs: 50_000,
          notesPlanned: 2,
          noteSeed: 0.3,
          reviewRequested: false,
          runId: null,
          failFirstRun: false,
        },
      };
      let state = evolveAgent(justBeat(), claim, T0 + 5);
      expect(state.work).toEqual({
        missionId: 'm1',
        title: 'T',
        tags: ['ui'],
        durationMs: 50_000,
        notesPlanned: 2,
        noteSeed: 0.3,
        claimedAt: T0 + 5,
        notesPosted: 0,
        reviewRequested: false,
        run: null,
        runsStarted: 0,
        failFirstRun: false,
        succeeded: false,
      });
      state = evolveAgent(state, { type: 'PostProgress', missionId: 'm1', body: 'x' }, T0 + 6);
      state = evolveAgent(state, { type: 'RequestReview', missionId: 'm1', body: 'y' }, T0 + 7);
      expect(state.work).toMatchObject({ notesPosted: 1, reviewRequested: true });
      state = evolveAgent(
        state,
        { type: 'MoveMission', missionId: 'm1', column: 'REVIEW' },
        T0 + 8,
      );
      expect(state.work).not.toBeNull();
      state = evolveAgent(state, { type: 'MoveMission', missionId: 'm1', column: 'DONE' }, T0 + 9);
      expect(state).toMatchObject({ work: null, finished: 1 });
    });
  });

  /**
   * Plays an agent against a board of one mission assigned to it, with ticks every 3–10 s, until
   * the mission is DONE; the board follows its actions as the API would. Each tick is what the
   * runner does: the agent's action, then its run's own step when that action was not one.
   */
  function simulate(random: () => number) {
    let board = [mission({ id: 'm1', assigneeAgentId: ME, tags: ['database'] })];
    let state = initialAgentState(ME);
    const actions: AgentAction[] = [];
    let runs = 0;
    let now = T0;
    const perform = (action: AgentAction) => {
      actions.push(action);
      if (action.type === 'StartRun') {
        runs += 1;
        const runId = `run-${runs}`;
        board = board.map((m) => ({ ...m, activeRunId: runId }));
        state = evolveAgent(state, action, now, { type: 'RunStarted', runId });
        return;
      }
      if (action.type === 'ClaimMission') {
        board = board.map((m) => ({ ...m, claimedBy: ME }));
      }
      if (action.type === 'MoveMission') {
        board = board.map((m) => ({ ...m, column: action.column }));
      }
      if (action.type === 'FinishRun') {
        board = board.map((m) => ({ ...m, activeRunId: null }));
      }
      state = evolveAgent(state, action, now);
    };
    while (state.finished === 0 && now < T0 + 600_000) {
      state = reconcileAgent(state, board);
      const view = { now, board, teammates: ['Atlas'], setup: SETUP };
      const action = decideAgent(state, view, pacing, random);
      perform(action);
      const step = writesToRun(action) ? null : decideRunStep(state, view, pacing, random);
      if (step) {
        perform(step);
      }
      now += pacing.paceMs * (0.75 + 1.75 * random());
    }
    return { actions, elapsed: now - T0 };
  }

  const columnsOf = (actions: AgentAction[]) =>
    actions.flatMap((action) => (action.type === 'MoveMission' ? [action.column] : []));

  it('takes a mission from TODO to DONE in 30–120 s and a few ticks, under one run', () => {
    const { actions, elapsed } = simulate(rolls(0.1, 0.7, 0.4, 0.95, 0.2, 0.55));
    expect(columnsOf(actions)).toEqual(['IN_PROGRESS', 'REVIEW', 'DONE']);
    expect(elapsed).toBeGreaterThanOrEqual(30_000);
    // The planned time, then closing the run: its last lines, tokens and outcome.
    expect(elapsed).toBeLessThanOrEqual(150_000);

    const kinds = actions.map((action) => action.type);
    expect(kinds.filter((kind) => kind === 'StartRun')).toHaveLength(1);
    // Claimed, then the run starts before anything else happens to the mission.
    expect(kinds.filter((kind) => kind !== 'SendHeartbeat').slice(0, 3)).toEqual([
      'ClaimMission',
      'StartRun',
      'MoveMission',
    ]);
    // Nothing is written to the run after it finished.
    expect(
      kinds.slice(kinds.indexOf('FinishRun') + 1).filter((kind) => kind !== 'SendHeartbeat'),
    ).toEqual(['MoveMission']);
    const finish = actions.find((action) => action.type === 'FinishRun');
    expect(finish).toMatchObject({ outcome: 'SUCCEEDED' });
    expect(kinds.indexOf('FinishRun')).toBeLessThan(kinds.lastIndexOf('MoveMission'));

    // A few lines a tick, some coloured, and its tokens every three chunks.
    const chunks = actions.flatMap((action) => (action.type === 'AppendRunLog' ? [action] : []));
    // About one a tick while it works.
    expect(chunks.length).toBeGreaterThanOrEqual(6);
    for (const chunk of chunks) {
      expect(chunk.lines.length).toBeGreaterThanOrEqual(2);
      expect(chunk.lines.length).toBeLessThanOrEqual(5);
    }
    expect(chunks.flatMap((chunk) => chunk.lines).some((line) => line.text.includes('\x1b['))).toBe(
      true,
    );
    // Every third chunk of a run under way says how far along it is, further each time.
    const notes = chunks.flatMap((chunk) => (chunk.progress ? [chunk.progress] : []));
    expect(notes.length).toBeGreaterThanOrEqual(2);
    expect(notes.map((note) => note.note)).toContain('Running the tests');
    for (const { note } of notes) {
      expect([
        'Reading the code',
        'Making the change',
        'Running the tests',
        'Addressing review comments',
      ]).toContain(note);
    }
    for (const [i, { percent }] of notes.entries()) {
      expect(percent).toBeGreaterThanOrEqual(i === 0 ? 0 : notes[i - 1]!.percent);
      expect(percent).toBeLessThan(100);
    }
    expect(chunks.filter((chunk) => chunk.closing).every((chunk) => chunk.progress === null)).toBe(
      true,
    );
    const reports = actions.flatMap((action) => (action.type === 'ReportUsage' ? [action] : []));
    expect(reports.length).toBeGreaterThanOrEqual(Math.floor(chunks.length / 4));
    for (const { usage } of reports) {
      expect(usage.model).toBe('claude-sonnet-4-5');
      expect(usage.inputTokens).toBeGreaterThanOrEqual(20_000);
      expect(usage.inputTokens).toBeLessThanOrEqual(80_000);
      expect(usage.cachedInputTokens).toBeLessThan(usage.inputTokens);
      expect(usage.outputTokens).toBeGreaterThanOrEqual(500);
    }
  });

  it('fails its first run part-way when the plan says so, then does the work in a second', () => {
    // The claim's last roll (after the first heartbeat's and the tick's) is below one in eight:
    // its first run fails.
    const { actions } = simulate(rolls(0.1, 0.7, 0.4, 0.95, 0.55, 0.05));
    const finishes = actions.flatMap((action) => (action.type === 'FinishRun' ? [action] : []));
    expect(finishes.map((finish) => [finish.runId, finish.outcome])).toEqual([
      ['run-1', 'FAILED'],
      ['run-2', 'SUCCEEDED'],
    ]);
    expect(finishes[0]!.summary).toMatch(/Starting again/);
    // Its last chunk says what broke, on stderr, before the run is marked FAILED.
    const failedLog = actions.find(
      (action) => action.type === 'AppendRunLog' && action.runId === 'run-1' && action.closing,
    );
    expect(
      failedLog?.type === 'AppendRunLog' &&
        failedLog.lines.filter((line) => line.stream === 'STDERR').length,
    ).toBeGreaterThanOrEqual(2);
    expect(columnsOf(actions)).toEqual(['IN_PROGRESS', 'REVIEW', 'DONE']);
  });

  it('logs on stderr now and then, and its chunks do not repeat', () => {
    const state = justBeat({ reportedStatus: 'BUSY', work: working() });
    const board = [
      mission({
        id: 'm1',
        column: 'IN_PROGRESS',
        assigneeAgentId: ME,
        claimedBy: ME,
        activeRunId: 'run-1',
      }),
    ];
    const texts = new Set<string>();
    let warnings = 0;
    for (let roll = 0; roll < 1; roll += 0.05) {
      const action = decide(state, board, T0 + 5_000, rolls(roll, (roll * 7) % 1, roll));
      if (action.type !== 'AppendRunLog') {
        throw new Error(`expected a log chunk, got ${action.type}`);
      }
      texts.add(action.lines.map((line) => line.text).join('\n'));
      warnings += action.lines.some((line) => line.stream === 'STDERR') ? 1 : 0;
    }
    expect(warnings).toBeGreaterThan(0);
    expect(warnings).toBeLessThan(10);
    expect(texts.size).toBeGreaterThan(15);
    // Every run of two chunks or more has one on stderr: its second.
    const second = decide(
      justBeat({ reportedStatus: 'BUSY', work: working({ run: running({ chunks: 1 }) }) }),
      board,
      T0 + 5_000,
      rolls(0.9),
    );
    expect(
      second.type === 'AppendRunLog' && second.lines.some((line) => line.stream === 'STDERR'),
    ).toBe(true);
  });

  describe('runs', () => {
    it('remembers the run it started, and counts chunks between usage reports', () => {
      const start: AgentAction = { type: 'StartRun', missionId: 'm1', setup: SETUP, seed: 0.4 };
      const fresh = justBeat({ work: working({ run: null, runsStarted: 0 }) });
      expect(() => evolveAgent(fresh, start, T0)).toThrow(/id/);
      let state = evolveAgent(fresh, start, T0, { type: 'RunStarted', runId: 'run-9' });
      expect(state.work).toMatchObject({
        run: running({ runId: 'run-9', seed: 0.4 }),
        runsStarted: 1,
      });
      const chunk: AgentAction = {
        type: 'AppendRunLog',
        runId: 'run-9',
        lines: [],
        closing: false,
        progress: null,
      };
      state = evolveAgent(evolveAgent(state, chunk, T0 + 1), chunk, T0 + 2);
      expect(state.work?.run).toMatchObject({ chunks: 2, unreported: 2 });
      state = evolveAgent(
        state,
        {
          type: 'ReportUsage',
          runId: 'run-9',
          usage: { model: 'm', inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
        },
        T0 + 3,
      );
      expect(state.work?.run).toMatchObject({ chunks: 2, unreported: 0 });
      state = evolveAgent(
        state,
        { type: 'FinishRun', runId: 'run-9', outcome: 'SUCCEEDED', summary: 's' },
        T0 + 4,
      );
      expect(state.work).toMatchObject({ run: null, succeeded: true });
    });

    it('reports its tokens once three chunks went unreported', () => {
      const board = [
        mission({
          id: 'm1',
          column: 'IN_PROGRESS',
          assigneeAgentId: ME,
          claimedBy: ME,
          activeRunId: 'run-1',
        }),
      ];
      const at = (unreported: number) =>
        decide(
          justBeat({ reportedStatus: 'BUSY', work: working({ run: running({ unreported }) }) }),
          board,
          T0 + 5_000,
        ).type;
      expect([at(0), at(2), at(3)]).toEqual(['AppendRunLog', 'AppendRunLog', 'ReportUsage']);
    });

    it('forgets a run the board no longer shows going on, and starts another', () => {
      const state = justBeat({ reportedStatus: 'BUSY', work: working() });
      const board = [
        mission({
          id: 'm1',
          column: 'IN_PROGRESS',
          assigneeAgentId: ME,
          claimedBy: ME,
          activeRunId: null,
        }),
      ];
      expect(reconcileAgent(state, board).work).toMatchObject({ missionId: 'm1', run: null });
      expect(decide(state, board, T0 + 5_000)).toMatchObject({ type: 'StartRun', missionId: 'm1' });
      expect(forgetRun(justBeat())).toEqual(justBeat());
    });
  });

  describe('stopped by a budget', () => {
    const board = [
      mission({
        id: 'm1',
        column: 'IN_PROGRESS',
        assigneeAgentId: ME,
        claimedBy: ME,
        activeRunId: 'run-1',
      }),
    ];
    const stoppedAt = T0 + 5_000;
    const stopped = stopByBudget(
      justBeat({ reportedStatus: 'BUSY', work: working() }),
      REASON,
      stoppedAt,
      pacing,
    );

    it('drops its run and says so in its next heartbeat, idle, as soon as a change may be told', () => {
      expect(stopped.work?.run).toBeNull();
      expect(stopped.stop).toEqual({
        reason: REASON,
        since: stoppedAt,
        retryAt: stoppedAt + 60_000,
        refusals: 0,
      });
      expect(decide(stopped, board, T0 + 12_000)).toEqual({
        type: 'SendHeartbeat',
        status: 'IDLE',
        activity: `Stopped by a budget — ${REASON}`,
      });
    });

    it('gives its mission back rather than keep it from the others', () => {
      expect(decide(stopped, board, stoppedAt + 1)).toEqual({
        type: 'ReleaseMission',
        missionId: 'm1',
      });
      const released = evolveAgent(
        stopped,
        { type: 'ReleaseMission', missionId: 'm1' },
        stoppedAt + 1,
      );
      expect(released).toMatchObject({ work: null, stop: { reason: REASON } });
    });

    it('rests without reading the board but to heartbeat, and tries again after a minute', () => {
      const idle = {
        ...stopped,
        work: null,
        lastHeartbeatAt: T0 + 12_000,
        reportedStatus: 'IDLE' as const,
      };
      const assigned = [mission({ id: 'm2', assigneeAgentId: ME })];
      // The next heartbeat (every 15 s) comes before the next try.
      expect(restingUntil(idle, pacing)).toBe(T0 + 27_000);
      const beat = { ...idle, lastHeartbeatAt: stoppedAt + 50_000 };
      expect(restingUntil(beat, pacing)).toBe(stoppedAt + 60_000);
      expect(decide(beat, assigned, stoppedAt + 59_999)).toEqual({
        type: 'Wait',
        reason: 'stopped by a budget',
      });
      expect(decide(beat, assigned, stoppedAt + 60_000)).toMatchObject({
        type: 'ClaimMission',
        missionId: 'm2',
      });
      // Working, it does not rest.
      expect(restingUntil(justBeat({ work: working() }), pacing)).toBe(0);
      expect(restingUntil(justBeat(), pacing)).toBe(0);
    });

    it('rests twice as long after each refusal, up to 10 min, until a run starts again', () => {
      let state = stopped;
      const rests: number[] = [];
      for (let refusal = 0; refusal < 6; refusal += 1) {
        const now = state.stop!.retryAt;
        state = stopByBudget(state, REASON, now, pacing);
        rests.push(state.stop!.retryAt - now);
      }
      expect(rests).toEqual([120_000, 240_000, 480_000, 600_000, 600_000, 600_000]);
      expect(state.stop?.since).toBe(stoppedAt);

      // A mission claimed after the rest: a run is tried, and once it starts the stop is over.
      const claimed = {
        ...state,
        work: working({ run: null, runsStarted: 0 }),
        lastHeartbeatAt: state.stop!.retryAt,
      };
      const now = state.stop!.retryAt;
      const unstarted = [mission({ id: 'm1', column: 'TODO', assigneeAgentId: ME, claimedBy: ME })];
      const start = decide(claimed, unstarted, now);
      expect(start).toMatchObject({ type: 'StartRun', missionId: 'm1' });
      const going = evolveAgent(claimed, start, now, { type: 'RunStarted', runId: 'run-2' });
      expect(going.stop).toBeNull();
      expect(going.work?.run?.runId).toBe('run-2');
    });
  });
});
