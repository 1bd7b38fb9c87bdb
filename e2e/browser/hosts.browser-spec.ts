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

const GIB = 1_073_741_824;

const REPORT = `mutation ($ws: ID!, $input: ReportHostInput!) { reportHost(workspaceId: $ws, input: $input) { id } }`;
const SAMPLE = `mutation ($ws: ID!, $host: ID!, $input: HostSampleInput!) {
  reportHostSample(workspaceId: $ws, hostId: $host, input: $input) { status }
}`;
const USAGE = `query ($ws: ID!, $host: ID!, $from: DateTime!, $to: DateTime!) {
  hostUsage(workspaceId: $ws, hostId: $host, from: $from, to: $to, interval: MINUTE) { samples }
}`;
const CREATE_WORKSPACE = `mutation ($name: String!) { createWorkspace(name: $name) { id } }`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the Hosts pages: where agents run, with CPU, memory and disk over time', () => {
  let stack: Stack;
  let graph: GraphClient;
  let admin: Member;
  let io: AgentWithToken;
  let europa: AgentWithToken;
  let gpuBox = '';
  let session: BrowserSession;
  let violations: string[];

  beforeAll(async () => {
    stack = await startStack({ web: true });
    graph = new GraphClient(stack.gatewayUrl);
    admin = await new IdentityWorld(graph).workspace('Jupiter');
    const squad = new SquadWorld(graph);
    io = await squad.activeAgent(admin, 'Io');
    europa = await squad.activeAgent(admin, 'Europa');
    const ws = admin.workspaceId;
    // As a runner does at start, with one of its agents' tokens.
    const { reportHost } = await graph.ok<{ reportHost: { id: string } }>(
      REPORT,
      {
        ws,
        input: {
          hostKey: 'runner-gpu-box-01',
          hostname: 'gpu-box-01',
          kind: 'SERVER',
          os: 'linux 6.8.0',
          arch: 'x64',
          cpuCount: 16,
          memoryBytes: 64 * GIB,
          runnerVersion: '0.1.0',
        },
      },
      io.token,
    );
    gpuBox = reportHost.id;
    await graph.ok(
      REPORT,
      {
        ws,
        input: {
          hostKey: 'runner-ci-7',
          hostname: 'ci-runner-7',
          kind: 'CONTAINER',
          os: 'linux 6.1.0',
          arch: 'arm64',
          cpuCount: 4,
          memoryBytes: 8 * GIB,
          runnerVersion: '0.1.0',
          containerStatus: 'running',
        },
      },
      europa.token,
    );
    // Samples in two minutes' buckets at least (so each chart has a line), as a runner sends them
    // (faster here). The server stamps a sample between the request and its answer: the first is
    // stamped at most in `firstMinute`; one sent after that minute, later.
    const minuteOf = (ms: number) => Math.floor(ms / 60_000);
    let firstMinute: number | undefined;
    let index = 0;
    for (;;) {
      const sentAt = Date.now();
      await graph.ok(
        SAMPLE,
        {
          ws,
          host: gpuBox,
          input: {
            cpuPercent: 20 + ((index * 17) % 60),
            memoryUsedBytes: (20 + (index % 5)) * GIB,
            diskUsedBytes: (300 + index) * GIB,
            diskTotalBytes: 1_000 * GIB,
          },
        },
        io.token,
      );
      firstMinute ??= minuteOf(Date.now());
      index += 1;
      if (index >= 3 && minuteOf(sentAt) > firstMinute) {
        break;
      }
      await sleep(7_000);
    }
    // Analytics learns of samples from the agent service's events.
    await until(async () => {
      const { hostUsage } = await graph.ok<{ hostUsage: { samples: number }[] }>(
        USAGE,
        {
          ws,
          host: gpuBox,
          from: new Date(Date.now() - 600_000).toISOString(),
          to: new Date(Date.now() + 60_000).toISOString(),
        },
        admin.workspaceToken,
      );
      return hostUsage.reduce((sum, bucket) => sum + bucket.samples, 0) === index;
    }, 'every sample projected into analytics');
    session = await openBrowser(stack.webUrl!);
    violations = await watchPolicyViolations(session.context);
  }, 240_000);
  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  it('lists each host with its status, figures and agents, linked next to Agents', async () => {
    const { page } = session;
    await logIn(page, admin.email, `/w/${admin.workspaceId}/agents`);
    const nav = page.getByRole('navigation', { name: 'Workspace' });
    await page.getByRole('heading', { name: 'Agents', level: 1 }).waitFor();
    const labels = await nav.getByRole('link').allTextContents();
    expect(labels.slice(labels.indexOf('Agents'), labels.indexOf('Agents') + 2)).toEqual([
      'Agents',
      'Hosts',
    ]);
    await nav.getByRole('link', { name: 'Hosts' }).click();
    await page.waitForURL(`**/w/${admin.workspaceId}/hosts`);
    await page.getByRole('heading', { name: 'Hosts', level: 1 }).waitFor();

    const gpu = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'gpu-box-01' }) });
    const ci = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'ci-runner-7' }) });
    await gpu.waitFor();
    expect(await gpu.getByText('Online').count()).toBe(1);
    expect(await gpu.innerText()).toMatch(/Server · linux 6\.8\.0 x64 · 16 CPUs · 64 GiB memory/);
    expect(await gpu.innerText()).toMatch(/\d+ GiB of 64 GiB/);
    expect(await gpu.getByRole('link', { name: 'Io', exact: true }).getAttribute('href')).toBe(
      `/w/${admin.workspaceId}/agents/${io.id}`,
    );
    // Reported, never sampled: offline.
    expect(await ci.getByText('Offline').count()).toBe(1);
    expect(await ci.innerText()).toMatch(/Container · running · linux 6\.1\.0 arm64 · 4 CPUs/);
    expect(await ci.getByText('None yet').count()).toBe(1);
    await ci.getByRole('link', { name: 'Europa' }).waitFor();
    await page.getByText('1 of 2 online').waitFor();
    await session.shot('hosts-desktop');
  });

  it('follows samples live, without a reload', async () => {
    const { page } = session;
    // A mark on this page's window: a reload would take it away.
    await page.evaluate('window.hostsMark = 7');
    await graph.ok(
      SAMPLE,
      {
        ws: admin.workspaceId,
        host: gpuBox,
        input: {
          cpuPercent: 91,
          memoryUsedBytes: 48 * GIB,
          diskUsedBytes: 400 * GIB,
          diskTotalBytes: 1_000 * GIB,
        },
      },
      io.token,
    );
    const gpu = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'gpu-box-01' }) });
    await gpu.getByText('91%').waitFor();
    await gpu.getByText('48 GiB of 64 GiB').waitFor();
    expect(await page.evaluate<number>('window.hostsMark')).toBe(7);
  });

  it('charts a host’s CPU, memory and disk over the range picked', async () => {
    const { page } = session;
    await page.getByRole('link', { name: 'gpu-box-01' }).click();
    await page.waitForURL(`**/w/${admin.workspaceId}/hosts/${gpuBox}`);
    await page.getByRole('heading', { name: /gpu-box-01/, level: 1 }).waitFor();
    const usage = page.getByRole('region', { name: /Usage over the last 1 hour/ });
    for (const chart of ['cpu', 'memory', 'disk']) {
      // Two buckets at least: a line, drawn.
      await usage.locator(`[data-chart="${chart}"] .recharts-line-curve`).first().waitFor();
    }
    const cpuRows = usage.getByRole('figure', { name: 'CPU' }).locator('tbody tr');
    expect(await cpuRows.count()).toBeGreaterThanOrEqual(2);
    await page.getByRole('link', { name: 'Io', exact: true }).waitFor();
    await session.shot('host-desktop');

    await page.getByRole('radio', { name: '6h' }).check();
    const sixHours = page.getByRole('region', { name: /Usage over the last 6 hours/ });
    // Five-minute buckets now: the samples of those two minutes in one or two of them.
    await sixHours
      .getByRole('figure', { name: 'Memory' })
      .locator('tbody tr')
      .first()
      .waitFor({ state: 'attached' });
    expect(
      await sixHours.getByRole('figure', { name: 'CPU' }).locator('tbody tr').count(),
    ).toBeLessThanOrEqual(2);
  });

  it('shows on an agent’s page the host it runs on, as a link', async () => {
    const { page } = session;
    await page.goto(`/w/${admin.workspaceId}/agents/${io.id}`);
    const facts = page.getByRole('definition').filter({ hasText: 'gpu-box-01' });
    await facts.waitFor();
    expect(await facts.innerText()).toContain('online');
    await facts.getByRole('link', { name: 'gpu-box-01' }).click();
    await page.waitForURL(`**/w/${admin.workspaceId}/hosts/${gpuBox}`);
    await page.getByRole('heading', { name: /gpu-box-01/, level: 1 }).waitFor();
  });

  it('fits a phone', async () => {
    const { page } = session;
    await page.setViewportSize(PHONE);
    await page.goto(`/w/${admin.workspaceId}/hosts`);
    await page.getByRole('heading', { name: 'gpu-box-01' }).waitFor();
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await session.shot('hosts-phone');
    await page.goto(`/w/${admin.workspaceId}/hosts/${gpuBox}`);
    await page.locator('[data-chart="cpu"] .recharts-line-curve').first().waitFor();
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await session.shot('host-phone');
    await page.setViewportSize(DESKTOP);
  });

  it('tells how to start a runner when there is no host', async () => {
    const { page } = session;
    const { createWorkspace } = await graph.ok<{ createWorkspace: { id: string } }>(
      CREATE_WORKSPACE,
      { name: 'Quiet moon' },
      admin.token,
    );
    await page.goto(`/w/${createWorkspace.id}/hosts`);
    await page.getByText('No hosts yet.').waitFor();
    await page.getByText('npx mc runner').waitFor();
    await session.shot('hosts-empty');
    expect(violations).toEqual([]);
  });
});
