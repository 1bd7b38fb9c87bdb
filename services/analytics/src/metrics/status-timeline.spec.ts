import {
  integrateTimeline,
  timelinesOf,
  utilisationOf,
  type StatusChange,
} from './status-timeline';

const from = new Date('2026-11-20T00:00:00Z');
const to = new Date('2026-11-20T01:00:00Z');
const minute = (n: number) => new Date(from.getTime() + n * 60_000);

describe('integrateTimeline', () => {
  it('integrates busy → idle → offline inside the range', () => {
    const changes: StatusChange[] = [
      { time: minute(10), status: 'busy' },
      { time: minute(40), status: 'idle' },
      { time: minute(50), status: 'offline' },
    ];
    expect(integrateTimeline(null, changes, from, to)).toEqual({
      busySeconds: 1_800,
      idleSeconds: 600,
      offlineSeconds: 600,
    });
  });

  it('counts the status in force before the range from its start', () => {
    expect(integrateTimeline('busy', [{ time: minute(15), status: 'idle' }], from, to)).toEqual({
      busySeconds: 900,
      idleSeconds: 2_700,
      offlineSeconds: 0,
    });
  });

  it('counts errors as offline and inactive time nowhere', () => {
    const changes: StatusChange[] = [
      { time: minute(20), status: 'error' },
      { time: minute(30), status: 'inactive' },
    ];
    expect(integrateTimeline('idle', changes, from, to)).toEqual({
      busySeconds: 0,
      idleSeconds: 1_200,
      offlineSeconds: 600,
    });
  });

  it('sorts the changes and ignores those outside the range', () => {
    const changes: StatusChange[] = [
      { time: minute(90), status: 'offline' },
      { time: minute(30), status: 'idle' },
      { time: minute(-5), status: 'offline' },
      { time: minute(0), status: 'busy' },
    ];
    expect(integrateTimeline(null, changes, from, to)).toEqual({
      busySeconds: 1_800,
      idleSeconds: 1_800,
      offlineSeconds: 0,
    });
  });

  it('gives nothing for an empty range', () => {
    expect(integrateTimeline('busy', [], to, from)).toEqual({
      busySeconds: 0,
      idleSeconds: 0,
      offlineSeconds: 0,
    });
  });
});

describe('utilisationOf', () => {
  it('is busy over available time', () => {
    expect(
      utilisationOf({ busySeconds: 30, idleSeconds: 10, offlineSeconds: 60 }).utilisation,
    ).toBe(0.75);
  });

  it('is 0 when the agent was never available', () => {
    expect(utilisationOf({ busySeconds: 0, idleSeconds: 0, offlineSeconds: 60 }).utilisation).toBe(
      0,
    );
  });
});

describe('timelinesOf', () => {
  it('joins each agent’s status before the range with its changes in it, skipping unknown names', () => {
    expect(
      timelinesOf(
        [
          { agentId: 'a-2', status: 'busy' },
          { agentId: 'a-3', status: 'retired' },
        ],
        [
          { agentId: 'a-1', time: minute(5), status: 'idle' },
          { agentId: 'a-2', time: minute(10), status: 'idle' },
          { agentId: 'a-2', time: minute(20), status: 'sleeping' },
          { agentId: 'a-2', time: minute(20), status: 'offline' },
        ],
      ),
    ).toEqual([
      {
        agentId: 'a-2',
        before: 'busy',
        changes: [
          { time: minute(10), status: 'idle' },
          { time: minute(20), status: 'offline' },
        ],
      },
      { agentId: 'a-3', before: null, changes: [] },
      { agentId: 'a-1', before: null, changes: [{ time: minute(5), status: 'idle' }] },
    ]);
  });
});
