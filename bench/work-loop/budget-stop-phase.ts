// A budget's hard stop: agents reporting usage at once past a workspace budget, and the time from
// the report that crosses the limit being recorded (its BudgetExceeded event's time: the server
// runs on this machine, so its clock is ours) to each agent learning that its run was cancelled
// (the RunFinished pushed on its own socket, or the answer to its next report, whichever is first).
import { io, type Socket } from 'socket.io-client';
import { percentiles, progress, round1, round2 } from '../support/harness';
import { graphql, handBack, patiently, type AgentClient } from './agents';
import type { Phase } from './phase';

/** Agents running when the budget is reached (BENCH_BUDGET_AGENTS), and rounds of it. */
const AGENTS = Number(process.env.BENCH_BUDGET_AGENTS ?? 20);
const ROUNDS = Number(process.env.BENCH_BUDGET_ROUNDS ?? 5);
/** Each report costs $0.0369 at list price (OPS.report's tokens): about 54 reports to the limit. */
const REPORT_USD = 0.0369;
const LIMIT_USD = 2;

const REPORT = `mutation ($ws: ID!, $run: ID!) {
  reportRunUsage(workspaceId: $ws, runId: $run, input: { model: "claude-sonnet-4-5", inputTokens: 12000, cachedInputTokens: 8000, outputTokens: 1500 }) { status }
}`;
const SET = `mutation ($ws: ID!, $name: String!) {
  setBudget(workspaceId: $ws, input: { name: $name, period: TOTAL, costLimitUsd: ${LIMIT_USD} }) { id }
}`;
const SPENT = `query ($ws: ID!) { budgets(workspaceId: $ws) { id spentUsd standing } }`;
const DELETE = `mutation ($ws: ID!, $id: ID!) { deleteBudget(workspaceId: $ws, budgetId: $id) { id } }`;

type LiveEvent = {
  type: string;
  subject: string;
  time: string;
  data?: { budgetId?: string } | null;
};

/** When each run's end reached its agent, and when each budget stopped (epoch ms). */
type Heard = { ended: Map<string, number>; exceeded: Map<string, number> };

/** The agent's own live connection, noting when its run's end and a budget's stop are pushed. */
async function listen(url: string, token: string, heard: Heard): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], auth: { token }, reconnection: false });
  socket.on('event', (event: LiveEvent) => {
    if (event.type === 'mission.v1.RunFinished' && !heard.ended.has(event.subject)) {
      heard.ended.set(event.subject, Date.now());
    }
    if (event.type === 'mission.v1.BudgetExceeded' && event.data?.budgetId) {
      heard.exceeded.set(event.data.budgetId, Date.parse(event.time));
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('ready', () => resolve());
    socket.once('connect_error', reject);
    setTimeout(() => reject(new Error('agent socket not ready after 10 s')), 10_000);
  });
  return socket;
}

/** The value once `read` has one (the stop's event may trail the last answer a moment). */
async function waitFor(read: () => number | undefined, ms = 5_000): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error('the budget stop was never pushed');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

type Running = { client: AgentClient; missionId: string; runId: string };

