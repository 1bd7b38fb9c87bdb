// One of the benchmark's socket client processes: opens `count` socket.io connections to the
// gateway, reports when all are caught up, then records for every event the time from its
// publication (carried in the payload) to its arrival here.
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';

type Command = { type: 'report' } | { type: 'close' };
type LiveEvent = { data: { rank?: string } | null };

const [url, token, countArg, batchArg] = process.argv.slice(2);
const count = Number(countArg);
const batch = Number(batchArg ?? 250);
const sockets: Socket[] = [];
const latencies: number[] = [];
let connectErrors = 0;

/** Epoch milliseconds with sub-millisecond precision, comparable across processes. */
const epochMs = () => performance.timeOrigin + performance.now();

function open(): Promise<void> {
  return new Promise((resolve) => {
    const socket = io(url, {
      transports: ['websocket'],
      auth: { token },
      reconnection: false,
      timeout: 60_000,
    });
    sockets.push(socket);
    socket.on('event', (event: LiveEvent) => {
      const sentAt = Number(event.data?.rank);
      if (Number.isFinite(sentAt)) {
        latencies.push(epochMs() - sentAt);
      }
    });
    socket.once('ready', () => resolve());
    socket.once('connect_error', () => {
      connectErrors += 1;
      resolve();
    });
  });
}

async function main(): Promise<void> {
  for (let opened = 0; opened < count; opened += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - opened) }, open));
    process.send!({ type: 'progress', connected: sockets.length - connectErrors });
  }
  process.send!({ type: 'ready', connected: sockets.length - connectErrors, connectErrors });
  process.on('message', (command: Command) => {
    if (command.type === 'report') {
      process.send!({ type: 'latencies', latencies });
    } else {
      sockets.forEach((socket) => socket.disconnect());
      setTimeout(() => process.exit(0), 200);
    }
  });
}

void main();
