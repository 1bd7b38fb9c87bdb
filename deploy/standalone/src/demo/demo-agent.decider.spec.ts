import {
  decideAgent,
  defaultAgentPacing,
  deferHeartbeat,
  evolveAgent,
  initialAgentState,
  reconcileAgent,
  type AgentAction,
  type AgentWork,
  type DemoAgentState,
} from './demo-agent.decider';
import type { BoardColumn, BoardMission } from './demo-board.model';

const ME = 'agent-me';
const OTHER = 'agent-other';
const pacing = defaultAgentPacing(4_000);
const T0 = 1_000_000;

const mission = (overrides: Partial<BoardMission> & { id: string }): BoardMission => ({
  title: `Mission ${overrides.id}`,
  column: 'TODO',
  priority: 'MEDIUM',
  tags: [],
  assigneeAgentId: null,
  claimedBy: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
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
  ...overrides,
});

const decide = (state: DemoAgentState, board: BoardMission[], now: number, random = rolls(0.5)) =>
  decideAgent(
    reconcileAgent(state, board),
    { now, board, teammates: ['Atlas', 'Nova'] },
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
        mission({ id: 'm1', column: 'IN_PROGRESS', assigneeAgentId: ME, claimedBy: ME }),
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
        const action = decideAgent(state, { now, board, teammates: [] }, pacing, rolls(0.5));
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
        },
      });
      expect(longest).toMatchObject({ type: 'ClaimMission', plan: { notesPlanned: 3 } });
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

    it('takes back a mission it had in review without repeating its notes or review request', () => {
      const board = [mission({ id: 'm1', column: 'REVIEW', assigneeAgentId: ME, claimedBy: ME })];
      const claim = decide(justBeat(), board, T0 + 1_000);
      expect(claim).toMatchObject({
        type: 'ClaimMission',
        plan: { notesPlanned: 0, reviewRequested: true },
      });
      const resumed = evolveAgent(justBeat(), claim, T0 + 1_000);
      const later = T0 + 1_000 + (claim.type === 'ClaimMission' ? claim.plan.durationMs : 0);
      expect(decide({ ...resumed, lastHeartbeatAt: later }, board, later)).toEqual({
        type: 'MoveMission',
        missionId: 'm1',
        column: 'DONE',
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
      mission({ id: 'm1', column, assigneeAgentId: ME, claimedBy: ME }),
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
      // Two notes over a 60 s mission: due at 14 s and 28 s; review at 42 s.
      expect(at({}, 'IN_PROGRESS', T0 + 10_000)).toEqual({ type: 'Wait', reason: 'working' });
      expect(at({}, 'IN_PROGRESS', T0 + 14_100)).toMatchObject({
        type: 'PostProgress',
        missionId: 'm1',
      });
      expect(at({ notesPosted: 1 }, 'IN_PROGRESS', T0 + 20_000).type).toBe('Wait');
      expect(at({ notesPosted: 1 }, 'IN_PROGRESS', T0 + 28_100).type).toBe('PostProgress');
      expect(at({ notesPosted: 2 }, 'IN_PROGRESS', T0 + 41_000).type).toBe('Wait');
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
      expect(at(asked, 'REVIEW', T0 + 59_000)).toEqual({ type: 'Wait', reason: 'in review' });
      expect(at(asked, 'REVIEW', T0 + 60_000)).toEqual({
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

  it('takes a mission from TODO to DONE in 30–120 s of simulated ticks every 3–10 s', () => {
    let board = [mission({ id: 'm1', assigneeAgentId: ME })];
    let state = initialAgentState(ME);
    const random = rolls(0.1, 0.7, 0.4, 0.95, 0.2, 0.55);
    const columns: BoardColumn[] = [];
    let now = T0;
    while (state.finished === 0 && now < T0 + 600_000) {
      state = reconcileAgent(state, board);
      const action = decideAgent(state, { now, board, teammates: ['Atlas'] }, pacing, random);
      if (action.type === 'ClaimMission') {
        board = board.map((m) => ({ ...m, claimedBy: ME }));
      }
      if (action.type === 'MoveMission') {
        board = board.map((m) => ({ ...m, column: action.column }));
        columns.push(action.column);
      }
      state = evolveAgent(state, action, now);
      now += pacing.paceMs * (0.75 + 1.75 * random());
    }
    expect(columns).toEqual(['IN_PROGRESS', 'REVIEW', 'DONE']);
    expect(now - T0).toBeGreaterThanOrEqual(30_000);
    expect(now - T0).toBeLessThanOrEqual(150_000);
  });
});
