import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { startStack, type Stack } from '@mission-control/testing';
import { logIn, openBrowser, watchPolicyViolations, type BrowserSession } from '../support/browser';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld, type Member } from '../support/identity-world';
import { SquadWorld, type AgentWithToken } from '../support/squad-world';

const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1440, height: 900 };

const HEARTBEAT = `mutation ($status: HeartbeatStatus!, $activity: String) {
  heartbeat(status: $status, activity: $activity) { id }
}`;
const USAGE = `mutation ($ws: ID!, $run: ID!) {
  reportRunUsage(workspaceId: $ws, runId: $run, input: { model: "claude-sonnet-4-5", inputTokens: 10000, outputTokens: 2000, cachedInputTokens: 8000 }) { costUsd }
}`;
const FINISH = `mutation ($ws: ID!, $run: ID!) {
  finishRun(workspaceId: $ws, runId: $run, outcome: SUCCEEDED, summary: "Moons mapped") { status }
}`;

/** How far the page is wider than the screen (0 or less: it fits). */
const overflowOf = (page: Page) =>
  page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );

describe('an agent’s page, the roster and board cards show who is running what, live', () => {
  let stack: Stack;
  let graph: GraphClient;
  let admin: Member;
  let scout: AgentWithToken;
  let rover: AgentWithToken;
  let missionId: string;
  let runId: string;
  let session: BrowserSession;
  let board: Page;
  let violations: string[];
  // Scout keeps sending heartbeats, as a live agent does: without them it goes offline and its
  // claim goes back to the queue.
  let scoutSays = { status: 'IDLE', activity: null as string | null };
  let keepAlive: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    stack = await startStack({ web: true });
    graph = new GraphClient(stack.gatewayUrl);
    admin = await new IdentityWorld(graph).workspace('Saturn');
    const squad = new SquadWorld(graph);
    scout = await squad.activeAgent(admin, 'Scout');
    rover = await squad.activeAgent(admin, 'Rover');
    missionId = (await squad.claimedMission(admin, scout, 'Map the moons')).id;
    runId = await squad.startedRun(admin, scout, missionId);
    keepAlive = setInterval(() => void graph.request(HEARTBEAT, scoutSays, scout.token), 20_000);
    session = await openBrowser(stack.webUrl!);
    violations = await watchPolicyViolations(session.context);
  });
  afterAll(async () => {
    clearInterval(keepAlive);
    await session?.close();
    await stack?.stop();
  });

  it('lists on the roster what each agent runs, and opens an agent’s page from it', async () => {
    const { page } = session;
    await logIn(page, admin.email, `/w/${admin.workspaceId}/agents`);
    const scoutRow = page.getByRole('row').filter({ hasText: 'Scout' });
    await scoutRow.getByRole('link', { name: 'Running Map the moons' }).waitFor();
    const roverRow = page.getByRole('row').filter({ hasText: 'Rover' });
    await roverRow.getByText('Nothing').waitFor({ state: 'attached' });
    await session.shot('roster-running');
    await scoutRow.getByRole('link', { name: 'Scout' }).click();
    await page.waitForURL(`**/agents/${scout.id}`);
    await page.getByRole('heading', { level: 1, name: /Scout/ }).waitFor();
  });

  it('shows the run going on, the mission it holds and its lease counting down', async () => {
    const { page } = session;
    const working = page.getByRole('region', { name: 'Working on' });
    await working.getByRole('link', { name: 'Map the moons', exact: true }).waitFor();
    await working.getByText('Running', { exact: true }).waitFor();
    expect(
      await working
        .getByRole('link', { name: 'Open the run of Map the moons' })
        .getAttribute('href'),
    ).toBe(`/w/${admin.workspaceId}/runs/${runId}`);
    // Five minutes' lease, counting down by the second.
    const lease = working.getByText(/Lease: \d+:\d\d left/);
    await lease.waitFor();
    const first = await lease.textContent();
    await page.waitForTimeout(2_100);
    const later = await lease.textContent();
    expect(later).not.toBe(first);
    expect(first).toMatch(/Lease: [45]:\d\d left/);

    const runs = page.getByRole('region', { name: 'Recent runs' });
    await runs.getByRole('row').filter({ hasText: 'Map the moons' }).getByText('Running').waitFor();
    await page
      .getByRole('definition')
      .filter({ hasText: /^code$/ })
      .waitFor();

    // A heartbeat shows at once: status, activity and when it was last seen.
    scoutSays = { status: 'BUSY', activity: 'Charting the outer moons' };
    expect((await graph.request(HEARTBEAT, scoutSays, scout.token)).errors).toBeUndefined();
    await page.getByRole('heading', { level: 1, name: /Busy/ }).waitFor();
    await page.getByText('Charting the outer moons').waitFor();
    await page
      .getByRole('definition')
      .filter({ hasText: /just now|\d+ s ago/ })
      .waitFor();
    await session.shot('agent-running');
  });

  it('updates the agent’s page and the board card live when the run ends', async () => {
    const { page } = session;
    board = await session.context.newPage();
    await board.goto(`/w/${admin.workspaceId}/board`);
    const card = board.getByRole('listitem', { name: 'Map the moons' });
    await card.getByRole('link', { name: 'Running, by Scout' }).waitFor();
    await board.screenshot({ path: `${__dirname}/../screenshots/agent-page-board-running.png` });

    await graph.ok(USAGE, { ws: admin.workspaceId, run: runId }, scout.token);
    const row = page
      .getByRole('region', { name: 'Recent runs' })
      .getByRole('row')
      .filter({ hasText: 'Map the moons' });
    await row.getByText('$0.0384').waitFor();
    await row.getByText('10,000 / 2,000').waitFor();

    await graph.ok(FINISH, { ws: admin.workspaceId, run: runId }, scout.token);
    await row.getByText('Succeeded').waitFor();
    const working = page.getByRole('region', { name: 'Working on' });
    // The claim stays until the mission moves on or the lease lapses; the run is over.
    await working.getByText('Claimed; no run going on.').waitFor();
    expect(await working.getByText('Running', { exact: true }).count()).toBe(0);
    await card.getByRole('link', { name: 'Running, by Scout' }).waitFor({ state: 'detached' });
    expect(await card.getByText('Scout').count()).toBe(1);
    await session.shot('agent-run-finished');
    await board.screenshot({ path: `${__dirname}/../screenshots/agent-page-board-finished.png` });
    await board.close();
  });

  it('says when an agent holds nothing and has run nothing', async () => {
    const { page } = session;
    await page.goto(`/w/${admin.workspaceId}/agents/${rover.id}`);
    await page.getByRole('heading', { level: 1, name: /Rover/ }).waitFor();
    await page.getByText('Nothing right now — it holds no mission and runs nothing.').waitFor();
    await page.getByText('No runs yet').waitFor();
  });

  it('says plainly that an unknown or malformed agent address is not found', async () => {
    const { page } = session;
    for (const id of [randomUUID(), 'not-an-agent']) {
      await page.goto(`/w/${admin.workspaceId}/agents/${id}`);
      await page.getByRole('heading', { name: 'Agent not found' }).waitFor();
      expect(await page.getByText(/request id/i).count()).toBe(0);
      await page.getByRole('link', { name: 'See every agent of the workspace' }).waitFor();
    }
  });

  it('works from the keyboard: the run of a held mission opens with Tab and Enter', async () => {
    const { page } = session;
    const runner = await new SquadWorld(graph).startedRun(admin, scout, missionId);
    await page.goto(`/w/${admin.workspaceId}/agents/${scout.id}`);
    const open = page.getByRole('link', { name: 'Open the run of Map the moons' });
    await open.waitFor();
    let reached = false;
    for (let step = 0; step < 40 && !reached; step += 1) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate<string>('document.activeElement?.textContent ?? ""');
      reached = focused === 'Open the run of Map the moons';
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/runs/${runner}`);
    await page.getByRole('heading', { name: /Run by Scout/ }).waitFor();
  });

  it('fits its page and the roster to a phone', async () => {
    const { page } = session;
    await page.setViewportSize(PHONE);
    await page.goto(`/w/${admin.workspaceId}/agents/${scout.id}`);
    await page.getByRole('region', { name: 'Recent runs' }).getByText('Succeeded').waitFor();
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await session.shot('agent-phone');
    // The roster's wide table scrolls inside its panel; the page itself does not widen.
    await page.goto(`/w/${admin.workspaceId}/agents`);
    await page.getByRole('row').filter({ hasText: 'Rover' }).waitFor();
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await session.shot('roster-phone');
    await page.setViewportSize(DESKTOP);
    expect(violations).toEqual([]);
  });
});
