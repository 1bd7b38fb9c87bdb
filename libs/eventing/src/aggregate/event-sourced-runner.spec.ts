import { domainEvent, type Actor, type DomainEvent } from '@mission-control/proto';
import type { Decider } from '../decider/decider';
import type { NewEvent } from '../store/event';
import type { EventStore } from '../store/event-store';
import { EventSourcedRunner } from './event-sourced-runner';

const missionId = '0193a0c4-0000-7000-8000-0000000000f1';
const workspaceId = '0193a0c4-0000-7000-8000-00000000000a';
const agent: Actor = { kind: 'agent', id: 'agent-scout' };

type Command = { workspaceId: string; actor: Actor; type: 'assign' | 'claim' };
type Event = Extract<
  DomainEvent,
  { type: 'mission.v1.MissionAssigned' | 'mission.v1.MissionClaimed' }
>;
type State = { assignee: string | null; epoch: number };

// Claiming needs the assignment before it: the second command sees the first one's event.
const missions: Decider<Command, Event, State> = {
  initialState: { assignee: null, epoch: 0 },
  decide(command, state) {
    if (command.type === 'assign') {
      return [domainEvent('mission.v1.MissionAssigned', { missionId, agentId: command.actor.id })];
    }
    if (state.assignee !== command.actor.id) {
      throw new Error('not assigned');
    }
    const epoch = BigInt(state.epoch + 1);
    return [
      domainEvent('mission.v1.MissionClaimed', {
        missionId,
        agentId: command.actor.id,
        epoch,
        leaseSeconds: 300,
      }),
    ];
  },
  evolve(state, event) {
    return event.type === 'mission.v1.MissionAssigned'
      ? { ...state, assignee: event.data.agentId }
      : { ...state, epoch: Number(event.data.epoch) };
  },
};

function recordingRunner() {
  const appends: { streamId: string; expectedVersion: number; types: string[] }[] = [];
  const store = {
    append(_db: unknown, streamId: string, expectedVersion: number, events: NewEvent[]) {
      appends.push({ streamId, expectedVersion, types: events.map((event) => event.type) });
      return Promise.resolve([]);
    },
  } as unknown as EventStore;
  const runner = new EventSourcedRunner<null>({
    store,
    transaction: (work) => work(null),
    queryable: () => ({ query: () => Promise.resolve({ rows: [] }) }),
  });
  return { appends, runner };
}

describe('EventSourcedRunner.executeAllFrom', () => {
  const from = { state: missions.initialState, version: 4 };

  it('decides each command on the state the one before left, and appends them together', async () => {
    const { appends, runner } = recordingRunner();
    const decided = await runner.executeAllFrom(
      null,
      missions,
      `mission-${missionId}`,
      [
        { workspaceId, actor: agent, type: 'assign' },
        { workspaceId, actor: { ...agent }, type: 'claim' },
      ],
      from,
    );
    expect(appends).toEqual([
      {
        streamId: `mission-${missionId}`,
        expectedVersion: 4,
        types: ['mission.v1.MissionAssigned', 'mission.v1.MissionClaimed'],
      },
    ]);
    expect(decided.state).toEqual({ assignee: 'agent-scout', epoch: 1 });
  });

  it('refuses commands of different actors, which one append cannot record', async () => {
    const { appends, runner } = recordingRunner();
    await expect(
      runner.executeAllFrom(
        null,
        missions,
        `mission-${missionId}`,
        [
          { workspaceId, actor: { kind: 'user', id: 'user-ada' }, type: 'assign' },
          { workspaceId, actor: agent, type: 'claim' },
        ],
        from,
      ),
    ).rejects.toThrow('share their workspace and actor');
    expect(appends).toEqual([]);
  });
});
