import { existsSync } from 'node:fs';
import path from 'node:path';
import { openBrowser, type BrowserSession } from '../support/browser';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld, PASSWORD } from '../support/identity-world';
import { SquadWorld } from '../support/squad-world';
import {
  freshDataDir,
  startStandalone,
  type StandaloneProcess,
} from '../support/standalone-process';

const TITLE = 'Calibrate the star tracker';
const BUDGET = 'Nova’s daily budget';

type DemoRun = {
  id: string;
  agentId: string;
  adapter: string;
  status: string;
  billing: string;
  logLines: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  costEstimated: boolean;
  budgetId: string | null;
  summary: string;
  progressNote: string;
  progressPercent: number | null;
  startedAt: string;
  finishedAt: string | null;
};
type DemoLook = {
  runs: { nodes: DemoRun[] };
  budgets: { id: string; name: string; agentId: string | null; standing: string }[];
  agents: { id: string; name: string; status: string; activity: string | null }[];
};

const DEMO_LOOK = `query ($ws: ID!) {
  runs(workspaceId: $ws, first: 50) { nodes {
    id agentId adapter status billing logLines inputTokens outputTokens costUsd costEstimated
    budgetId summary progressNote progressPercent startedAt finishedAt
  } }
  budgets(workspaceId: $ws) { id name agentId standing }
  agents(workspaceId: $ws) { id name status activity }
}`;

