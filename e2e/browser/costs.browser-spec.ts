import { startStack, type Stack, until } from '@mission-control/testing';
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

const START_RUN = `mutation ($ws: ID!, $id: ID!, $billing: RunBilling) {
  startRun(workspaceId: $ws, missionId: $id, input: { adapter: "claude-code", model: "claude-sonnet-4-5", provider: "anthropic", billing: $billing }) { id }
}`;
const APPEND = `mutation ($ws: ID!, $run: ID!, $text: String!) {
  appendRunLog(workspaceId: $ws, runId: $run, lines: [{ text: $text }]) { lastPosition }
}`;
const USAGE = `mutation ($ws: ID!, $run: ID!, $input: RunUsageInput!) {
  reportRunUsage(workspaceId: $ws, runId: $run, input: $input) { costUsd }
}`;
const FINISH = `mutation ($ws: ID!, $run: ID!, $outcome: RunOutcome!) {
  finishRun(workspaceId: $ws, runId: $run, outcome: $outcome) { id }
}`;
const STATS = `query ($ws: ID!, $from: DateTime!, $to: DateTime!) {
  agentRunStats(workspaceId: $ws, from: $from, to: $to) { nodes { agentId finishedRuns costUsd } }
}`;
const CREATE_WORKSPACE = `mutation ($name: String!) { createWorkspace(name: $name) { id } }`;

