import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import {
  DESKTOP,
  logIn,
  openBrowser,
  overflowOf,
  PHONE,
  type BrowserSession,
} from '../support/browser';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld, PASSWORD } from '../support/identity-world';
import { SquadWorld } from '../support/squad-world';
import { startStack, workspaceRoot, type Stack } from '@mission-control/testing';

const TITLE = 'Land the lunar module';
const BOARD = `query ($ws: ID!) { board(workspaceId: $ws) { columns { column missions { id title } } } }`;
const HEARTBEAT = `mutation ($activity: String) { heartbeat(status: BUSY, activity: $activity) { status } }`;
const CLAIM = `mutation ($ws: ID!, $id: ID!) { claimMission(workspaceId: $ws, missionId: $id) { claimedBy } }`;
const MOVE = `mutation ($ws: ID!, $id: ID!, $column: BoardColumn!) {
  moveMission(workspaceId: $ws, missionId: $id, column: $column) { column }
}`;
const COMMENT = `mutation ($ws: ID!, $id: ID!, $body: String!) {
  addComment(workspaceId: $ws, missionId: $id, body: $body) { id }
}`;

/** Polls until `probe` holds (for what arrives through the event stream), then returns. */
async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) {
      throw new Error(`never happened: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const column = (page: Page, name: string) => page.getByRole('region', { name });

describe('a squad at work, seen in the browser', () => {
  let stack: Stack;
  let session: BrowserSession;
  let graph: GraphClient;

  beforeAll(async () => {
    stack = await startStack({ web: true });
    graph = new GraphClient(stack.gatewayUrl);
    session = await openBrowser(stack.webUrl!);
  });
  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  it('signs up, runs an agent on a mission, and watches the board, comments, search and chart follow', async () => {
    const { page } = session;
    const shot = (name: string) => session.shot(name);
    // Live means pushed: no navigation (not even client-side) between a change and seeing it.
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) {
        navigations += 1;
      }
    });

    // A person signs up and creates a workspace.
    await page.goto('/signup');
    await shot('sign-up');
    await page.getByLabel('Name').fill('Grace Hopper');
    await page.getByLabel('Email').fill(`grace-${randomUUID().slice(0, 8)}@example.com`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByLabel('Workspace name').fill('Apollo');
    await shot('create-workspace');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.waitForURL(/\/w\/[^/]+\/board/);
    const workspaceId = /\/w\/([^/]+)\/board/.exec(page.url())![1]!;
    await page.getByText('No missions yet', { exact: false }).first().waitFor();
    await shot('board-empty');

    // They register an agent, activate it and issue its key.
    await page.getByRole('link', { name: 'Agents' }).click();
    await page.getByLabel('Name').fill('Scout');
    await page.getByLabel('Role').fill('specialist');
    await page.getByRole('button', { name: 'Register agent' }).click();
    const row = page.getByRole('row', { name: /Scout/ });
    await row.getByRole('button', { name: 'Activate' }).click();
    await row.getByText('Idle', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Issue key' }).click();
    const key = (await page.getByText(/^mca_[a-z0-9]+_[A-Za-z0-9_-]+$/).textContent())!.trim();

    // Beside the key, how to connect the agent, the key filled in: Claude Code's command works.
    const connect = page.getByRole('tablist', { name: 'Connect it' });
    await connect.getByRole('tab', { name: 'Claude Code', selected: true }).waitFor();
    const claudeSetup = (await page.getByLabel('Claude Code setup').textContent())!;
    const [, mcpUrl, header] = /--transport http \S+ (\S+) \\\n\s+--header '([^']+)'/.exec(
      claudeSetup,
    )!;
    expect(header).toBe(`Authorization: Bearer ${key}`);
    const initialized = await fetch(mcpUrl!, {
      method: 'POST',
      headers: {
        authorization: header!.slice('Authorization: '.length),
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'squad-journey', version: '1' },
        },
      }),
    });
    expect(initialized.status).toBe(200);
    expect(await initialized.text()).toContain('"serverInfo"');
    await connect.getByRole('tab', { name: 'Claude Code' }).press('ArrowRight');
    await connect.getByRole('tab', { name: 'Codex', selected: true }).waitFor();
    expect(await page.getByLabel('Codex setup').textContent()).toContain(`url = "${mcpUrl}"`);
    await shot('agent-key-connect');

    // The agent, elsewhere, signs in with its key and heartbeats: the roster follows live.
    const agentToken = await new SquadWorld(graph).agentToken(key);
    const asAgent = <T>(query: string, variables: Record<string, unknown> = {}) =>
      graph.ok<T>(query, variables, agentToken);
    await asAgent(HEARTBEAT, { activity: 'Surveying the landing site' });
    await row.getByText('Busy', { exact: true }).waitFor();
    await row.getByText('Surveying the landing site').waitFor();
    await shot('agents-live');

    // A mission is created on the board and assigned to Scout.
    await page.getByRole('link', { name: 'Board' }).click();
    await page.getByRole('button', { name: 'New mission' }).click();
    const newMission = page.getByRole('dialog', { name: 'New mission' });
    await newMission.getByLabel('Title').fill(TITLE);
    await newMission
      .getByLabel('Description')
      .fill('Collect regolith samples near the crater rim.');
    await newMission.getByRole('button', { name: 'Create mission' }).click();
    await column(page, 'Backlog').getByText(TITLE).waitFor();
    const { board } = await asAgent<{
      board: { columns: { missions: { id: string; title: string }[] }[] };
    }>(BOARD, { ws: workspaceId });
    const missionId = board.columns.flatMap((c) => c.missions).find((m) => m.title === TITLE)!.id;
    await page.getByRole('link', { name: TITLE }).click();
    // The board's own Assignee filter is on screen until the mission page replaces it.
    await page.getByRole('heading', { name: TITLE }).waitFor();
    await page.getByLabel('Assignee').selectOption({ label: 'Scout' });
    await page.getByText(/assigned it to Scout/).waitFor();
    await page.getByRole('link', { name: 'Board' }).click();
    // The board shows what happened while it was closed: the card names its agent.
    await column(page, 'Backlog')
      .getByRole('listitem', { name: TITLE })
      .getByText('Scout')
      .waitFor();
    const onBoard = navigations;

    // The agent claims the mission and starts it: the open board moves the card by itself.
    await asAgent(CLAIM, { ws: workspaceId, id: missionId });
    await asAgent(MOVE, { ws: workspaceId, id: missionId, column: 'IN_PROGRESS' });
    await column(page, 'In progress').getByText(TITLE).waitFor();
    expect(await column(page, 'Backlog').getByText(TITLE).count()).toBe(0);
    expect(navigations).toBe(onBoard);
    await shot('board-live');

    // Its comment appears on the open mission page.
    await page.getByRole('link', { name: TITLE }).click();
    await page.getByRole('heading', { name: TITLE }).waitFor();
    const onMission = navigations;
    await asAgent(COMMENT, {
      ws: workspaceId,
      id: missionId,
      body: 'Touchdown confirmed; collecting regolith now.',
    });
    await page.getByText('Touchdown confirmed; collecting regolith now.').waitFor();
    expect(navigations).toBe(onMission);
    await shot('mission-live');

    // Search finds the mission by a word of its description, highlighted.
    await page.getByRole('searchbox', { name: 'Search' }).fill('regolith');
    await page.getByRole('searchbox', { name: 'Search' }).press('Enter');
    await eventually('search highlights regolith', async () => {
      const marks = await page.locator('mark', { hasText: /regolith/i }).count();
      if (marks === 0) {
        await page.getByRole('button', { name: 'Search' }).click();
      }
      return marks > 0;
    });
    await page.getByRole('link', { name: TITLE }).first().waitFor();
    await shot('search');

    // The agent finishes: the chart counts one mission done today.
    await asAgent(MOVE, { ws: workspaceId, id: missionId, column: 'DONE' });
    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('heading', { name: 'Missions done per day' }).waitFor();
    const today = new Date().toISOString().slice(0, 10);
    await eventually('the chart shows the mission done today', async () => {
      const cell = page
        .getByRole('row', { name: new RegExp(today) })
        .getByRole('cell')
        .last();
      const done = (await cell.count()) > 0 ? await cell.textContent() : null;
      if (done?.trim() === '1') {
        return true;
      }
      await page.reload();
      return false;
    });
    await shot('analytics');
  });
  it('connects a Claude Code agent through the runner, and watches it do a mission: log, cost, finish', async () => {
    const { page } = session;
    const shot = (name: string) => session.shot(name);
    const admin = await new IdentityWorld(graph).workspace('Artemis');
    await logIn(page, admin.email, `/w/${admin.workspaceId}/agents`);

    // A person registers an agent and issues its key: the Runner tab has its setup, key filled in.
    await page.getByLabel('Name').fill('Coder');
    await page.getByLabel('Role').fill('engineer');
    await page.getByRole('button', { name: 'Register agent' }).click();
    const row = page.getByRole('row', { name: /Coder/ });
    await row.getByRole('button', { name: 'Activate' }).click();
    await row.getByText('Idle', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Issue key' }).click();
    const connect = page.getByRole('tablist', { name: 'Connect it' });
    await connect.getByRole('tab', { name: 'Runner' }).click();
    const setup = (await page.getByLabel('Runner setup').textContent())!;
    await shot('runner-setup');
    // On a phone the setup scrolls inside its box; the page does not widen.
    await page.setViewportSize(PHONE);
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await shot('runner-setup-phone');
    await page.setViewportSize(DESKTOP);

    // On the agent's host: runner.yaml as shown, the key exported, `mc runner` started, with
    // a Claude Code that prints its documented stream-json (clients/runner/test/fixtures).
    const [yaml, shell] = setup.split('\n\n');
    const key = /^export MC_AGENT_KEY='([^']+)'$/m.exec(shell!)![1]!;
    expect(shell).toMatch(/^npx mc runner --config runner\.yaml$/m);
    const host = mkdtempSync(path.join(tmpdir(), 'runner-journey-'));
    writeFileSync(path.join(host, 'runner.yaml'), `${yaml}\nworkRoot: ${host}/runs\n`);
    const fakes = path.join(workspaceRoot, 'clients/runner/test/fixtures/bin');
    const runner = spawn(
      process.execPath,
      [path.join(workspaceRoot, 'clients/cli/bin/mc.js'), 'runner', '--config', 'runner.yaml'],
      {
        cwd: host,
        env: {
          ...process.env,
          MC_AGENT_KEY: key,
          PATH: `${fakes}${path.delimiter}${process.env.PATH ?? ''}`,
          FAKE_DELAY_MS: '1000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const said: string[] = [];
    runner.stdout.on('data', (chunk: Buffer) => said.push(chunk.toString()));
    runner.stderr.on('data', (chunk: Buffer) => said.push(chunk.toString()));
    const ended = new Promise<number | null>((resolve) => runner.on('exit', resolve));
    try {
      // The board: a mission goes to To do, the runner takes it, runs Claude Code, finishes it.
      const missionTitle = 'Fix the flaky login test';
      await page.goto(`/w/${admin.workspaceId}/board`);
      await graph.ok(
        `mutation ($ws: ID!, $title: String!) {
          createMission(workspaceId: $ws, input: { title: $title, description: "It fails one run in ten.", column: TODO }) { id }
        }`,
        { ws: admin.workspaceId, title: missionTitle },
        admin.workspaceToken,
      );
      // The card says who runs it, live, and leads to the run.
      const running = page
        .getByRole('listitem', { name: missionTitle })
        .getByRole('link', { name: 'Running, by Coder' });
      await running.waitFor({ timeout: 60_000 }).catch((error: unknown) => {
        throw new Error(`${String(error)}\nthe runner said:\n${said.join('')}`);
      });
      await shot('runner-board');
      await running.click();
      await page.getByRole('heading', { name: /Run by Coder/ }).waitFor();
      // Its log streams in as Claude Code prints it; its cost is Claude Code's own figure.
      await page.getByText("I'll start by looking at the project layout.").waitFor();
      await page.getByText('Succeeded', { exact: true }).first().waitFor({ timeout: 60_000 });
      await page
        .getByText(/\$\d+\.\d{2}/)
        .first()
        .waitFor();
      await shot('runner-run');
      await page.goto(`/w/${admin.workspaceId}/board`);
      await column(page, 'Review').getByText(missionTitle).waitFor();
    } finally {
      runner.kill('SIGTERM');
    }
    // The runner stops cleanly on SIGTERM.
    expect(await ended).toBe(0);
  });
});
