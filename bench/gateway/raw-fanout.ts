// The floor under any broadcast on this machine: one 200-byte write to each of N plain loopback
// TCP sockets, no socket.io, no WebSocket framing. A broadcast's last delivery cannot beat the
// time this loop takes. Run as a module by main.ts; forks itself as the client side.
import { fork } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { now, percentiles, sleep, type Percentiles } from '../support/harness';

const CLIENT_FLAG = '--raw-fanout-client';

if (process.argv[2] === CLIENT_FLAG) {
  const [port, count] = [Number(process.argv[3]), Number(process.argv[4])];
  const sockets: Socket[] = [];
  let open = 0;
  for (let i = 0; i < count; i += 1) {
    const socket = connect(port, '127.0.0.1', () => {
      open += 1;
      if (open === count) {
        process.send!('connected');
      }
    });
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    sockets.push(socket);
  }
  process.on('message', () => process.exit(0));
}

/** Write-loop durations (ms) over `rounds` broadcasts to `sockets` sockets held by `processes` clients. */
export async function rawWriteLoop(
  sockets: number,
  processes: number,
  rounds = 10,
): Promise<{ accepted: number; loop: Percentiles }> {
  const accepted: Socket[] = [];
  const server = createServer((socket) => {
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    accepted.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const perProcess = Math.ceil(sockets / processes);
  const clients = Array.from({ length: processes }, () =>
    fork(__filename, [CLIENT_FLAG, String(port), String(perProcess)], { stdio: 'ignore' }),
  );
  await Promise.all(
    clients.map((client) => new Promise((resolve) => client.once('message', resolve))),
  );
  await sleep(500);
  const frame = Buffer.alloc(200, 1);
  const loops: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = now();
    for (const socket of accepted) {
      socket.write(frame);
    }
    loops.push(now() - started);
    await sleep(200);
  }
  clients.forEach((client) => client.send('exit'));
  accepted.forEach((socket) => socket.destroy());
  await new Promise((resolve) => server.close(resolve));
  return { accepted: accepted.length, loop: percentiles(loops) };
}
