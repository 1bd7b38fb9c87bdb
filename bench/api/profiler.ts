// CPU profiles of a running Node process, one per shape: SIGUSR1 opens its inspector, and the
// DevTools protocol's Profiler records while the shape runs. Only when BENCH_PROFILE_DIR is set:
// a profiler slows what it watches, so profiled figures are not the benchmark's figures.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { now, progress, sleep } from '../support/harness';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export type Profiler = {
  /** Records until the returned function is called, which writes `<name>.cpuprofile`. */
  record(name: string): Promise<() => Promise<string>>;
  close(): void;
};

export async function attachProfiler(pid: number, dir: string): Promise<Profiler> {
  process.kill(pid, 'SIGUSR1');
  const deadline = now() + 10_000;
  let target: string | undefined;
  while (!target && now() < deadline) {
    const list = await fetch('http://127.0.0.1:9229/json/list').then(
      (response) => response.json() as Promise<{ webSocketDebuggerUrl: string }[]>,
      () => [],
    );
    target = list[0]?.webSocketDebuggerUrl;
    await sleep(100);
  }
  if (!target) {
    throw new Error(`no inspector answered for pid ${pid} on 127.0.0.1:9229`);
  }
  const socket = new WebSocket(target);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const pending = new Map<number, Pending>();
  let nextId = 1;
  socket.on('message', (raw: Buffer) => {
    const message = JSON.parse(raw.toString()) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    const waiting = message.id === undefined ? undefined : pending.get(message.id);
    if (waiting) {
      pending.delete(message.id!);
      if (message.error) {
        waiting.reject(new Error(message.error.message));
      } else {
        waiting.resolve(message.result);
      }
    }
  });
  const send = <T>(method: string, params: Record<string, unknown> = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  mkdirSync(dir, { recursive: true });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 500 });
  progress(`  profiling pid ${pid} into ${dir}`);
  return {
    async record(name) {
      await send('Profiler.start');
      return async () => {
        const { profile } = await send<{ profile: unknown }>('Profiler.stop');
        const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        return file;
      };
    },
    close: () => socket.close(),
  };
}
