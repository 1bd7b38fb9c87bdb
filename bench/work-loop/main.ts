// `npm run bench:work-loop`: the agents' work loop through the gateway, against `npm start` and
// against the full stack on Kafka: 1,000 agents (a token each) claiming missions at once, the loop
// claim → run → renew → report → finish at a steady rate, runs' logs taken in and pushed to a
// browser watching a run; each figure beside a same-run floor, and whether any mission was ever
// claimed twice (from the mission service's event log).
import { elapsedSeconds, progress, round1, runBenchmark, table } from '../support/harness';
import { startFullInstance, startStandaloneInstance, type Mode } from '../api/instance';
import {
  AgentClient,
  graphql,
  handBack,
  inParallel,
  keepAlive,
  makeSquad,
  OPS,
  patiently,
  retried,
  seedMissions,
} from './agents';
import { budgetStopPhase } from './budget-stop-phase';
import { claimPhase } from './claim-phase';
import { auditClaims } from './double-claims';
import { dbFloors, httpFloor } from './floors';
import { logPhase } from './log-phase';
import { loopPhase } from './loop-phase';
import { processCpu, type Figures, type Phase, type PhaseContext } from './phase';

const SETTINGS = {
  seconds: Number(process.env.BENCH_SECONDS ?? 15),
  agents: Number(process.env.BENCH_AGENTS ?? 1_000),
  missions: Number(process.env.BENCH_MISSIONS ?? 2_000),
  modes: (process.env.BENCH_MODES ?? 'standalone,full').split(',') as Mode[],
};

/** In order, on one instance. */
const PHASES: Phase[] = [claimPhase, loopPhase, logPhase, budgetStopPhase];

/** Each goal, the mode it is judged in, and how. */
const GOALS: { figure: string; mode: Mode; sign: '≥' | '≤'; goal: number }[] = [
  { figure: 'claimP99Ms', mode: 'standalone', sign: '≤', goal: 20 },
  { figure: 'claimsPerSec', mode: 'full', sign: '≥', goal: 1_000 },
  { figure: 'doubleClaims', mode: 'standalone', sign: '≤', goal: 0 },
  { figure: 'doubleClaims', mode: 'full', sign: '≤', goal: 0 },
  { figure: 'logMBPerSec', mode: 'standalone', sign: '≥', goal: 5 },
  { figure: 'logMBPerSec', mode: 'full', sign: '≥', goal: 5 },
  { figure: 'logToBrowserP99Ms', mode: 'standalone', sign: '≤', goal: 100 },
  { figure: 'logToBrowserP99Ms', mode: 'full', sign: '≤', goal: 100 },
  { figure: 'budgetStopP99Ms', mode: 'standalone', sign: '≤', goal: 100 },
  { figure: 'budgetStopP99Ms', mode: 'full', sign: '≤', goal: 100 },
];