/** Looks again every second until `found` returns something; what was last seen if it never does. */
async function lookUntil<T>(
  what: string,
  look: () => Promise<DemoLook>,
  found: (seen: DemoLook) => T | undefined,
  timeoutMs = 180_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await look();
    const result = found(seen);
    if (result !== undefined) {
      return result;
    }
    if (Date.now() > deadline) {
      throw new Error(`never saw ${what}; last seen: ${JSON.stringify(seen).slice(0, 4_000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/**
 * `npm start` with nothing but Node and this repository: embedded Postgres, every service in one
 * process, the web app and the graph on one port. What a person does survives a restart.
 */
describe('standalone mode, seen in the browser', () => {
  const dataDir = freshDataDir();
  let instance: StandaloneProcess | undefined;
  let session: BrowserSession | undefined;

  afterAll(async () => {
    await session?.close();
    await instance?.stop();
  });

  it('starts from an empty data folder, shows a mission made through the graph, and keeps it across a restart', async () => {
    instance = await startStandalone(dataDir);
    const port = new URL(instance.url).port;
    expect(instance.output.join('')).toMatch(/Postgres started/);
    expect(instance.output.join('')).toMatch(/migrations ✓ mission/);

    // Through the graph on the app's own port, as an integrator would.
    const graph = new GraphClient(instance.url);
    const world = new IdentityWorld(graph);
    const admin = await world.workspace('Standalone');
    await new SquadWorld(graph).mission(admin, TITLE, 'Align it with Polaris before launch.');

    // The web app's hardening holds behind the front door too, with the graph on the same origin.
    for (const page of ['/login', `/w/${admin.workspaceId}/board`, '/no-such-page']) {
      const { headers } = await fetch(new URL(page, instance.url));
      expect({
        page,
        scripts: /script-src 'self' 'nonce-[^']+' 'strict-dynamic';/.test(
          headers.get('content-security-policy') ?? '',
        ),
        connect: /connect-src 'self';/.test(headers.get('content-security-policy') ?? ''),
        nosniff: headers.get('x-content-type-options'),
      }).toEqual({ page, scripts: true, connect: true, nosniff: 'nosniff' });
    }

    // A person logs in and finds it on the board.
    session = await openBrowser(instance.url);
    const { page } = session;
    await page.goto(`/login?next=/w/${admin.workspaceId}/board`);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/w\/[^/]+\/board/);
    await page.getByRole('region', { name: 'To do' }).getByText(TITLE).waitFor();
    await session.shot('standalone-board');

    // Stopped, it stops its Postgres too; started again on the same folder, it has everything.
    expect(await instance.stop()).toBe(0);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    instance = await startStandalone(dataDir, { port: Number(port) });
    expect(instance.output.join('')).not.toMatch(/creating the database cluster/);
    expect(instance.output.join('')).toMatch(/Up to date/);

    // The browser's session outlives the restart too: same signing key, same database.
    await page.reload();
    await page.getByRole('region', { name: 'To do' }).getByText(TITLE).waitFor();

    // A token from the previous run is refused: the in-process bus starts empty, so this run cannot
    // know what was revoked before it. An integrator gets a new one, as after any UNAUTHENTICATED.
    const before = await graph.request(
      'query ($id: ID!) { workspace(id: $id) { id } }',
      { id: admin.workspaceId },
      admin.workspaceToken,
    );
    expect(before.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const again = await world.logIn(admin);

    // Live push reaches the open board through the same port, with no navigation.
    let navigations = 0;
    page.on('framenavigated', () => (navigations += 1));
    await new SquadWorld(graph).mission(again, 'Vent the oxidiser tank');
    await page.getByRole('region', { name: 'To do' }).getByText('Vent the oxidiser tank').waitFor();
    expect(navigations).toBe(0);
    await session.shot('standalone-board-after-restart');
  });

  it('after a crash (SIGKILL), the next start stops the Postgres it left and has everything', async () => {
    const port = Number(new URL(instance!.url).port);
    const exited = new Promise((resolve) => instance!.child.once('exit', resolve));
    instance!.child.kill('SIGKILL');
    await exited;
    instance = await startStandalone(dataDir, { port });
    expect(instance.output.join('')).toMatch(/stopping the Postgres an earlier run left running/);

    await session!.page.reload();
    await session!.page.getByRole('region', { name: 'To do' }).getByText(TITLE).waitFor();
  });

  it('with --demo, a squad on the in-process runner works the board and runs its missions with a scripted model until a budget stops Nova, while a person watches', async () => {
    await session?.close();
    await instance?.stop();
    // A pace of 0.5 s: eight times the default, so Nova's daily budget is spent within a minute.
    instance = await startStandalone(freshDataDir(), {
      args: ['--demo'],
      env: { MC_DEMO_PACE_MS: '500' },
    });
    const [, email, password] =
      /log in as (\S+) with password (\S+)/.exec(instance.output.join('')) ?? [];
    expect(email).toBeDefined();

    session = await openBrowser(instance.url);
    const { page } = session;
    await page.goto('/login');
    await page.getByLabel('Email').fill(email!);
    await page.getByLabel('Password').fill(password!);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Demo squad' }).click();
    await page.waitForURL(/\/w\/[^/]+\/board/);
    await page.getByRole('region', { name: 'To do' }).getByRole('listitem').first().waitFor();

    // Agents pick work up and move it on by themselves: the open board follows, unprompted.
    let navigations = 0;
    page.on('framenavigated', () => (navigations += 1));
    await page
      .getByRole('region', { name: 'In progress' })
      .getByRole('listitem')
      .first()
      .waitFor({ timeout: 90_000 });
    expect(navigations).toBe(0);
    await session.shot('standalone-demo-board');

    // Through the graph as the demo user: the agents run what they work on, with logs, tokens and
    // cost, until Nova's daily budget cancels its run mid-way.
    const workspaceId = /\/w\/([^/]+)\/board/.exec(page.url())![1]!;
    const graph = new GraphClient(instance.url);
    const demoToken = async () => {
      const { logIn } = await graph.ok<{ logIn: { accessToken: string } }>(
        'mutation ($e: String!, $p: String!) { logIn(email: $e, password: $p) { accessToken } }',
        { e: email, p: password },
      );
      const { switchWorkspace } = await graph.ok<{ switchWorkspace: { accessToken: string } }>(
        'mutation ($ws: String!) { switchWorkspace(workspaceId: $ws) { accessToken } }',
        { ws: workspaceId },
        logIn.accessToken,
      );
      return switchWorkspace.accessToken;
    };
    const look = async () => graph.ok<DemoLook>(DEMO_LOOK, { ws: workspaceId }, await demoToken());
    const logOf = async (runId: string) => {
      const { run } = await graph.ok<{
        run: { log: { lines: { stream: string; text: string }[] } };
      }>(
        'query ($ws: ID!, $id: ID!) { run(workspaceId: $ws, id: $id) { log(first: 200) { lines { stream text } } } }',
        { ws: workspaceId, id: runId },
        await demoToken(),
      );
      return run.log.lines;
    };
    const { budget, cancelled, nova } = await lookUntil(
      `a run of Nova cancelled by “${BUDGET}”`,
      look,
      (seen) => {
        const nova = seen.agents.find((agent) => agent.name === 'Nova');
        const budget = seen.budgets.find((candidate) => candidate.name === BUDGET);
        const cancelled = seen.runs.nodes.find(
          (run) => run.budgetId !== null && run.budgetId === budget?.id,
        );
        return nova && budget && cancelled ? { nova, budget, cancelled } : undefined;
      },
    );
    expect(budget.agentId).toBe(nova.id);
    expect(cancelled).toMatchObject({ agentId: nova.id, status: 'CANCELLED' });
    expect(cancelled.summary).toMatch(
      /^The budget “Nova’s daily budget” \(\$0\.15 per day\) is spent/,
    );
    expect(cancelled.costUsd).toBeGreaterThan(0);

    // Stopped, Nova's runner hands the mission back and idles: its claims are refused meanwhile.
    await lookUntil('Nova idle', look, (seen) =>
      seen.agents.find((agent) => agent.id === nova.id && agent.status === 'IDLE'),
    );
    // The others work on: runs of the runner's command adapter that succeeded, with a log,
    // progress, tokens, cost and the model's summary; Pixel is on a subscription, so its costs are
    // estimates at list price.
    const pixel = (await look()).agents.find((agent) => agent.name === 'Pixel')!;
    const runs = await lookUntil('a run of Pixel that succeeded', look, (seen) =>
      seen.runs.nodes.some((run) => run.agentId === pixel.id && run.status === 'SUCCEEDED')
        ? seen.runs.nodes
        : undefined,
    );
    const succeeded = runs.filter((run) => run.status === 'SUCCEEDED');
    const lines: { stream: string; text: string }[] = [];
    for (const run of succeeded) {
      expect(run).toMatchObject({ adapter: 'command', progressNote: 'Done', progressPercent: 100 });
      expect(run.summary).toMatch(/^Finished “/);
      expect(run.logLines).toBeGreaterThan(0);
      expect(run.inputTokens + run.outputTokens).toBeGreaterThan(0);
      expect(run.costUsd).toBeGreaterThan(0);
      const log = await logOf(run.id);
      expect(log).toHaveLength(Math.min(run.logLines, 200));
      lines.push(...log);
    }
    expect(lines.some((line) => line.text.includes('\x1b['))).toBe(true);
    expect(lines.some((line) => line.stream === 'STDERR')).toBe(true);
    // The runner's first line: the scripted model, given the mission file in the run's folder.
    expect(lines).toContainEqual({
      stream: 'SYSTEM',
      text: expect.stringMatching(/bin\/demo-model \S+\/MISSION\.md < <prompt>/) as string,
    });
    // Markers are read, not logged.
    expect(lines.some((line) => line.text.startsWith('::mc:'))).toBe(false);
    const estimated = runs.filter((run) => run.agentId === pixel.id);
    for (const run of estimated) {
      expect(run).toMatchObject({ billing: 'SUBSCRIPTION', costEstimated: true });
    }

    // The person sees it: the stop on the budget, the cancelled run with its log and why.
    await page.goto(`/w/${workspaceId}/settings/budgets`);
    const budgetItem = page.getByRole('listitem', { name: BUDGET });
    await budgetItem.getByText(/Work stopped|Resumed past its limit/).waitFor();
    await budgetItem.getByText(/of \$0\.15 per day/).waitFor();
    await session.shot('standalone-demo-budget');
    await page.goto(`/w/${workspaceId}/runs/${cancelled.id}`);
    await page.getByRole('heading', { name: /Run by Nova/ }).waitFor();
    await page
      .getByText(/The budget “Nova’s daily budget” \(\$0\.15 per day\) is spent/)
      .first()
      .waitFor();
    await page.getByRole('log', { name: 'Run log' }).getByText(/\S/).first().waitFor();
    await session.shot('standalone-demo-run-stopped-by-budget');
    const pixelRun = estimated.find((run) => run.status === 'SUCCEEDED')!;
    await page.goto(`/w/${workspaceId}/runs/${pixelRun.id}`);
    await page.getByRole('heading', { name: /Run by Pixel/ }).waitFor();
    await page.getByText('Subscription (cost estimated)').waitFor();
    await session.shot('standalone-demo-run-estimated');

    // The demo user resumes the budget a while later, and Nova runs missions again.
    await page.goto(`/w/${workspaceId}/settings/budgets`);
    await budgetItem.getByText('Resumed past its limit').waitFor({ timeout: 120_000 });
    await lookUntil('a run of Nova after the stop', look, (seen) =>
      seen.runs.nodes.find(
        (run) =>
          run.agentId === nova.id &&
          run.id !== cancelled.id &&
          Date.parse(run.startedAt) > Date.parse(cancelled.finishedAt!),
      ),
    );
    await page.getByRole('link', { name: 'Board', exact: true }).click();
    await page.waitForURL(/\/board/);

    await page.getByRole('link', { name: 'Agents', exact: true }).click();
    for (const name of ['Atlas', 'Nova', 'Pixel', 'Sentinel']) {
      await page.getByRole('row', { name: new RegExp(name) }).waitFor();
    }
    await session.shot('standalone-demo-agents');

    // Search and analytics answer from Postgres here: full text with highlights, time buckets.
    await page.getByRole('searchbox', { name: 'Search' }).fill('signing');
    await page.getByRole('searchbox', { name: 'Search' }).press('Enter');
    await page
      .locator('mark', { hasText: /signing/i })
      .first()
      .waitFor();
    await session.shot('standalone-demo-search');
    await page.getByRole('link', { name: 'Analytics' }).click();
    await page
      .getByRole('table', { name: 'Utilisation per agent' })
      .getByRole('row', { name: /Atlas|Nova|Pixel|Sentinel/ })
      .first()
      .waitFor({ state: 'attached' });
    await session.shot('standalone-demo-analytics');

    // Costs from Postgres too: what the demo's agents reported, per agent.
    await page.getByRole('link', { name: 'Costs' }).click();
    await page
      .getByRole('region', { name: 'Cost per agent' })
      .getByRole('row', { name: /Atlas|Nova|Pixel|Sentinel/ })
      .first()
      .waitFor();
    await session.shot('standalone-demo-costs');
  });
});
