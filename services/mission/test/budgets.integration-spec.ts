import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { agentPrincipal, memberPrincipal } from '@mission-control/testing';
import { PrismaService } from '../src/database/prisma.service';
import {
  type AgentServiceStandIn,
  errorCode,
  type GatewayStandIn,
  startMissionSpecApp,
} from './mission-test-kit';

const BUDGET_FIELDS = `id agentId name period tokenLimit costLimitUsd warnPercent periodKey
  periodEndsAt spentTokens spentUsd standing`;
const SET = `mutation ($ws: ID!, $input: SetBudgetInput!) {
  setBudget(workspaceId: $ws, input: $input) { ${BUDGET_FIELDS} }
}`;
const RESUME = `mutation ($ws: ID!, $id: ID!) { resumeBudget(workspaceId: $ws, budgetId: $id) { ${BUDGET_FIELDS} } }`;
const DELETE = `mutation ($ws: ID!, $id: ID!) { deleteBudget(workspaceId: $ws, budgetId: $id) { id } }`;
const BUDGETS = `query ($ws: ID!) { budgets(workspaceId: $ws) { ${BUDGET_FIELDS} } }`;
const RUN_FIELDS = 'id status summary budgetId costUsd';
const START = `mutation ($ws: ID!, $mission: ID!) {
  startRun(workspaceId: $ws, missionId: $mission, input: { adapter: "sdk", model: "claude-sonnet-4-5", provider: "anthropic" }) { ${RUN_FIELDS} }
}`;
// costUsd: the agent's own figure, so the spend of each report is exact.
const USAGE = `mutation ($ws: ID!, $run: ID!, $cost: Float!) {
  reportRunUsage(workspaceId: $ws, runId: $run, input: { model: "claude-sonnet-4-5", inputTokens: 1000, outputTokens: 100, costUsd: $cost }) { ${RUN_FIELDS} }
}`;
const APPEND = `mutation ($ws: ID!, $run: ID!) { appendRunLog(workspaceId: $ws, runId: $run, lines: [{ text: "still going" }]) { lastPosition } }`;
const NEXT = `mutation ($ws: ID!) { nextMission(workspaceId: $ws) { id } }`;

type BudgetView = {
  id: string;
  agentId: string | null;
  standing: string;
  spentUsd: number;
  spentTokens: number;
  costLimitUsd: number | null;
  periodKey: string;
  periodEndsAt: string | null;
};
type RunView = {
  id: string;
  status: string;
  summary: string;
  budgetId: string | null;
  costUsd: number;
};