async function benchMode(mode: Mode): Promise<Figures> {
  progress(`== ${mode}: starting`);
  Object.assign(retried, { count: 0, first: undefined });
  const instance =
    mode === 'standalone' ? await startStandaloneInstance() : await startFullInstance();
  let stopHeartbeats = () => {};
  try {
    progress(
      `  ready at ${instance.url}; a workspace and ${SETTINGS.agents} agents with a token each`,
    );
    const squad = await makeSquad(instance.url, SETTINGS.agents);
    // Agents made first have been silent a while: each heartbeats now, then every 30 s.
    await inParallel(squad.agents, 32, async (agent) => {
      await graphql(instance.url, OPS.heartbeat, {}, agent.token);
    });
    stopHeartbeats = keepAlive(instance.url, squad.agents);
    progress(`  seeding ${SETTINGS.missions} missions in To do`);
    await seedMissions(instance.url, squad, SETTINGS.missions);
    const figures: Figures = {};
    const context: PhaseContext = {
      instance,
      measured: figures,
      missions: SETTINGS.missions,
      squad,
      seconds: SETTINGS.seconds,
      clients: (times) =>
        squad.agents.map((agent) => new AgentClient(instance.url, squad.workspaceId, agent, times)),
      cpu: () => processCpu(instance),
    };
    // The mission service learns agents from their events: each asks until it is known, once.
    progress('  warm-up: every agent claims a mission and hands it back');
    await inParallel(context.clients(new Map()), 64, async (client) => {
      const claim = await patiently(() => client.next(), 60_000);
      if (claim) {
        await handBack(client, claim.id);
      }
    });

    const tokens = squad.agents.map((agent) => agent.token);
    const floorSeconds = Math.min(SETTINGS.seconds, 5);
    progress(
      `  floor: { __typename } through the gateway, ${floorSeconds} s at c=1 and at c=${tokens.length}`,
    );
    const floorC1 = await httpFloor(instance.url, tokens, 1, floorSeconds);
    const floorWide = await httpFloor(instance.url, tokens, tokens.length, floorSeconds);
    progress(
      `  floor: c=1 p50 ${floorC1.p50} / p99 ${floorC1.p99} ms; c=${tokens.length} ${floorWide.perSec} req/s, p99 ${floorWide.p99} ms`,
    );

    for (const phase of PHASES) {
      progress(`== ${mode}: ${phase.name}`);
      Object.assign(figures, await phase.run(context));
    }

    progress(
      `  Postgres floors: the claim's, a renewal's and a log chunk's statements through pg, ${floorSeconds} s each`,
    );
    const db = await dbFloors(instance.databaseUrl(), floorSeconds, SETTINGS.missions);
    progress(
      `  Postgres floors: claim c=1 p50 ${db.claimC1.p50} / p99 ${db.claimC1.p99} ms, c=16 ${db.claimC16.perSec}/s; ` +
        `renew c=1 p99 ${db.renewC1.p99} ms; log chunk c=16 ${db.logC16.perSec}/s = ${db.logC16.mbPerSec} MB/s`,
    );
    progress(
      `  retryable answers the agents rode out outside the timed calls: ${retried.count}${retried.first ? ` (first: ${retried.first.slice(0, 240)})` : ''}`,
    );
    const audit = await auditClaims(instance.databaseUrl(), squad.workspaceId);
    progress(
      `  claims audited from the event log: ${audit.claims} claims of ${audit.missions} missions, ` +
        `${audit.doubleClaims} while another held the mission, ${audit.epochGaps} epochs out of step`,
    );
    return {
      ...figures,
      doubleClaims: audit.doubleClaims + audit.epochGaps + (figures.burstAnsweredTwice ?? 0),
      claimsAudited: audit.claims,
      retriedAnswers: retried.count,
      httpFloorC1P50Ms: floorC1.p50,
      httpFloorC1P99Ms: floorC1.p99,
      httpFloorWidePerSec: floorWide.perSec,
      httpFloorWideP99Ms: floorWide.p99,
      dbClaimFloorC1P50Ms: db.claimC1.p50,
      dbClaimFloorC1P99Ms: db.claimC1.p99,
      dbClaimFloorC16PerSec: db.claimC16.perSec,
      dbRenewFloorC1P99Ms: db.renewC1.p99,
      dbLogFloorMBPerSec: db.logC16.mbPerSec,
    };
  } finally {
    stopHeartbeats();
    progress(`  stopping ${mode}`);
    await instance.stop();
  }
}

