// Runs' logs: many runs appending chunks at once (MB/s of log text taken in), and the time from an
// agent sending a chunk to its lines reaching a browser watching that run over socket.io (the web
// app's run page: handshake `auth: { token, watch: ['run-<id>'] }`).
import { io, type Socket } from 'socket.io-client';
import { now, percentiles, progress, round1, round2, sleep } from '../support/harness';
import { patiently, type AgentClient } from './agents';
import { dbWork } from './db-work';
import { profiled, type Phase } from './phase';

/** Runs logging at once (BENCH_LOG_RUNS), and how many of them a browser watches (one socket each). */
const RUNS = Number(process.env.BENCH_LOG_RUNS ?? 100);
const WATCHED = 10;
/** Lines a chunk (BENCH_LOG_LINES): 50, as an agent flushing often; up to 500, as a batching runner. */
export const LINES_PER_CHUNK = Number(process.env.BENCH_LOG_LINES ?? 50);
/** While latency is measured, the watched runs together send at most this many chunks a second. */
const PACED_MAX_PER_SEC = 100;

const SAMPLES = [
  '\u001b[32m✓\u001b[39m src/runs/run.decider.spec.ts \u001b[2m(12 tests)\u001b[22m 48ms',
  '> tsc -b tsconfig.app.json && node scripts/copy-assets.mjs --out dist',
  'npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.',
  '[build] compiling 214 files with swc (target es2022, decorators: legacy)…',
  '\u001b[33mwarning\u001b[39m: unused variable `retries` in src/dispatch/dispatch.service.ts:42:11',
  '    at AggregateRunner.transaction (/app/services/mission/dist/eventing/runner.js:88:19)',
  'Running migrations on postgres://mission@db:5432/mission_control (schema mission)…',
  '\u001b[1mPASS\u001b[22m services/mission/test/runs.integration-spec.ts (38.114 s)',
  'git clone --depth 1 https://github.com/example/service.git /workspace/service',
  'Tool call: read_file {"path":"src/leases/leases.service.ts","offset":0,"limit":400}',
];

/** A chunk like an agent's output: build, test and tool lines, some coloured; the first carries `tag`. */
function chunkOf(tag: string, n: number): { text: string; stream: string }[] {
  return Array.from({ length: LINES_PER_CHUNK }, (_, i) => ({
    text: i === 0 ? `${tag} ${SAMPLES[n % SAMPLES.length]!}` : SAMPLES[(n + i) % SAMPLES.length]!,
    stream: i % 17 === 16 ? 'STDERR' : 'STDOUT',
  }));
}

const bytesOf = (lines: { text: string }[]) =>
  lines.reduce((total, line) => total + Buffer.byteLength(line.text), 0);

type RunLogEvent = { type: string; data?: { lines?: { text?: string }[] } | null };