describe('budgets that stop work mid-run', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;
  let agents: AgentServiceStandIn;
  let close: () => Promise<void>;
  let prisma: PrismaService;

  beforeAll(async () => {
    ({ app, gateway, agents, close } = await startMissionSpecApp('budgets'));
    prisma = app.get(PrismaService);
  });
  afterAll(() => close?.());

  /** A workspace of its own per case: its budgets count no other case's runs. */
  const workspace = async (agentCount = 2) => {
    const ws = randomUUID();
    const ids = await Promise.all(Array.from({ length: agentCount }, () => agents.activeAgent(ws)));
    return {
      ws,
      admin: memberPrincipal(ws, 'admin'),
      commander: memberPrincipal(ws, 'mission_commander'),
      viewer: memberPrincipal(ws, 'viewer'),
      agents: ids.map((id) => agentPrincipal(ws, id)),
    };
  };
  const setBudget = (by: Principal, input: Record<string, unknown>) =>
    gateway.gql<{ setBudget: BudgetView }>(SET, { ws: by.workspaceId, input }, by);
  const budgets = async (by: Principal) =>
    (await gateway.ok<{ budgets: BudgetView[] }>(BUDGETS, { ws: by.workspaceId }, by)).budgets;
  const claimed = async (commander: Principal, agent: Principal) => {
    const ws = commander.workspaceId;
    const { createMission } = await gateway.ok<{ createMission: { id: string } }>(
      `mutation ($ws: ID!) { createMission(workspaceId: $ws, input: { title: "Survey the ridge" }) { id } }`,
      { ws },
      commander,
    );
    await gateway.ok(
      `mutation ($ws: ID!, $id: ID!, $agent: ID) { assignMission(workspaceId: $ws, missionId: $id, agentId: $agent) { id } }`,
      { ws, id: createMission.id, agent: agent.subject },
      commander,
    );
    await gateway.ok(
      `mutation ($ws: ID!, $id: ID!) { claimMission(workspaceId: $ws, missionId: $id) { id } }`,
      { ws, id: createMission.id },
      agent,
    );
    return createMission.id;
  };
  const start = (agent: Principal, mission: string) =>
    gateway.gql<{ startRun: RunView }>(START, { ws: agent.workspaceId, mission }, agent);
  const running = async (commander: Principal, agent: Principal) =>
    (await start(agent, await claimed(commander, agent))).data!.startRun;
  const report = (agent: Principal, run: string, cost: number) =>
    gateway.gql<{ reportRunUsage: RunView }>(USAGE, { ws: agent.workspaceId, run, cost }, agent);
  const runOf = async (by: Principal, id: string) =>
    (
      await gateway.ok<{ run: RunView }>(
        `query ($ws: ID!, $id: ID!) { run(workspaceId: $ws, id: $id) { ${RUN_FIELDS} } }`,
        { ws: by.workspaceId, id },
        by,
      )
    ).run;
  const budgetEvents = (budgetId: string) =>
    prisma.$queryRaw<{ type: string }[]>`
      SELECT type FROM "mission"."events" WHERE stream_id = ${`budget-${budgetId}`} ORDER BY version`;

  it('is set by admins, seen by every member, and refuses bad limits with their field', async () => {
    const { admin, commander, viewer, agents: squad } = await workspace(1);
    const made = await setBudget(admin, {
      name: 'Scout per day',
      agentId: squad[0]!.subject,
      period: 'DAY',
      costLimitUsd: 2.5,
    });
    expect(made.data!.setBudget).toMatchObject({
      agentId: squad[0]!.subject,
      period: 'DAY',
      costLimitUsd: 2.5,
      tokenLimit: null,
      warnPercent: 80,
      spentUsd: 0,
      standing: 'OK',
      periodKey: new Date().toISOString().slice(0, 10),
    });
    expect(Date.parse(made.data!.setBudget.periodEndsAt!)).toBeGreaterThan(Date.now());
    expect(await budgets(viewer)).toEqual([made.data!.setBudget]);

    expect(
      errorCode(await setBudget(commander, { name: 'Mine', period: 'DAY', tokenLimit: 5 })),
    ).toBe('FORBIDDEN');
    const outsider = memberPrincipal(randomUUID(), 'admin');
    expect(errorCode(await gateway.gql(BUDGETS, { ws: admin.workspaceId }, outsider))).toBe(
      'FORBIDDEN',
    );
    for (const bad of [
      { name: 'No limit', period: 'DAY' },
      { name: 'Negative', period: 'DAY', costLimitUsd: -1 },
      { name: 'Fraction', period: 'DAY', tokenLimit: 1.5 },
      { name: 'Warn', period: 'DAY', tokenLimit: 5, warnPercent: 0 },
      { name: 'Ghost', period: 'DAY', tokenLimit: 5, agentId: randomUUID() },
      { name: '', period: 'MONTH', tokenLimit: 5 },
    ]) {
      expect(errorCode(await setBudget(admin, bad))).toBe('VALIDATION_ERROR');
    }
    expect(
      errorCode(
        await setBudget(admin, {
          budgetId: randomUUID(),
          name: 'Gone',
          period: 'DAY',
          tokenLimit: 1,
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(await budgets(viewer)).toHaveLength(1);
  });

  it('warns, then at the limit cancels every run under it, refuses new runs and claims, and still records late usage', async () => {
    const { admin, commander, viewer, agents: squad } = await workspace(2);
    const [scout, rover] = squad as [Principal, Principal];
    const { setBudget: budget } = (
      await setBudget(admin, {
        name: 'Workspace',
        period: 'MONTH',
        costLimitUsd: 1,
        warnPercent: 50,
      })
    ).data!;
    const scoutRun = await running(commander, scout);
    const roverRun = await running(commander, rover);

    await report(scout, scoutRun.id, 0.3);
    expect((await budgets(viewer))[0]).toMatchObject({ standing: 'OK', spentUsd: 0.3 });
    await report(rover, roverRun.id, 0.3);
    expect((await budgets(viewer))[0]).toMatchObject({ standing: 'WARNING', spentUsd: 0.6 });

    // The report that crosses the limit is recorded, and its own run ends with it.
    const crossing = await report(scout, scoutRun.id, 0.5);
    expect(crossing.data!.reportRunUsage).toMatchObject({
      status: 'CANCELLED',
      budgetId: budget.id,
      costUsd: 0.8,
    });
    expect(crossing.data!.reportRunUsage.summary).toContain('“Workspace”');
    // The other agent's run is cancelled too, without it reporting anything.
    expect(await runOf(viewer, roverRun.id)).toMatchObject({
      status: 'CANCELLED',
      budgetId: budget.id,
    });
    expect((await budgets(viewer))[0]).toMatchObject({ standing: 'EXCEEDED', spentUsd: 1.1 });
    expect((await budgetEvents(budget.id)).map((event) => event.type)).toEqual([
      'mission.v1.BudgetSet',
      'mission.v1.BudgetWarningReached',
      'mission.v1.BudgetExceeded',
    ]);

    // Its log is closed; usage that trails the stop is still recorded.
    expect(
      errorCode(await gateway.gql(APPEND, { ws: rover.workspaceId, run: roverRun.id }, rover)),
    ).toBe('CONFLICT');
    const late = await report(rover, roverRun.id, 0.2);
    expect(late.data!.reportRunUsage).toMatchObject({ status: 'CANCELLED', costUsd: 0.5 });
    expect((await budgets(viewer))[0]!.spentUsd).toBeCloseTo(1.3, 6);

    // Nothing new starts under it: not a run, not a claim.
    const refused = await start(scout, await claimed(commander, scout));
    expect(errorCode(refused)).toBe('LIMIT_EXCEEDED');
    expect(refused.errors![0]!.extensions).toMatchObject({
      details: { budgetId: budget.id, budgetName: 'Workspace', costLimitUsd: 1 },
    });
    expect(errorCode(await gateway.gql(NEXT, { ws: rover.workspaceId }, rover))).toBe(
      'LIMIT_EXCEEDED',
    );
    // Cancelled once: the stop announced no second time.
    expect(await budgetEvents(budget.id)).toHaveLength(3);
  });

  it('counts a sub-agent’s runs against its parent’s budget, whose stop ends the child’s run too', async () => {
    const { ws, admin, commander, viewer, agents: squad } = await workspace(2);
    const [lead, bystander] = squad as [Principal, Principal];
    const child = agentPrincipal(ws, await agents.subAgent(ws, lead.subject));
    const { setBudget: budget } = (
      await setBudget(admin, {
        name: 'Lead per month',
        agentId: lead.subject,
        period: 'MONTH',
        costLimitUsd: 1,
      })
    ).data!;
    const leadRun = await running(commander, lead);
    const childRun = await running(commander, child);
    const bystanderRun = await running(commander, bystander);

    await report(child, childRun.id, 0.4);
    expect((await budgets(viewer))[0]).toMatchObject({ id: budget.id, spentUsd: 0.4 });
    await report(bystander, bystanderRun.id, 5);
    expect((await budgets(viewer))[0]!.spentUsd).toBe(0.4);

    // The parent's own report crosses the limit: the child's run ends with the parent's.
    await report(lead, leadRun.id, 0.7);
    expect(await runOf(viewer, childRun.id)).toMatchObject({
      status: 'CANCELLED',
      budgetId: budget.id,
    });
    expect(await runOf(viewer, leadRun.id)).toMatchObject({ status: 'CANCELLED' });
    expect((await runOf(viewer, bystanderRun.id)).status).toBe('RUNNING');
    // And the child starts nothing new under it.
    expect(errorCode(await start(child, await claimed(commander, child)))).toBe('LIMIT_EXCEEDED');
  });

  it('lets an admin resume work past the limit until the period ends, or raise it', async () => {
    const { admin, commander, viewer, agents: squad } = await workspace(1);
    const [scout] = squad as [Principal];
    const made = (
      await setBudget(admin, {
        name: 'Scout',
        agentId: scout.subject,
        period: 'DAY',
        costLimitUsd: 0.5,
      })
    ).data!.setBudget;
    const first = await running(commander, scout);
    expect((await report(scout, first.id, 0.6)).data!.reportRunUsage.status).toBe('CANCELLED');

    expect(
      errorCode(await gateway.gql(RESUME, { ws: admin.workspaceId, id: made.id }, commander)),
    ).toBe('FORBIDDEN');
    const resumed = await gateway.ok<{ resumeBudget: BudgetView }>(
      RESUME,
      { ws: admin.workspaceId, id: made.id },
      admin,
    );
    expect(resumed.resumeBudget.standing).toBe('RESUMED');
    // Resumed: work goes on past the limit, and it does not stop again this period.
    const second = await running(commander, scout);
    expect((await report(scout, second.id, 0.6)).data!.reportRunUsage.status).toBe('RUNNING');
    expect(
      errorCode(await gateway.gql(RESUME, { ws: admin.workspaceId, id: made.id }, admin)),
    ).toBe('CONFLICT');

    // Lowering the limit below what the period spent stops at once, and cancels what runs.
    const lowered = await setBudget(admin, {
      budgetId: made.id,
      agentId: scout.subject,
      name: 'Scout',
      period: 'DAY',
      costLimitUsd: 1,
    });
    expect(lowered.data!.setBudget.standing).toBe('EXCEEDED');
    expect(await runOf(viewer, second.id)).toMatchObject({
      status: 'CANCELLED',
      budgetId: made.id,
    });

    // Raised above the spend: work starts again.
    const raised = await setBudget(admin, {
      budgetId: made.id,
      agentId: scout.subject,
      name: 'Scout',
      period: 'DAY',
      costLimitUsd: 10,
    });
    expect(raised.data!.setBudget).toMatchObject({ standing: 'OK', costLimitUsd: 10 });
    expect((await running(commander, scout)).status).toBe('RUNNING');

    await gateway.ok(DELETE, { ws: admin.workspaceId, id: made.id }, admin);
    expect(await budgets(viewer)).toEqual([]);
  });

  it('bounds overspend to one report per run when 20 agents report past the limit at once', async () => {
    const { admin, commander, viewer, agents: squad } = await workspace(20);
    const limit = 2;
    const step = 0.05;
    const { setBudget: budget } = (
      await setBudget(admin, { name: 'Squad', period: 'TOTAL', costLimitUsd: limit })
    ).data!;
    const runs = await Promise.all(squad.map((agent) => running(commander, agent)));

    // Every agent reports until an answer says its run was cancelled, as an agent would stop.
    const reportsAfterStop = await Promise.all(
      squad.map(async (agent, index) => {
        const runId = runs[index]!.id;
        for (;;) {
          const { data, errors } = await report(agent, runId, step);
          expect(errors).toBeUndefined();
          if (data!.reportRunUsage.status === 'CANCELLED') {
            return data!.reportRunUsage.budgetId;
          }
        }
      }),
    );

    expect(reportsAfterStop).toEqual(squad.map(() => budget.id));
    const [after] = await budgets(viewer);
    expect(after!.standing).toBe('EXCEEDED');
    // Before the stop: under the limit plus the crossing report. After it: at most the one
    // report each other run had in flight.
    const overspend = after!.spentUsd - limit;
    expect(overspend).toBeGreaterThanOrEqual(0);
    expect(overspend).toBeLessThanOrEqual(step * squad.length + 1e-9);
    for (const run of runs) {
      expect(await runOf(viewer, run.id)).toMatchObject({
        status: 'CANCELLED',
        budgetId: budget.id,
      });
    }
    expect(
      (await budgetEvents(budget.id)).filter((event) => event.type === 'mission.v1.BudgetExceeded'),
    ).toHaveLength(1);
  });
});