describe('the Costs page: what agents’ runs cost, over time and per agent', () => {
  let stack: Stack;
  let graph: GraphClient;
  let admin: Member;
  let scout: AgentWithToken;
  let rover: AgentWithToken;
  let session: BrowserSession;
  let violations: string[];

  /** A whole run of a claimed mission: a log line, one usage report, its end. */
  async function run(
    agent: AgentWithToken,
    title: string,
    billing: 'METERED' | 'SUBSCRIPTION',
    usage: Record<string, unknown>,
    outcome: 'SUCCEEDED' | 'FAILED',
  ): Promise<void> {
    const ws = admin.workspaceId;
    const squad = new SquadWorld(graph);
    const mission = await squad.claimedMission(admin, agent, title);
    const { startRun } = await graph.ok<{ startRun: { id: string } }>(
      START_RUN,
      { ws, id: mission.id, billing },
      agent.token,
    );
    await graph.ok(APPEND, { ws, run: startRun.id, text: `working on ${title}` }, agent.token);
    await graph.ok(USAGE, { ws, run: startRun.id, input: usage }, agent.token);
    await graph.ok(FINISH, { ws, run: startRun.id, outcome }, agent.token);
  }

  beforeAll(async () => {
    stack = await startStack({ web: true });
    graph = new GraphClient(stack.gatewayUrl);
    admin = await new IdentityWorld(graph).workspace('Saturn');
    const squad = new SquadWorld(graph);
    scout = await squad.activeAgent(admin, 'Scout');
    rover = await squad.activeAgent(admin, 'Rover');
    // Priced from the catalog: $0.0384.
    await run(
      scout,
      'Map the rings',
      'METERED',
      {
        model: 'claude-sonnet-4-5',
        inputTokens: 10_000,
        outputTokens: 2_000,
        cachedInputTokens: 8_000,
      },
      'SUCCEEDED',
    );
    // On a flat-rate plan, at the agent's own figure: an estimate.
    await run(
      rover,
      'Drive to Titan',
      'SUBSCRIPTION',
      { model: 'claude-sonnet-4-5', inputTokens: 50_000, outputTokens: 5_000, costUsd: 1.5 },
      'FAILED',
    );
    // Analytics learns of runs from the mission service's events.
    const range = {
      ws: admin.workspaceId,
      from: new Date(Date.now() - 86_400_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    };
    await until(async () => {
      const { agentRunStats } = await graph.ok<{
        agentRunStats: { nodes: { finishedRuns: number }[] };
      }>(STATS, range, admin.workspaceToken);
      return (
        agentRunStats.nodes.length === 2 &&
        agentRunStats.nodes.every((node) => node.finishedRuns === 1)
      );
    }, 'both runs projected into analytics');
    session = await openBrowser(stack.webUrl!);
    violations = await watchPolicyViolations(session.context);
  });
  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  it('is linked from the navigation next to Analytics', async () => {
    const { page } = session;
    await logIn(page, admin.email, `/w/${admin.workspaceId}/analytics`);
    const nav = page.getByRole('navigation', { name: 'Workspace' });
    await page.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor();
    const labels = await nav.getByRole('link').allTextContents();
    expect(labels.slice(labels.indexOf('Analytics'), labels.indexOf('Analytics') + 2)).toEqual([
      'Analytics',
      'Costs',
    ]);
    await nav.getByRole('link', { name: 'Costs' }).click();
    await page.waitForURL(`**/w/${admin.workspaceId}/costs`);
    await page.getByRole('heading', { name: 'Costs', level: 1 }).waitFor();
    expect(await nav.getByRole('link', { name: 'Costs' }).getAttribute('aria-current')).toBe(
      'page',
    );
  });

  it('shows the total, the estimated part, and each agent’s runs and cost, who cost most first', async () => {
    const { page } = session;
    const overTime = page.getByRole('region', { name: 'Cost over time' });
    await overTime.getByRole('definition').filter({ hasText: '$1.5384' }).waitFor();
    // The flat-rate run's cost is an estimate: $1.50 of $1.5384.
    await overTime.getByRole('definition').filter({ hasText: '$1.50 · 98 %' }).waitFor();

    const perAgent = page.getByRole('region', { name: 'Cost per agent' });
    const rows = perAgent.getByRole('row');
    await rows.filter({ hasText: 'Rover' }).waitFor();
    const names = await perAgent.locator('tbody th[scope="row"]').allTextContents();
    expect(names).toEqual(['Rover', 'Scout']);

    const roverRow = rows.filter({ hasText: 'Rover' });
    const scoutRow = rows.filter({ hasText: 'Scout' });
    const cell = (row: typeof roverRow, label: string) =>
      row.locator(`td[data-label="${label}"]`).innerText();
    expect(await cell(roverRow, 'Runs')).toBe('1');
    expect(await cell(roverRow, 'Success')).toContain('0 %');
    expect(await cell(roverRow, 'Cost')).toBe('$1.50');
    expect(await cell(roverRow, 'Estimated')).toBe('100 %');
    expect(await cell(scoutRow, 'Success')).toContain('100 %');
    expect(await cell(scoutRow, 'Tokens in / out')).toBe('10K / 2K');
    expect(await cell(scoutRow, 'Cost')).toBe('$0.0384');
    expect(await cell(scoutRow, 'Estimated')).toBe('0 %');
    expect(await cell(scoutRow, 'Mean duration')).toMatch(/^\d+ s$/);
    // Assigned, claimed and first line within seconds of each other.
    expect(await cell(scoutRow, 'Response time')).toMatch(/^\d+ s\s+claimed in \d+ s$/);
    await session.shot('costs');
  });

  it('changes the range from the keyboard', async () => {
    const { page } = session;
    await page.getByRole('radio', { name: '7 days' }).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByRole('radio', { name: '24 hours' }).isChecked()).toBe(true);
    await page.getByText('over the last 24 hours').waitFor();
    await page.getByRole('region', { name: 'Cost per agent' }).getByText('Scout').waitFor();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: '30 days' }).isChecked()).toBe(true);
    await page.getByText('over the last 30 days').waitFor();
    await page
      .getByRole('region', { name: 'Cost over time' })
      .getByRole('definition')
      .filter({ hasText: '$1.5384' })
      .waitFor();
  });

  it('fits a phone: each agent a card of labelled figures', async () => {
    const { page } = session;
    await page.setViewportSize(PHONE);
    await page.reload();
    const perAgent = page.getByRole('region', { name: 'Cost per agent' });
    await perAgent.getByText('Rover').waitFor();
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    expect(
      await page.evaluate<string>(
        `getComputedStyle(document.querySelector('td[data-label="Cost"]'), '::before').content`,
      ),
    ).toBe('"Cost"');
    await session.shot('costs-phone');
    await page.setViewportSize(DESKTOP);
  });

  it('follows runs reporting usage live, without a reload', async () => {
    const { page } = session;
    await page.getByRole('radio', { name: '7 days' }).check();
    const overTime = page.getByRole('region', { name: 'Cost over time' });
    await overTime.getByRole('definition').filter({ hasText: '$1.5384' }).waitFor();
    // A mark on this page's window: a reload would take it away.
    await page.evaluate('window.costsMark = 42');
    await run(
      scout,
      'Sample the geysers',
      'METERED',
      { model: 'claude-sonnet-4-5', inputTokens: 1_000, outputTokens: 100, costUsd: 0.25 },
      'SUCCEEDED',
    );
    await overTime.getByRole('definition').filter({ hasText: '$1.7884' }).waitFor();
    const perAgent = page.getByRole('region', { name: 'Cost per agent' });
    await perAgent
      .getByRole('row')
      .filter({ hasText: 'Scout' })
      .filter({ hasText: '$0.2884' })
      .waitFor();
    expect(await page.evaluate<number>('window.costsMark')).toBe(42);
  });

  it('says so when nothing ran', async () => {
    const { page } = session;
    const { createWorkspace } = await graph.ok<{ createWorkspace: { id: string } }>(
      CREATE_WORKSPACE,
      { name: 'Quiet moon' },
      admin.token,
    );
    await page.goto(`/w/${createWorkspace.id}/costs`);
    await page.getByText('No run reported any cost in the last 7 days.').waitFor();
    await page.getByText('No agent ran or claimed a mission in the last 7 days.').waitFor();
    await session.shot('costs-empty');
    expect(violations).toEqual([]);
  });
});
