import type { MissionControlClient } from '../client/mission-control.client';
import { MissionControlError } from '../errors/mission-control.error';
import type { Wake } from '../live/live-connection';
import { AgentSession } from './agent-session';

const identity = {
  id: 'a1',
  workspaceId: 'w1',
  name: 'Scout',
  status: 'IDLE',
  lastHeartbeatAt: null,
};
const mission = {
  id: 'm1',
  workspaceId: 'w1',
  title: 'Land',
  description: '',
  priority: 'HIGH' as const,
  tags: [],
  column: 'IN_PROGRESS' as const,
  claimEpoch: 1,
  leaseExpiresAt: '2026-12-07T10:05:00Z', // five minutes from the start
};
const runState = {
  id: 'r1',
  missionId: 'm1',
  status: 'RUNNING' as const,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  costEstimated: false,
  budgetId: null,
};

function fakeClient() {
  return {
    url: 'http://gateway.test',
    heartbeat: jest.fn((status: string) => Promise.resolve({ ...identity, status })),
    nextMission: jest.fn(() => Promise.resolve(mission)),
    renewLease: jest.fn(() =>
      Promise.resolve({ id: 'm1', claimEpoch: 1, leaseExpiresAt: '2026-12-07T10:10:00Z' }),
    ),
    startRun: jest.fn(() => Promise.resolve(runState)),
    finishRun: jest.fn(() => Promise.resolve({ ...runState, status: 'SUCCEEDED', summary: '' })),
    releaseMission: jest.fn(() => Promise.resolve({ id: 'm1', column: 'TODO' })),
    appendRunLog: jest.fn(() => Promise.resolve({ firstPosition: 1, lastPosition: 1 })),
  };
}

const input = { adapter: 'shell', model: 'm', provider: 'p' };

describe('AgentSession', () => {
  let client: ReturnType<typeof fakeClient>;
  let errors: MissionControlError[];
  let sut: AgentSession;

  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(new Date('2026-12-07T10:00:00Z'));
    client = fakeClient();
    errors = [];
    sut = new AgentSession({
      client: client as unknown as MissionControlClient,
      live: false,
      heartbeatIntervalMs: 20_000,
      pollIntervalMs: 5_000,
      onError: (error) => errors.push(error),
    });
  });
  afterEach(async () => {
    await sut.stop();
    jest.useRealTimers();
  });

  it('heartbeats when it starts, then on its timer, BUSY while a run is under way', async () => {
    await expect(sut.start()).resolves.toMatchObject({ id: 'a1', workspaceId: 'w1' });
    expect(client.heartbeat.mock.calls.map(([status]) => status)).toEqual(['IDLE']);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(client.heartbeat.mock.calls.map(([status]) => status)).toEqual(['IDLE', 'IDLE']);

    const run = await sut.startRun((await sut.nextMission())!, input);
    await jest.advanceTimersByTimeAsync(20_000);
    await run.finish();
    await jest.advanceTimersByTimeAsync(20_000);
    expect(client.heartbeat.mock.calls.map(([status]) => status)).toEqual([
      'IDLE',
      'IDLE',
      'BUSY',
      'IDLE',
    ]);

    await sut.stop();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(client.heartbeat).toHaveBeenCalledTimes(4);
  });

  it('reports a failed heartbeat and keeps beating', async () => {
    await sut.start();
    client.heartbeat.mockRejectedValueOnce(
      new MissionControlError({ code: 'FORBIDDEN', message: 'no' }),
    );
    await jest.advanceTimersByTimeAsync(40_000);
    expect(client.heartbeat).toHaveBeenCalledTimes(3);
    expect(errors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
  });

  it('renews a held mission’s lease well before it lapses, until its run is over', async () => {
    await sut.start();
    const held = await sut.nextMission();
    expect(sut.heldMissions).toEqual([held]);
    // Five minutes left: renewed after at most a minute, then again.
    await jest.advanceTimersByTimeAsync(60_000);
    expect(client.renewLease).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(client.renewLease).toHaveBeenCalledTimes(2);

    const run = await sut.startRun(held!, input);
    await run.finish();
    expect(sut.heldMissions).toEqual([]);
    await jest.advanceTimersByTimeAsync(180_000);
    expect(client.renewLease).toHaveBeenCalledTimes(2);
  });

  it('aborts the mission’s run when its lease cannot be renewed any more', async () => {
    await sut.start();
    const run = await sut.startRun((await sut.nextMission())!, input);
    client.renewLease.mockRejectedValueOnce(
      new MissionControlError({ code: 'CONFLICT', message: 'The lease ran out' }),
    );
    await jest.advanceTimersByTimeAsync(60_000);
    expect(run.signal.aborted).toBe(true);
    expect(run.signal.reason).toMatchObject({ code: 'CONFLICT', message: 'The lease ran out' });
    expect(sut.heldMissions).toEqual([]);
    expect(sut.activeRuns).toEqual([]);
  });

  it('waits for work until a wake comes, or polls after pollIntervalMs', async () => {
    await sut.start();
    const wake = (value: Wake) => (sut as unknown as { wake(wake: Wake): void }).wake(value);

    const polled = sut.waitForWork();
    await jest.advanceTimersByTimeAsync(5_000);
    await expect(polled).resolves.toEqual({ reason: 'poll' });

    const woken = sut.waitForWork();
    wake({ reason: 'available', missionId: 'm2' });
    await expect(woken).resolves.toEqual({ reason: 'available', missionId: 'm2' });

    // A wake while nobody waits is kept for the next wait; `assigned` wins over `available`.
    wake({ reason: 'assigned', missionId: 'm3' });
    wake({ reason: 'available', missionId: 'm4' });
    await expect(sut.waitForWork()).resolves.toEqual({ reason: 'assigned', missionId: 'm3' });
  });

  it('ends a wait at once when it stops, and sends what runs still had to log', async () => {
    await sut.start();
    const run = await sut.startRun((await sut.nextMission())!, input);
    run.log('stdout', 'last words');
    const waiting = sut.waitForWork({ timeoutMs: 600_000 });
    await sut.stop();
    await expect(waiting).resolves.toEqual({ reason: 'poll' });
    expect(client.appendRunLog).toHaveBeenCalledWith(
      'w1',
      'r1',
      [{ stream: 'STDOUT', text: 'last words' }],
      expect.anything(),
    );
  });

  it('hands a mission back on release and stops renewing it', async () => {
    await sut.start();
    await sut.nextMission();
    await sut.release('m1');
    expect(client.releaseMission).toHaveBeenCalledWith('w1', 'm1');
    await jest.advanceTimersByTimeAsync(120_000);
    expect(client.renewLease).not.toHaveBeenCalled();
  });
});
