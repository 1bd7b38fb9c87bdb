import type { BoardMission, BudgetView, RosterAgent } from './demo-board.model';
import {
  decideCommander,
  defaultCommanderLimits,
  evolveCommander,
  initialCommanderState,
  reconcileCommander,
  type CommanderState,
  type CommanderView,
} from './demo-commander.decider';
import { MISSION_TEMPLATES, type MissionTemplate } from './demo-squad.catalog';

const T0 = 5_000_000;
const limits = defaultCommanderLimits(4_000);

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

const agent = (overrides: Partial<RosterAgent> & { id: string }): RosterAgent => ({
  name: overrides.id,
  status: 'IDLE',
  capabilities: [],
  ...overrides,
});

const template = (title: string): MissionTemplate => ({
  title,
  description: 'd',
  priority: 'MEDIUM',
  tags: [],
});

const view = (overrides: Partial<CommanderView>): CommanderView => ({
  now: T0,
  board: [],
  squad: [],
  templates: [template('A'), template('B')],
  budgets: [],
  demoBudgetIds: [],
  recentRuns: [],
  ...overrides,
});

const budget = (overrides: Partial<BudgetView> & { id: string }): BudgetView => ({
  name: `Budget ${overrides.id}`,
  agentId: null,
  standing: 'OK',
  ...overrides,
});

const decide = (
  overrides: Partial<CommanderView>,
  state: CommanderState = initialCommanderState,
  random = () => 0,
) => decideCommander(state, view(overrides), limits, random);

