import { startStack, type Stack } from '@mission-control/testing';
import {
  DESKTOP,
  logIn,
  openBrowser,
  overflowOf,
  PHONE,
  watchPolicyViolations,
  type BrowserSession,
} from '../support/browser';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld, type Member } from '../support/identity-world';
import { SquadWorld, type AgentWithToken } from '../support/squad-world';

// costUsd: the agent's own figure, so each report's spend is exact.
const USAGE = `mutation ($ws: ID!, $run: ID!, $cost: Float!) {
  reportRunUsage(workspaceId: $ws, runId: $run, input: { model: "claude-sonnet-4-5", inputTokens: 1000, outputTokens: 100, costUsd: $cost }) { status }
}`;

describe('a budget set in the browser stops an agent mid-run, visibly', () => {
  let stack: Stack;
  let graph: GraphClient;
  let admin: Member;
  let agent: AgentWithToken;
  let squad: SquadWorld;
  let session: BrowserSession;
  let violations: string[];

  beforeAll(async () => {
    stack = await startStack({ web: true });
    graph = new GraphClient(stack.gatewayUrl);
    admin = await new IdentityWorld(graph).workspace('Saturn');
    squad = new SquadWorld(graph);
    agent = await squad.activeAgent(admin, 'Scout');
    session = await openBrowser(stack.webUrl!);
    violations = await watchPolicyViolations(session.context);
  });
  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  it('starts with no budgets and refuses a budget without a limit, saying why', async () => {
    const { page } = session;
    await logIn(page, admin.email, `/w/${admin.workspaceId}/settings/budgets`);
    await page.getByText('No budgets yet: spending is not limited.').waitFor();
    await page.getByLabel('Name').fill('Squad per month');
    await page.getByRole('button', { name: 'Set budget' }).click();
    await page.getByText('Set a money limit, a token limit or both.').waitFor();
  });

  it('sets a money limit from the keyboard and shows it with nothing spent', async () => {
    const { page } = session;
    await page.getByLabel('Money limit (US $)').fill('1');
    await page.getByLabel('Warn at (%)').fill('50');
    await page.getByLabel('Money limit (US $)').press('Enter');
    const budget = page.getByRole('listitem', { name: 'Squad per month' });
    await budget.getByText('Within budget').waitFor();
    await budget.getByText(/Spent \$0\.00 of \$1\.00 per month/).waitFor();
    await session.shot('budget-set');
  });

  it('warns live, then cancels the run at the limit and says so on every page', async () => {
    const { page } = session;
    const mission = await squad.claimedMission(admin, agent, 'Chart the rings');
    const runId = await squad.startedRun(admin, agent, mission.id);
    await page.goto(`/w/${admin.workspaceId}/runs/${runId}`);
    await page.getByRole('heading', { name: /Run by Scout/ }).waitFor();

    const report = (cost: number) =>
      graph.ok<{ reportRunUsage: { status: string } }>(
        USAGE,
        { ws: admin.workspaceId, run: runId, cost },
        agent.token,
      );
    expect((await report(0.6)).reportRunUsage.status).toBe('RUNNING');
    await page
      .getByRole('status')
      .filter({ hasText: 'Budget “Squad per month” is nearly spent.' })
      .waitFor();

    const stoppedAt = Date.now();
    expect((await report(0.6)).reportRunUsage.status).toBe('CANCELLED');
    const alert = page
      .getByRole('alert')
      .filter({ hasText: 'Budget “Squad per month” reached: work is stopped.' });
    await alert.waitFor();
    await page.getByRole('heading', { name: /Cancelled/ }).waitFor();
    await page.getByText(/The budget “Squad per month” \(\$1\.00 per month\) is spent/).waitFor();
    process.stdout.write(`budgets: the stop reached the browser in ${Date.now() - stoppedAt} ms\n`);
    await session.shot('budget-stopped-run');

    // A new run is refused while the budget stands exceeded.
    const refused = await graph.request(
      `mutation ($ws: ID!, $id: ID!) { startRun(workspaceId: $ws, missionId: $id, input: { adapter: "sdk", model: "gpt-5", provider: "openai" }) { id } }`,
      { ws: admin.workspaceId, id: mission.id },
      agent.token,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
  });

  it('lets the admin resume work from the alert’s link', async () => {
    const { page } = session;
    await page.getByRole('link', { name: 'Review budgets' }).first().click();
    await page.waitForURL('**/settings/budgets');
    const budget = page.getByRole('listitem', { name: 'Squad per month' });
    await budget.getByText('Work stopped').waitFor();
    await budget.getByText(/Spent \$1\.20 of \$1\.00 per month \(120 %\)/).waitFor();
    await budget.getByRole('button', { name: 'Resume work until the period ends' }).click();
    await budget.getByText('Resumed past its limit').waitFor();
    await page
      .getByRole('alert')
      .filter({ hasText: 'reached: work is stopped' })
      .waitFor({ state: 'detached' });
    await session.shot('budget-resumed');
  });

  it('edits and deletes a budget, and fits a phone', async () => {
    const { page } = session;
    await page.setViewportSize(PHONE);
    const budget = page.getByRole('listitem', { name: 'Squad per month' });
    await budget.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Money limit (US $)').last().fill('5');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await budget.getByText(/of \$5\.00 per month/).waitFor();
    // Raised above the spend: within budget again, the resume ended.
    await budget.getByText('Within budget').waitFor();
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await session.shot('budget-phone');
    await budget.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('No budgets yet: spending is not limited.').waitFor();
    await page.setViewportSize(DESKTOP);
    expect(violations).toEqual([]);
  });
});
