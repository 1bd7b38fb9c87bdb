// Every agent asks for work at once and keeps asking until the queue is empty (the thundering herd
// after a deploy): claims/s through the gateway, and whether any mission went to two agents.
import { now, percentiles, progress, round1, sleep } from '../support/harness';
import { GraphQLFailure, handBack, type Claim } from './agents';
import { dbWork } from './db-work';
import { profiled, type Phase } from './phase';

export const claimPhase: Phase = {
  name: 'claim burst',
  async run(context) {
    const times = new Map<string, number[]>();
    const clients = context.clients(times);
    const held: { agent: number; claim: Claim }[] = [];
    let errors = 0;
    let firstError: string | undefined;
    let empty = 0;
    progress(
      `  claim burst: ${clients.length} agents call nextMission back to back until all ${context.missions} missions are claimed`,
    );
    const cpu = context.cpu();
    const db = await dbWork(context.instance.databaseUrl());
    const started = now();
    // Until every mission is claimed; a service that cannot get there stops the burst here.
    const deadline = started + Math.max(60, context.seconds * 6) * 1000;
    let lastClaim = started;
    await profiled(context, 'claim burst', () =>
      Promise.all(
        clients.map(async (client, agent) => {
          while (held.length < context.missions && now() < deadline) {
            try {
              const claim = await client.next();
              if (claim === null) {
                // Nothing free this instant (what is left may be locked by claims in flight):
                // an agent asks again a moment later.
                empty += 1;
                await sleep(100);
                continue;
              }
              lastClaim = now();
              held.push({ agent, claim });
            } catch (error) {
              errors += 1;
              firstError ??= String(error);
              if (!(error instanceof GraphQLFailure && error.retryable)) {
                return;
              }
              await sleep(100);
            }
          }
        }),
      ),
    );
    const seconds = (lastClaim - started) / 1000;
    const usage = cpu();
    const claims = percentiles(times.get('claim') ?? []);
    const claimsPerSec = Math.round(held.length / seconds);
    // Within the burst nothing is handed back: a mission claimed twice is a double claim.
    const byMission = new Map<string, number>();
    for (const { claim } of held) {
      byMission.set(claim.id, (byMission.get(claim.id) ?? 0) + 1);
    }
    const answeredTwice = held.length - byMission.size;
    progress(
      `  claim burst: ${held.length} claims of ${byMission.size} missions in ${round1(seconds)} s = ${claimsPerSec} claims/s; ` +
        `nextMission p50 ${claims.p50} / p99 ${claims.p99} / max ${claims.max} ms over ${claims.count} calls ` +
        `(${empty} answered "nothing free", and asked again 100 ms later), ${errors} errors${firstError ? ` (${firstError.slice(0, 200)})` : ''}`,
    );
    progress(`    CPU: ${usage}`);
    progress(`    Postgres per claim: ${await db(held.length)}`);

    progress('  handing every claim back (releaseMission) for the next phase');
    const byAgent = new Map<number, string[]>();
    for (const { agent, claim } of held) {
      byAgent.set(agent, [...(byAgent.get(agent) ?? []), claim.id]);
    }
    await Promise.all(
      [...byAgent].map(async ([agent, missions]) => {
        for (const mission of missions) {
          await handBack(clients[agent]!, mission);
        }
      }),
    );
    const release = percentiles(times.get('release') ?? []);
    progress(`  released ${release.count}: p50 ${release.p50} / p99 ${release.p99} ms`);
    return {
      claimsPerSec,
      claimBurstP50Ms: claims.p50,
      claimBurstP99Ms: claims.p99,
      burstClaims: held.length,
      burstErrors: errors,
      burstEmptyAnswers: empty,
      burstAnsweredTwice: answeredTwice,
      releaseP99Ms: release.p99,
    };
  },
};
