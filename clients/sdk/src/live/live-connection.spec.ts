import { EventEmitter } from 'node:events';
import type { Socket } from 'socket.io-client';
import { LiveConnection, parseLiveEvent, parseWake } from './live-connection';

/** A socket.io client stand-in: the test plays the gateway by emitting on it. */
class FakeSocket extends EventEmitter {
  active = true;
  connects = 0;
  disconnected = false;
  connect() {
    this.connects += 1;
    return this;
  }
  disconnect() {
    this.disconnected = true;
    return this;
  }
}

type Auth = (callback: (auth: object) => void) => void;

function setUp(watch?: string[]) {
  const socket = new FakeSocket();
  let auth: Auth | undefined;
  let n = 0;
  const invalidate = jest.fn();
  const onWake = jest.fn();
  const onEvent = jest.fn();
  const onError = jest.fn();
  const sut = new LiveConnection({
    url: 'http://gateway.test',
    token: () => Promise.resolve(`token-${++n}`),
    invalidate,
    watch,
    onWake,
    onEvent,
    onError,
    socketFactory: (_url, options) => {
      auth = options.auth as Auth;
      return socket as unknown as Socket;
    },
  });
  const handshake = () =>
    new Promise<object>((resolve) => {
      auth!(resolve);
    });
  return { socket, sut, invalidate, onWake, onEvent, onError, handshake };
}

const event = (position: string) => ({
  id: `e${position}`,
  type: 'mission.v1.RunFinished',
  subject: 'r1',
  workspaceId: 'w1',
  time: '2026-12-07T10:00:00Z',
  actor: 'user:u1',
  data: { runId: 'r1', outcome: 'RUN_OUTCOME_CANCELLED' },
  position,
});

describe('LiveConnection', () => {
  afterEach(() => jest.useRealTimers());

  it('connects with a fresh token and is ready once the gateway caught it up', async () => {
    const { socket, sut, handshake } = setUp();
    const connected = sut.connect();
    await expect(handshake()).resolves.toEqual({ token: 'token-1' });
    socket.emit('ready', { position: '10' });
    await connected;
    expect(sut.ready).toBe(true);
  });

  it('asks for the watched runs on every handshake, a resumed one too', async () => {
    const { socket, sut, handshake } = setUp(['run-r1']);
    const connected = sut.connect();
    await expect(handshake()).resolves.toEqual({ token: 'token-1', watch: ['run-r1'] });
    socket.emit('ready', { position: '10' });
    await connected;
    socket.emit('event', event('11'));
    await expect(handshake()).resolves.toEqual({
      token: 'token-2',
      after: '11',
      watch: ['run-r1'],
    });
  });

  it('hands on wakes and events, and resumes after the last event it saw', async () => {
    const { socket, sut, onWake, onEvent, handshake } = setUp();
    const connected = sut.connect();
    socket.emit('ready', { position: '10' });
    await connected;
    socket.emit('wake', { reason: 'assigned', missionId: 'm1' });
    socket.emit('wake', { reason: 'whatever', missionId: 'm2' });
    socket.emit('event', event('11'));
    socket.emit('event', { type: 'not an event' });
    expect(onWake.mock.calls).toEqual([[{ reason: 'assigned', missionId: 'm1' }]]);
    expect(onEvent).toHaveBeenCalledTimes(1);
    expect(onEvent.mock.calls[0][0]).toMatchObject({
      type: 'mission.v1.RunFinished',
      position: '11',
    });
    await expect(handshake()).resolves.toEqual({ token: 'token-1', after: '11' });
  });

  it('drops a token the gateway refused and reconnects after the server closed the socket', async () => {
    jest.useFakeTimers();
    const { socket, sut, invalidate, handshake } = setUp();
    const connected = sut.connect();
    await handshake();
    socket.emit('ready', { position: '1' });
    await connected;
    socket.emit('live_error', { code: 'UNAUTHENTICATED', message: 'Access token expired' });
    socket.emit('disconnect', 'io server disconnect');
    expect(invalidate).toHaveBeenCalledWith('token-1');
    expect(sut.ready).toBe(false);
    await jest.advanceTimersByTimeAsync(250);
    expect(socket.connects).toBe(1);
  });

  it('retries a refused handshake itself, resuming from now when its position is too old', async () => {
    jest.useFakeTimers();
    const { socket, sut, onError, handshake } = setUp();
    void sut.connect().catch(() => undefined);
    socket.emit('event', event('5'));
    socket.active = false;
    socket.emit(
      'connect_error',
      Object.assign(new Error('too old'), { data: { code: 'CONFLICT', message: 'too old' } }),
    );
    await jest.advanceTimersByTimeAsync(250);
    expect(socket.connects).toBe(1);
    await expect(handshake()).resolves.toEqual({ token: 'token-1' });
    expect(onError).not.toHaveBeenCalled();
  });

  it('closes for good', async () => {
    jest.useFakeTimers();
    const { socket, sut } = setUp();
    void sut.connect().catch(() => undefined);
    sut.close();
    socket.emit('disconnect', 'io server disconnect');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(socket.disconnected).toBe(true);
    expect(socket.connects).toBe(0);
  });
});

describe('parsing what the gateway pushes', () => {
  it('reads events and wakes defensively', () => {
    expect(parseLiveEvent(event('1'))).toMatchObject({ id: 'e1', data: { runId: 'r1' } });
    expect(parseLiveEvent({ ...event('1'), data: 'text' })).toMatchObject({ data: null });
    expect(parseLiveEvent(null)).toBeNull();
    expect(parseWake({ reason: 'available', missionId: 'm' })).toEqual({
      reason: 'available',
      missionId: 'm',
    });
    expect(parseWake({ reason: 'available' })).toBeNull();
  });
});