/** A browser's socket on one run's page; `arrived` has each tagged chunk's arrival time. */
async function watch(url: string, token: string, runId: string, arrived: Map<string, number>) {
  const socket: Socket = io(url, {
    transports: ['websocket'],
    auth: { token, watch: [`run-${runId}`] },
    reconnection: false,
  });
  socket.on('event', (event: RunLogEvent) => {
    if (event.type === 'mission.v1.RunLogAppended') {
      const tag = /^#(\S+)/.exec(event.data?.lines?.[0]?.text ?? '')?.[1];
      if (tag) {
        arrived.set(tag, now());
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('ready', () => resolve());
    socket.once('connect_error', reject);
    setTimeout(() => reject(new Error('run socket not ready after 10 s')), 10_000);
  });
  return socket;
}

type Sent = Map<string, number>;

/** The chunks' send → arrival times; one that has not come 5 s after the last was sent is lost. */
async function latencies(sent: Sent, arrived: Map<string, number>) {
  const deadline = now() + 5_000;
  while ([...sent.keys()].some((tag) => !arrived.has(tag)) && now() < deadline) {
    await sleep(20);
  }
  const measured: number[] = [];
  let lost = 0;
  for (const [tag, at] of sent) {
    const came = arrived.get(tag);
    if (came === undefined) {
      lost += 1;
    } else {
      measured.push(came - at);
    }
  }
  return { ...percentiles(measured), lost };
}

export const logPhase: Phase = {
  name: 'run logs',
  async run(context) {
    const times = new Map<string, number[]>();
    const clients = context.clients(times).slice(0, RUNS);
    const { url } = context.instance;
    progress(`  run logs: ${clients.length} agents each claim a mission and start a run`);
    const runs: { client: AgentClient; missionId: string; runId: string }[] = [];
    for (const client of clients) {
      const claim = await patiently(() => client.next());
      if (claim) {
        runs.push({
          client,
          missionId: claim.id,
          runId: await patiently(() => client.startRun(claim.id)),
        });
      }
    }
    const arrived = new Map<string, number>();
    const watched = runs.slice(0, WATCHED);
    const sockets = await Promise.all(
      watched.map((run) => watch(url, context.squad.adminToken, run.runId, arrived)),
    );
    let tags = 0;
    const tag = () => `#c${++tags}`;

    progress(
      `  log ingestion: ${runs.length} runs append ${LINES_PER_CHUNK}-line chunks back to back for ${context.seconds} s; ` +
        `${watched.length} of them watched by a browser socket each`,
    );
    const sentUnderLoad: Sent = new Map();
    let bytes = 0;
    let lines = 0;
    let chunks = 0;
    let errors = 0;
    let firstError: string | undefined;
    const cpu = context.cpu();
    const db = await dbWork(context.instance.databaseUrl());
    const started = now();
    const end = started + context.seconds * 1000;
    await profiled(context, 'log ingestion', () =>
      Promise.all(
        runs.map(async (run, index) => {
          for (let n = 0; now() < end; n++) {
            const label = tag();
            const chunk = chunkOf(label, n);
            if (index < watched.length) {
              sentUnderLoad.set(label.slice(1), now());
            }
            try {
              await run.client.append(run.runId, chunk);
              bytes += bytesOf(chunk);
              lines += chunk.length;
              chunks += 1;
            } catch (error) {
              errors += 1;
              firstError ??= String(error);
            }
          }
        }),
      ),
    );
    const seconds = (now() - started) / 1000;
    const usage = cpu();
    const append = percentiles(times.get('append') ?? []);
    const underLoad = await latencies(sentUnderLoad, arrived);
    const logMBPerSec = round2(bytes / 1e6 / seconds);
    progress(
      `  log ingestion: ${lines.toLocaleString('en-US')} lines, ${round1(bytes / 1e6)} MB of text in ${round1(seconds)} s = ` +
        `${logMBPerSec} MB/s (${Math.round(lines / seconds)} lines/s); appendRunLog p50 ${append.p50} / p99 ${append.p99} ms; ` +
        `${errors} errors${firstError ? ` (${firstError.slice(0, 200)})` : ''}`,
    );
    progress(
      `    watched chunks reached the browser in p50 ${underLoad.p50} / p99 ${underLoad.p99} ms under this load, ${underLoad.lost} lost`,
    );
    progress(`    CPU: ${usage}`);
    progress(`    Postgres per chunk: ${await db(chunks)}`);

    // A quarter of the ingestion rate just measured: the push is timed below saturation.
    const chunksPerSec = Math.max(
      1,
      Math.min(PACED_MAX_PER_SEC, (lines / LINES_PER_CHUNK / seconds) * 0.25),
    );
    const everyMs = Math.round((watched.length * 1000) / chunksPerSec);
    progress(
      `  log → browser: the ${watched.length} watched runs append a chunk every ${everyMs} ms each ` +
        `(${round1(chunksPerSec)} chunks/s, a quarter of the ingestion rate) for ${context.seconds} s`,
    );
    const sent: Sent = new Map();
    const answered: number[] = [];
    let pacedErrors = 0;
    let firstPacedError: string | undefined;
    const pacedCpu = context.cpu();
    const pacedEnd = now() + context.seconds * 1000;
    await Promise.all(
      watched.map(async (run, index) => {
        await sleep((index * everyMs) / watched.length);
        const writes: Promise<unknown>[] = [];
        for (let n = 0; now() < pacedEnd; n++) {
          const label = tag();
          const at = now();
          sent.set(label.slice(1), at);
          writes.push(
            run.client.append(run.runId, chunkOf(label, n)).then(
              () => answered.push(now() - at),
              (error: unknown) => {
                pacedErrors += 1;
                firstPacedError ??= String(error);
                sent.delete(label.slice(1));
              },
            ),
          );
          await sleep(everyMs);
        }
        await Promise.all(writes);
      }),
    );
    const toBrowser = await latencies(sent, arrived);
    const answers = percentiles(answered);
    progress(
      `  log → browser: p50 ${toBrowser.p50} / p99 ${toBrowser.p99} / max ${toBrowser.max} ms over ${toBrowser.count} chunks, ` +
        `${toBrowser.lost} lost (the appends answered in p50 ${answers.p50} / p99 ${answers.p99} ms); ` +
        `${pacedErrors} errors${firstPacedError ? ` (${firstPacedError.slice(0, 200)})` : ''}`,
    );
    progress(`    CPU: ${pacedCpu()}`);

    sockets.forEach((socket) => socket.close());
    // Not measured: the runs end and their missions go back, whatever the load left behind.
    for (const run of runs) {
      await run.client.finish(run.runId).catch(() => undefined);
      await run.client.release(run.missionId).catch(() => undefined);
    }
    return {
      logRuns: runs.length,
      logMBPerSec,
      logLinesPerSec: Math.round(lines / seconds),
      appendP50Ms: append.p50,
      appendP99Ms: append.p99,
      logErrors: errors + pacedErrors,
      logToBrowserUnderIngestionP99Ms: underLoad.p99,
      logToBrowserP50Ms: toBrowser.p50,
      logToBrowserP99Ms: toBrowser.p99,
      logToBrowserLost: toBrowser.lost + underLoad.lost,
      pacedAppendP99Ms: answers.p99,
      pacedChunksPerSec: round1(chunksPerSec),
    };
  },
};
