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

  it('with --demo, a simulated squad works the board while a person watches', async () => {
    await session?.close();
    await instance?.stop();
    instance = await startStandalone(freshDataDir(), { args: ['--demo'] });
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

    // Costs from Postgres too: the demo's agents report no usage, but their claims are timed.
    await page.getByRole('link', { name: 'Costs' }).click();
    await page
      .getByRole('region', { name: 'Cost per agent' })
      .getByRole('row', { name: /Atlas|Nova|Pixel|Sentinel/ })
      .first()
      .waitFor();
    await session.shot('standalone-demo-costs');
  });
});