function printMode(mode: Mode, f: Figures): void {
  const v = (key: string) => String(f[key] ?? 'n/a');
  console.log(
    `\n${mode}: ${SETTINGS.agents} agents, ${SETTINGS.missions} missions, ${SETTINGS.seconds} s a stretch`,
  );
  console.log(
    table(
      ['figure', 'measured', 'floor (same run)'],
      [
        [
          'claims/s (burst, every agent at once)',
          v('claimsPerSec'),
          `gateway no-op at c=${SETTINGS.agents}: ${v('httpFloorWidePerSec')} req/s; claim statements in pg at c=16: ${v('dbClaimFloorC16PerSec')}/s`,
        ],
        [
          'claim p50 / p99 in the burst (queueing)',
          `${v('claimBurstP50Ms')} / ${v('claimBurstP99Ms')} ms`,
          `gateway no-op at c=${SETTINGS.agents}: p99 ${v('httpFloorWideP99Ms')} ms`,
        ],
        [
          `claim p50 / p99 in the loop (${v('loopRate')} loops/s offered)`,
          `${v('claimP50Ms')} / ${v('claimP99Ms')} ms`,
          `gateway no-op c=1: ${v('httpFloorC1P50Ms')} / ${v('httpFloorC1P99Ms')} ms; claim statements c=1: ${v('dbClaimFloorC1P50Ms')} / ${v('dbClaimFloorC1P99Ms')} ms`,
        ],
        [
          'renew p50 / p99 in the loop',
          `${v('renewP50Ms')} / ${v('renewP99Ms')} ms`,
          `gateway no-op c=1 p99 ${v('httpFloorC1P99Ms')} ms; UPDATE c=1 p99 ${v('dbRenewFloorC1P99Ms')} ms`,
        ],
        [
          'double claims (event log + answers)',
          v('doubleClaims'),
          `of ${v('claimsAudited')} claims`,
        ],
        [
          `log ingestion (${v('logRuns')} runs)`,
          `${v('logMBPerSec')} MB/s, ${v('logLinesPerSec')} lines/s, append p99 ${v('appendP99Ms')} ms`,
          `chunk statements in pg at c=16: ${v('dbLogFloorMBPerSec')} MB/s`,
        ],
        [
          `log line → browser p50 / p99 (${v('pacedChunksPerSec')} chunks/s)`,
          `${v('logToBrowserP50Ms')} / ${v('logToBrowserP99Ms')} ms, ${v('logToBrowserLost')} lost`,
          `gateway no-op round trip c=1 p99 ${v('httpFloorC1P99Ms')} ms`,
        ],
        [
          'log line → browser p99 under full ingestion',
          `${v('logToBrowserUnderIngestionP99Ms')} ms`,
          '',
        ],
        [
          'limit reached → agent knows its run is cancelled, p50 / p99',
          `${v('budgetStopP50Ms')} / ${v('budgetStopP99Ms')} ms; overspend ${v('budgetOverspendReports')} reports`,
          `a usage report's own answer in that storm p50 / p99: ${v('budgetStormReportP50Ms')} / ${v('budgetStormReportP99Ms')} ms; bound: one report per run`,
        ],
      ],
    ),
  );
}

async function main(): Promise<void> {
  progress(
    `work-loop benchmark: ${SETTINGS.modes.join(' and ')}, ${SETTINGS.agents} agents, ${SETTINGS.missions} missions, ${SETTINGS.seconds} s a stretch`,
  );
  const byMode: Partial<Record<Mode, Figures>> = {};
  for (const mode of SETTINGS.modes) {
    byMode[mode] = await benchMode(mode);
  }
  for (const mode of SETTINGS.modes) {
    printMode(mode, byMode[mode]!);
  }
  const goalsMet: Record<string, boolean> = {};
  const rows = GOALS.filter((goal) => byMode[goal.mode]).map(({ figure, mode, sign, goal }) => {
    const value = byMode[mode]![figure];
    const met =
      value !== null && value !== undefined && (sign === '≥' ? value >= goal : value <= goal);
    goalsMet[`${mode}.${figure}`] = met;
    return [
      `${figure} (${mode})`,
      `${sign} ${goal}`,
      String(value ?? 'n/a'),
      met ? 'met' : 'missed',
    ];
  });
  console.log(`\ngoals\n${table(['figure', 'goal', 'measured', ''], rows)}`);
  console.log(`\ntook ${round1(elapsedSeconds())} s`);
  const headlineMode = SETTINGS.modes[0]!;
  console.log(
    JSON.stringify({
      benchmark: 'work-loop',
      mode: headlineMode,
      ...byMode[headlineMode],
      agents: SETTINGS.agents,
      missions: SETTINGS.missions,
      seconds: SETTINGS.seconds,
      modes: byMode,
      goalsMet,
    }),
  );
}

runBenchmark(main);