/** One round: runs going, a fresh budget, everyone reporting until told their run was cancelled. */
async function round(
  url: string,
  workspaceId: string,
  adminToken: string,
  clients: AgentClient[],
  heard: Heard,
  n: number,
) {
  const running: Running[] = await Promise.all(
    clients.map(async (client) => {
      const claim = await patiently(() => client.next());
      if (!claim) {
        throw new Error('no mission left to claim for the budget stop');
      }
      const runId = await patiently(() => client.startRun(claim.id));
      return { client, missionId: claim.id, runId };
    }),
  );
  const { setBudget } = await graphql<{ setBudget: { id: string } }>(
    url,
    SET,
    { ws: workspaceId, name: `bench stop ${n}` },
    adminToken,
  );
  const answeredCancelled = new Map<string, number>();
  const reportMs: number[] = [];
  await Promise.all(
    running.map(async ({ client, runId }) => {
      while (!heard.ended.has(`run-${runId}`)) {
        const sent = Date.now();
        const { reportRunUsage } = await graphql<{ reportRunUsage: { status: string } }>(
          url,
          REPORT,
          { ws: workspaceId, run: runId },
          client.agent.token,
        );
        reportMs.push(Date.now() - sent);
        if (reportRunUsage.status === 'CANCELLED') {
          answeredCancelled.set(runId, Date.now());
          return;
        }
      }
    }),
  );
  const stoppedAt = await waitFor(() => heard.exceeded.get(setBudget.id));
  const latencies = running.map(({ runId }) => {
    const pushed = heard.ended.get(`run-${runId}`) ?? Infinity;
    const answered = answeredCancelled.get(runId) ?? Infinity;
    return round1(Math.max(0, Math.min(pushed, answered) - stoppedAt));
  });
  const { budgets } = await graphql<{
    budgets: { id: string; spentUsd: number; standing: string }[];
  }>(url, SPENT, { ws: workspaceId }, adminToken);
  const budget = budgets.find((candidate) => candidate.id === setBudget.id)!;
  await graphql(url, DELETE, { ws: workspaceId, id: setBudget.id }, adminToken);
  for (const { client, missionId } of running) {
    await handBack(client, missionId);
  }
  return {
    latencies,
    overspendUsd: budget.spentUsd - LIMIT_USD,
    stopped: budget.standing === 'EXCEEDED',
    reportMs,
  };
}

export const budgetStopPhase: Phase = {
  name: 'budget stop',
  async run(context) {
    const { url } = context.instance;
    const { workspaceId, adminToken } = context.squad;
    const clients = context.clients(new Map()).slice(0, AGENTS);
    progress(
      `  budget stop: ${clients.length} agents report usage at once past a $${LIMIT_USD} budget, ${ROUNDS} rounds`,
    );
    const heard: Heard = { ended: new Map(), exceeded: new Map() };
    const sockets = await Promise.all(
      clients.map((client) => listen(url, client.agent.token, heard)),
    );
    const latencies: number[] = [];
    const reportMs: number[] = [];
    let worstOverspend = 0;
    try {
      for (let n = 1; n <= ROUNDS; n++) {
        const result = await round(url, workspaceId, adminToken, clients, heard, n);
        if (!result.stopped) {
          throw new Error(`round ${n}: the budget did not stop`);
        }
        latencies.push(...result.latencies);
        reportMs.push(...result.reportMs);
        worstOverspend = Math.max(worstOverspend, result.overspendUsd);
        const p = percentiles(result.latencies);
        progress(
          `    round ${n}: ${result.reportMs.length} reports; limit reached → agents p50 ${p.p50} / max ${p.max} ms; ` +
            `overspend $${round2(result.overspendUsd)} (${round1(result.overspendUsd / REPORT_USD)} reports)`,
        );
      }
    } finally {
      sockets.forEach((socket) => socket.disconnect());
    }
    const all = percentiles(latencies);
    // The same storm's own floor: how long one usage report takes to be answered in it.
    const report = percentiles(reportMs);
    const overspendReports = round1(worstOverspend / REPORT_USD);
    progress(
      `  budget stop: ${latencies.length} runs; limit reached → agent knows its run was cancelled: ` +
        `p50 ${all.p50} / p99 ${all.p99} ms; a usage report's own answer meanwhile p50 ${report.p50} / p99 ${report.p99} ms; ` +
        `worst overspend ${overspendReports} reports for ${clients.length} runs (bound: one a run)`,
    );
    return {
      budgetStopP50Ms: all.p50,
      budgetStopP99Ms: all.p99,
      budgetStormReportP50Ms: report.p50,
      budgetStormReportP99Ms: report.p99,
      budgetOverspendReports: overspendReports,
    };
  },
};
