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

const LINES = 3_000;
const ESC = '\u001b';

const APPEND = `mutation ($ws: ID!, $run: ID!, $lines: [RunLogLineInput!]!) {
  appendRunLog(workspaceId: $ws, runId: $run, lines: $lines) { lastPosition }
}`;
const USAGE = `mutation ($ws: ID!, $run: ID!) {
  reportRunUsage(workspaceId: $ws, runId: $run, input: { model: "claude-sonnet-4-5", inputTokens: 10000, outputTokens: 2000, cachedInputTokens: 8000 }) { costUsd }
}`;

describe('a run seen in the browser: its live log, cost, and a person cancelling it', () => {
  let stack: Stack;
  let graph: GraphClient;
  let admin: Member;
  let agent: AgentWithToken;
  let missionId: string;
  let runId: string;
  let session: BrowserSession;
  let violations: string[];

  const append = (lines: { text: string; stream?: string }[]) =>
    graph.request<{ appendRunLog: { lastPosition: number } }>(
      APPEND,
      { ws: admin.workspaceId, run: runId, lines },
      agent.token,
    );

  beforeAll(async () => {
    stack = await startStack({ web: true });
    graph = new GraphClient(stack.gatewayUrl);
    admin = await new IdentityWorld(graph).workspace('Jupiter');
    const squad = new SquadWorld(graph);
    agent = await squad.activeAgent(admin, 'Scout');
    missionId = (await squad.claimedMission(admin, agent, 'Map the moons')).id;
    runId = await squad.startedRun(admin, agent, missionId);
    for (let from = 1; from <= LINES; from += 500) {
      const chunk = Array.from({ length: 500 }, (_, i) => {
        const n = from + i;
        return n % 100 === 0
          ? { text: `${ESC}[1;32mcheckpoint ${n}${ESC}[0m reached`, stream: 'SYSTEM' }
          : { text: `step ${n}: scanning sector ${n % 37}` };
      });
      await graph.ok(APPEND, { ws: admin.workspaceId, run: runId, lines: chunk }, agent.token);
    }
    session = await openBrowser(stack.webUrl!);
    violations = await watchPolicyViolations(session.context);
  });
  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  it('lists the run on its mission and opens it', async () => {
    const { page } = session;
    await logIn(page, admin.email, `/w/${admin.workspaceId}/missions/${missionId}`);
    const runs = page.getByRole('region', { name: 'Runs' });
    await runs.getByText('Running').waitFor();
    await runs.getByText('Scout').waitFor();
    await session.shot('mission-with-run');
    await runs.getByRole('link').first().click();
    await page.waitForURL(`**/runs/${runId}`);
    await page.getByRole('heading', { name: /Run by Scout/ }).waitFor();
  });

  it('shows thousands of lines without putting them all in the page, following the end', async () => {
    const { page } = session;
    const log = page.getByRole('log', { name: 'Run log' });
    await page.getByText(`${LINES.toLocaleString('en-US')} lines`).waitFor();
    await log.getByText(`step ${LINES - 1}: scanning sector`).waitFor();
    const rendered = await log.locator('[data-position]').count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(200);

    // ANSI colours are colours, never escape codes shown as text.
    const checkpoint = log.getByText(`checkpoint ${LINES}`, { exact: true });
    await checkpoint.waitFor();
    // Strings run in the page (this project has no DOM types).
    const colorOf = (selector: string) =>
      page.evaluate<string>(`getComputedStyle(document.querySelector('${selector}')).color`);
    expect(await colorOf(`[data-position="${LINES}"] > span:nth-child(2) > span`)).not.toBe(
      await colorOf('[role="log"]'),
    );
    expect(await log.textContent()).not.toContain(ESC);
    await session.shot('run-log');
  });

  it('appends new lines live and updates the cost as usage is reported', async () => {
    const { page } = session;
    const log = page.getByRole('log', { name: 'Run log' });
    const sent = Date.now();
    expect((await append([{ text: 'deploying to staging' }])).errors).toBeUndefined();
    await log.getByText('deploying to staging').waitFor();
    process.stdout.write(`runs: a log line reached the browser in ${Date.now() - sent} ms\n`);
    await page.getByText(`${(LINES + 1).toLocaleString('en-US')} lines`).waitFor();

    await graph.ok(USAGE, { ws: admin.workspaceId, run: runId }, agent.token);
    const figures = page.getByRole('definition').filter({ hasText: '$0.0384' });
    await figures.waitFor();

    await graph.ok(
      `mutation ($ws: ID!, $run: ID!) { noteRunProgress(workspaceId: $ws, runId: $run, note: "tests: 40/52 passing", percent: 77) { id } }`,
      { ws: admin.workspaceId, run: runId },
      agent.token,
    );
    const progress = page.getByRole('region', { name: 'Progress' });
    await progress.getByText('tests: 40/52 passing').waitFor();
    await progress.getByRole('progressbar', { name: '77 % done, by its agent' }).waitFor();
  });

  it('pauses following when scrolled up, and resumes on request', async () => {
    const { page } = session;
    const log = page.getByRole('log', { name: 'Run log' });
    await page.evaluate(`document.querySelector('[role="log"]').scrollTo({ top: 0 })`);
    await page.getByRole('button', { name: 'Follow' }).waitFor();
    await log.getByText('step 1: scanning sector 1', { exact: true }).waitFor();
    await append([{ text: 'while you were reading' }]);
    await page.getByText(`${(LINES + 2).toLocaleString('en-US')} lines`).waitFor();
    // Still where the reader left it.
    expect(await log.getByText('step 1: scanning sector 1', { exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: 'Follow' }).click();
    await log.getByText('while you were reading').waitFor();
    await page.getByRole('button', { name: 'Pause following' }).waitFor();
  });

  it('lets a person cancel the run; the agent’s next line is refused', async () => {
    const { page } = session;
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.getByRole('heading', { name: /Cancelled/ }).waitFor();
    await page.getByText('Cancelled from the web app.').waitFor();
    const late = await append([{ text: 'too late' }]);
    expect(late.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await session.shot('run-cancelled');
  });

  it('fits a phone', async () => {
    const { page } = session;
    await page.setViewportSize(PHONE);
    await page.reload();
    await page.getByRole('log', { name: 'Run log' }).waitFor();
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await session.shot('run-phone');
    await page.setViewportSize(DESKTOP);
    expect(violations).toEqual([]);
  });
});
