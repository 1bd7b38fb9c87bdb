import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { LiveConnectionOptions } from '@mission-control/sdk';
import { ConfigStore } from '../config/cli-config';
import { CliContext, type GraphClient } from '../context/cli-context';
import { tailRun } from './runs.command';

type Socket = ReturnType<NonNullable<LiveConnectionOptions['socketFactory']>>;
type Auth = (callback: (auth: Record<string, unknown>) => void) => void;

/** A socket.io client stand-in: the spec plays the gateway by emitting on it. */
class FakeSocket extends EventEmitter {
  active = true;
  auth: Auth | undefined;
  connect() {
    return this;
  }
  disconnect() {
    return this;
  }
  handshake() {
    return new Promise<Record<string, unknown>>((resolve) => this.auth!(resolve));
  }
}

const RUN = '7d3f0a2e-1c1b-4b53-9a55-2f6f1d0b9a11';
type Line = { position: number; stream: 'STDOUT' | 'STDERR' | 'SYSTEM'; text: string };
const line = (position: number): Line => ({ position, stream: 'STDOUT', text: `line ${position}` });
let position = 100;
const event = (type: string, data: Record<string, unknown>) => ({
  id: `e${++position}`,
  type,
  subject: `run-${RUN}`,
  workspaceId: 'w',
  time: '2026-12-07T10:00:00Z',
  data: { runId: RUN, ...data },
  position: String(position),
});
const appended = (...positions: number[]) =>
  event('mission.v1.RunLogAppended', {
    lines: positions.map((p) => ({ position: String(p), text: `line ${p}` })),
  });

describe('runs tail', () => {
  it('prints the log so far, then live lines, resumes after a reconnect, and stops when the run ends', async () => {
    // The server's log and status, as GraphQL reads them.
    const log: Line[] = [line(1), line(2)];
    let status = 'RUNNING';
    const reads: number[] = [];
    const client: GraphClient = {
      request: <R, V>(_document: unknown, variables: V) => {
        const { after } = variables as { after: number };
        reads.push(after);
        const lines = log.filter((l) => l.position > after);
        return Promise.resolve({ run: { id: RUN, status, log: { lines, hasMore: false } } } as R);
      },
      accessToken: () => Promise.resolve('token'),
      invalidate: () => undefined,
    };
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const context = new CliContext(
      { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {} },
      new ConfigStore(mkdtempSync(path.join(tmpdir(), 'mc-tail-'))),
    );
    const socket = new FakeSocket();
    const done = tailRun(context, {
      client,
      workspaceId: 'w',
      url: 'http://gateway.test',
      runId: RUN,
      follow: true,
      json: false,
      socketFactory: (_url, options) => {
        socket.auth = options.auth as Auth;
        return socket as unknown as Socket;
      },
    });
    await expect(socket.handshake()).resolves.toEqual({ token: 'token', watch: [`run-${RUN}`] });
    socket.emit('ready', { position: '100' });
    const until = async (text: string) => {
      for (let i = 0; i < 100 && !printed.includes(text); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    await until('line 2');

    log.push(line(3), line(4));
    socket.emit('event', appended(3, 4));
    // Pushed again after a replay: printed once.
    socket.emit('event', appended(4));
    await until('line 4');

    // The gateway restarts: the socket reconnects from the last event it saw, still watching.
    socket.emit('disconnect', 'io server disconnect');
    await expect(socket.handshake()).resolves.toEqual({
      token: 'token',
      after: String(position),
      watch: [`run-${RUN}`],
    });
    // A chunk that skips ahead (line 5 was missed) is read again from the last printed line.
    log.push(line(5), line(6));
    socket.emit('event', appended(6));
    await until('line 6');

    log.push(line(7));
    status = 'SUCCEEDED';
    socket.emit('event', event('mission.v1.RunFinished', { outcome: 'RUN_OUTCOME_SUCCEEDED' }));
    await expect(done).resolves.toBe('SUCCEEDED');
    expect(printed).toBe([1, 2, 3, 4, 5, 6, 7].map((p) => `line ${p}\n`).join(''));
    expect(reads).toEqual([0, 4, 6]);
  });
});
