// The agents' loop at a steady offered rate (open loop: a new iteration every 1/rate s, by an idle
// agent): claim → start a run → renew the lease → report usage → finish → hand the mission back.
// The claim's latency here is the one agents see when the service is not saturated.
import { now, percentiles, progress, round1, sleep } from '../support/harness';
import type { Phase } from './phase';

/**
 * Loops started per second across all agents: BENCH_LOOP_RATE, else a twelfth of the burst's
 * claims/s (a loop is six writes: about half of what the instance took in the burst), so the
 * claim is measured below saturation on whatever machine this runs.
 */
function rateOf(claimsPerSec: number | null | undefined): number {
  const set = Number(process.env.BENCH_LOOP_RATE);
  return set > 0 ? set : Math.max(1, Math.round((claimsPerSec ?? 12) / 12));
}

export const loopPhase: Phase = {
  name: 'work loop',
  async run(context) {
    const RATE = rateOf(context.measured.claimsPerSec);
    const times = new Map<string, number[]>();
    const clients = context.clients(times);
    const idle = clients.map((_, n) => n);
    let loops = 0;
    let empty = 0;
    let busy = 0;
    let errors = 0;
    let firstError: string | undefined;
    const iteration = async (agent: number) => {
      const client = clients[agent]!;
      try {
        const claim = await client.next();
        if (claim === null) {
          empty += 1;
          return;
        }
        const run = await client.startRun(claim.id);
        await client.renew(claim.id);
        await client.report(run);
        await client.finish(run);
        await client.release(claim.id);
        loops += 1;
      } catch (error) {
        errors += 1;
        firstError ??= String(error);
      } finally {
        idle.push(agent);
      }
    };
    progress(
      `  work loop: ${RATE} loops/s offered for ${context.seconds} s by ${clients.length} agents ` +
        '(claim → startRun → renewLease → reportRunUsage → finishRun → releaseMission)',
    );
    const cpu = context.cpu();
    const started = now();
    const running: Promise<void>[] = [];
    for (let n = 0; now() < started + context.seconds * 1000; n++) {
      const at = started + (n * 1000) / RATE;
      await sleep(Math.max(0, at - now()));
      const agent = idle.shift();
      if (agent === undefined) {
        busy += 1;
        continue;
      }
      running.push(iteration(agent));
    }
    await Promise.all(running);
    const seconds = (now() - started) / 1000;
    const usage = cpu();
    const of = (name: string) => percentiles(times.get(name) ?? []);
    const [claim, renew, report, start, finish, release] = [
      'claim',
      'renew',
      'report',
      'start',
      'finish',
      'release',
    ].map(of);
    progress(
      `  work loop: ${loops} loops in ${round1(seconds)} s (${round1(loops / seconds)}/s), ${empty} found nothing, ` +
        `${busy} starts found no idle agent, ${errors} errors${firstError ? ` (${firstError.slice(0, 200)})` : ''}`,
    );
    for (const [name, p] of Object.entries({ claim, start, renew, report, finish, release })) {
      progress(
        `    ${name.padEnd(8)} p50 ${p!.p50} / p99 ${p!.p99} / max ${p!.max} ms (${p!.count})`,
      );
    }
    progress(`    CPU: ${usage}`);
    return {
      loopRate: RATE,
      loopsPerSec: round1(loops / seconds),
      claimP50Ms: claim!.p50,
      claimP99Ms: claim!.p99,
      renewP50Ms: renew!.p50,
      renewP99Ms: renew!.p99,
      reportP99Ms: report!.p99,
      startRunP99Ms: start!.p99,
      finishRunP99Ms: finish!.p99,
      loopErrors: errors,
    };
  },
};