describe('the demo commander decider', () => {
  it('gives the most urgent backlog mission to the free agent whose capabilities fit it best', () => {
    const action = decide({
      board: [
        mission({ id: 'low', column: 'BACKLOG', priority: 'LOW', tags: ['ui'] }),
        mission({ id: 'urgent', column: 'BACKLOG', priority: 'URGENT', tags: ['database', 'api'] }),
        mission({ id: 'queued', column: 'TODO', priority: 'URGENT', tags: ['api'] }),
      ],
      squad: [
        agent({ id: 'pixel', capabilities: ['ui'] }),
        agent({ id: 'nova', capabilities: ['api', 'database'] }),
      ],
    });
    expect(action).toEqual({ type: 'AssignMission', missionId: 'urgent', agentId: 'nova' });
  });

  it('never assigns what waits unassigned in To do: agents take that themselves', () => {
    const squad = [agent({ id: 'nova' })];
    const board = [mission({ id: 'r1' }), mission({ id: 'r2' })];
    expect(decide({ board, squad }).type).not.toBe('AssignMission');
  });

  it('hands work only to online agents with nothing workable assigned', () => {
    const board = [
      mission({ id: 'ready', column: 'BACKLOG' }),
      mission({ id: 'busy-work', column: 'IN_PROGRESS', assigneeAgentId: 'busy' }),
      mission({ id: 'old', column: 'DONE', assigneeAgentId: 'free' }),
      mission({ id: 'parked', column: 'BLOCKED', assigneeAgentId: 'free' }),
    ];
    const squad = [
      agent({ id: 'busy', status: 'BUSY' }),
      agent({ id: 'offline', status: 'OFFLINE' }),
      agent({ id: 'inactive', status: 'INACTIVE' }),
      agent({ id: 'free', status: 'BUSY' }),
    ];
    expect(decide({ board, squad })).toEqual({
      type: 'AssignMission',
      missionId: 'ready',
      agentId: 'free',
    });
    expect(decide({ board, squad: squad.slice(0, 3) }).type).not.toBe('AssignMission');
  });

  it('moves the most urgent backlog mission to TODO when fewer than two are ready', () => {
    const action = decide({
      board: [
        mission({ id: 'ready' }),
        mission({ id: 'b-low', column: 'BACKLOG', priority: 'LOW' }),
        mission({ id: 'b-high', column: 'BACKLOG', priority: 'HIGH' }),
      ],
    });
    expect(action).toEqual({ type: 'TriageMission', missionId: 'b-high' });
    expect(
      decide({
        board: [
          mission({ id: 'r1' }),
          mission({ id: 'r2' }),
          mission({ id: 'b', column: 'BACKLOG' }),
        ],
      }).type,
    ).not.toBe('TriageMission');
  });

  it('adds a mission whose title is not on the board yet when the queue runs short', () => {
    const board = [mission({ id: 'a', title: 'A', column: 'IN_PROGRESS', assigneeAgentId: 'x' })];
    expect(decide({ board }, initialCommanderState, () => 0.99)).toEqual({
      type: 'AddMission',
      template: template('B'),
    });
  });

  it('keeps to the cap on open missions and to a pause between additions', () => {
    const open = Array.from({ length: limits.maxOpen }, (_, index) =>
      mission({ id: `m${index}`, column: 'IN_PROGRESS', assigneeAgentId: `a${index}` }),
    );
    expect(decide({ board: open }).type).toBe('Wait');
    expect(decide({ board: open.slice(1) }).type).toBe('AddMission');

    const justAdded: CommanderState = {
      ...initialCommanderState,
      lastAddedAt: T0 - limits.createEveryMs + 1,
    };
    expect(decide({}, justAdded).type).toBe('Wait');
    expect(
      decide({}, { ...initialCommanderState, lastAddedAt: T0 - limits.createEveryMs }).type,
    ).toBe('AddMission');
  });

  it('does not add while enough missions wait', () => {
    const waiting = Array.from({ length: limits.queueTarget }, (_, index) =>
      mission({ id: `w${index}`, column: index % 2 === 0 ? 'TODO' : 'BACKLOG' }),
    );
    expect(decide({ board: waiting }).type).toBe('Wait');
  });

  it('reopens the mission finished longest ago once every title has been used', () => {
    const board = [
      mission({ id: 'a', title: 'A', column: 'DONE', updatedAt: '2026-03-02T10:00:00.000Z' }),
      mission({ id: 'b', title: 'B', column: 'DONE', updatedAt: '2026-03-01T10:00:00.000Z' }),
    ];
    const action = decide({ board });
    expect(action).toMatchObject({ type: 'ReopenMission', missionId: 'b' });
    expect(action.type === 'ReopenMission' && action.note).toMatch(/^Reopening/);
    expect(
      decide({
        board: [
          mission({ id: 'a', title: 'A', column: 'IN_PROGRESS' }),
          mission({ id: 'b', title: 'B', column: 'REVIEW' }),
        ],
      }).type,
    ).toBe('Wait');
  });

  it('notes when it last added work, so additions are paced', () => {
    const added = evolveCommander(
      initialCommanderState,
      { type: 'AddMission', template: template('A') },
      T0,
    );
    expect(added).toEqual({ lastAddedAt: T0, exceededSince: {}, changesAsked: [] });
    expect(evolveCommander(added, { type: 'TriageMission', missionId: 'x' }, T0 + 1)).toBe(added);
    expect(
      evolveCommander(added, { type: 'ReopenMission', missionId: 'x', note: 'n' }, T0 + 2),
    ).toEqual({
      lastAddedAt: T0 + 2,
      exceededSince: {},
      changesAsked: [],
    });
  });

  describe('budgets', () => {
    const squad = [
      agent({ id: 'nova', capabilities: ['api'] }),
      agent({ id: 'pixel', capabilities: ['ui'] }),
    ];
    const ready = [mission({ id: 'ready', column: 'BACKLOG', tags: ['api'] })];

    it('hands no work to an agent its budget stopped, nor to anyone under a workspace stop', () => {
      const novas = budget({ id: 'b1', agentId: 'nova', standing: 'EXCEEDED' });
      expect(decide({ board: ready, squad, budgets: [novas] })).toEqual({
        type: 'AssignMission',
        missionId: 'ready',
        agentId: 'pixel',
      });
      for (const standing of ['OK', 'WARNING', 'RESUMED'] as const) {
        expect(decide({ board: ready, squad, budgets: [{ ...novas, standing }] })).toMatchObject({
          agentId: 'nova',
        });
      }
      const everyone = budget({ id: 'b2', standing: 'EXCEEDED' });
      expect(decide({ board: ready, squad, budgets: [everyone] }).type).not.toBe('AssignMission');
    });

    it('first gives a mission left in progress with no one on it to a free agent, never one in review', () => {
      const left = mission({ id: 'left', column: 'IN_PROGRESS', tags: ['ui'], priority: 'LOW' });
      expect(decide({ board: [...ready, left], squad })).toEqual({
        type: 'AssignMission',
        missionId: 'left',
        agentId: 'pixel',
      });
      const inReview = { ...left, column: 'REVIEW' as const };
      expect(decide({ board: [...ready, inReview], squad })).toMatchObject({
        type: 'AssignMission',
        missionId: 'ready',
      });
    });

    it('resumes the demo’s budget once it has stood stopped for a while, never a person’s', () => {
      const demo = budget({ id: 'demo', agentId: 'nova', standing: 'EXCEEDED' });
      const theirs = budget({ id: 'theirs', agentId: 'pixel', standing: 'EXCEEDED' });
      const budgets = [demo, theirs];
      let state = reconcileCommander(initialCommanderState, budgets, T0);
      expect(state.exceededSince).toEqual({ demo: T0, theirs: T0 });
      // Seen again later: still stopped since it was first seen so.
      state = reconcileCommander(state, budgets, T0 + 60_000);
      expect(state.exceededSince).toEqual({ demo: T0, theirs: T0 });

      const at = (now: number) => decide({ now, budgets, demoBudgetIds: ['demo'] }, state).type;
      expect(at(T0 + limits.resumeBudgetAfterMs - 1)).not.toBe('ResumeBudget');
      expect(
        decide({ now: T0 + limits.resumeBudgetAfterMs, budgets, demoBudgetIds: ['demo'] }, state),
      ).toEqual({
        type: 'ResumeBudget',
        budgetId: 'demo',
      });
      expect(
        decide({ now: T0 + 10 * limits.resumeBudgetAfterMs, budgets, demoBudgetIds: [] }, state)
          .type,
      ).not.toBe('ResumeBudget');

      const resumed = evolveCommander(state, { type: 'ResumeBudget', budgetId: 'demo' }, T0 + 1);
      expect(resumed.exceededSince).toEqual({ theirs: T0 });
      // No longer exceeded: forgotten, and counted afresh if it stops again.
      expect(
        reconcileCommander(state, [{ ...demo, standing: 'RESUMED' }], T0 + 2).exceededSince,
      ).toEqual({});
    });

    it('resumes after 3 min at the default pace', () => {
      expect(limits.resumeBudgetAfterMs).toBe(180_000);
    });
  });

  describe('reviews', () => {
    const squad = [agent({ id: 'nova-id', name: 'Nova' })];
    const finished = mission({
      id: 'finished',
      column: 'REVIEW',
      updatedAt: new Date(T0 - limits.reviewAfterMs).toISOString(),
    });
    const recentRuns = [
      { missionId: 'other', agentId: 'someone', status: 'SUCCEEDED' },
      { missionId: 'finished', agentId: 'nova-id', status: 'SUCCEEDED' },
      { missionId: 'finished', agentId: 'earlier', status: 'FAILED' },
    ];

    it('merges a mission that has waited in review, addressing the agent whose run finished it', () => {
      const action = decide(
        { board: [finished], squad, recentRuns },
        initialCommanderState,
        () => 0.9,
      );
      expect(action).toMatchObject({
        type: 'ReviewMission',
        missionId: 'finished',
        verdict: 'approve',
        agentId: 'nova-id',
      });
      expect(action.type === 'ReviewMission' && action.comment).toMatch(/^@Nova /);
    });

    it('lets it wait a while first, and leaves one still claimed alone', () => {
      const fresh = { ...finished, updatedAt: new Date(T0 - 1_000).toISOString() };
      expect(decide({ board: [fresh], squad, recentRuns }).type).not.toBe('ReviewMission');
      const held = { ...finished, claimedBy: 'nova-id' };
      expect(decide({ board: [held], squad, recentRuns }).type).not.toBe('ReviewMission');
    });

    it('now and then asks the agent for a change, once a mission, then merges the next time', () => {
      const first = decide(
        { board: [finished], squad, recentRuns },
        initialCommanderState,
        () => 0,
      );
      expect(first).toMatchObject({ verdict: 'changes', agentId: 'nova-id' });
      expect(first.type === 'ReviewMission' && first.comment).toMatch(/^Thanks @Nova — /);
      const state = evolveCommander(initialCommanderState, first, T0);
      expect(state.changesAsked).toEqual(['finished']);
      const second = decide({ board: [finished], squad, recentRuns }, state, () => 0);
      expect(second).toMatchObject({ verdict: 'approve' });
      expect(evolveCommander(state, second, T0).changesAsked).toEqual([]);
    });

    it('merges without naming anyone when it cannot tell whose run it was', () => {
      const action = decide({ board: [finished], squad, recentRuns: [] });
      expect(action).toMatchObject({ type: 'ReviewMission', verdict: 'approve', agentId: null });
    });
  });

  it('keeps the board bounded: over a long simulated run, open missions never exceed the cap', () => {
    let board: BoardMission[] = [];
    let state = initialCommanderState;
    const squad = [agent({ id: 'a1' }), agent({ id: 'a2' })];
    let id = 0;
    for (let now = T0; now < T0 + 3_600_000; now += 8_000) {
      const action = decideCommander(
        state,
        {
          now,
          board,
          squad,
          templates: MISSION_TEMPLATES,
          budgets: [],
          demoBudgetIds: [],
          recentRuns: [],
        },
        limits,
        Math.random,
      );
      switch (action.type) {
        case 'AddMission':
          id += 1;
          board.push(mission({ id: `n${id}`, title: action.template.title, column: 'BACKLOG' }));
          break;
        case 'TriageMission':
          board = board.map((m) => (m.id === action.missionId ? { ...m, column: 'TODO' } : m));
          break;
        case 'AssignMission':
          board = board.map((m) =>
            m.id === action.missionId
              ? { ...m, assigneeAgentId: action.agentId, column: 'IN_PROGRESS' }
              : m,
          );
          break;
        case 'ReopenMission':
          board = board.map((m) =>
            m.id === action.missionId ? { ...m, assigneeAgentId: null, column: 'BACKLOG' } : m,
          );
          break;
        case 'ReviewMission':
          board = board.map((m) =>
            m.id === action.missionId
              ? { ...m, column: action.verdict === 'approve' ? 'DONE' : 'TODO' }
              : m,
          );
          break;
        case 'ResumeBudget':
        case 'Wait':
          break;
      }
      state = evolveCommander(state, action, now);
      // Agents' runs finish what they hold every other tick, for the commander to review.
      if ((now - T0) % 16_000 === 0) {
        const at = new Date(now).toISOString();
        board = board.map((m) =>
          m.column === 'IN_PROGRESS'
            ? { ...m, column: 'REVIEW', assigneeAgentId: null, updatedAt: at }
            : m,
        );
      }
      expect(board.filter((m) => m.column !== 'DONE').length).toBeLessThanOrEqual(limits.maxOpen);
    }
    expect(board.length).toBeLessThanOrEqual(MISSION_TEMPLATES.length);
    expect(new Set(board.map((m) => m.title)).size).toBe(board.length);
    expect(board.filter((m) => m.column === 'DONE').length).toBeGreaterThan(10);
  });
});
