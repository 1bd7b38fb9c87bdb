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

const SPAWN = `mutation ($name: String!, $ttl: Int!) {
  spawnSubAgent(input: { name: $name, ttlSeconds: $ttl }) { agent { id } }
}`;

describe('the roster as a tree: sub-agents under their parents (PRODUCT A4)', () => {
  let stack: Stack;
  let graph: GraphClient;
  let admin: Member;
  let lead: AgentWithToken;
  let childId = '';
  let session: BrowserSession;
  let violations: string[];

  beforeAll(async () => {
    stack = await startStack({ web: true });
    graph = new GraphClient(stack.gatewayUrl);
    admin = await new IdentityWorld(graph).workspace('Saturn');
    const squad = new SquadWorld(graph);
    lead = await squad.activeAgent(admin, 'Titan');
    await squad.activeAgent(admin, 'Rhea');
    const spawn = async (name: string, ttl: number) =>
      (
        await graph.ok<{ spawnSubAgent: { agent: { id: string } } }>(
          SPAWN,
          { name, ttl },
          lead.token,
        )
      ).spawnSubAgent.agent.id;
    childId = await spawn('Titan: tests', 1_800);
    await spawn('Titan: docs', 300);
    session = await openBrowser(stack.webUrl!);
    violations = await watchPolicyViolations(session.context);
  }, 240_000);
  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  /** The roster's rows as "<depth> <name>", top to bottom. */
  const nameOrder = async () => {
    const rows: string[] = [];
    for (const row of await session.page.locator('tbody tr[data-agent-depth]').all()) {
      const depth = await row.getAttribute('data-agent-depth');
      rows.push(`${depth} ${await row.locator('th a').innerText()}`);
    }
    return rows;
  };

  it('shows each sub-agent indented under its parent, with its badge and time left; collapsible', async () => {
    const { page } = session;
    await logIn(page, admin.email, `/w/${admin.workspaceId}/agents`);
    await page.getByRole('link', { name: 'Titan: tests' }).waitFor();
    expect(await nameOrder()).toEqual(['0 Rhea', '0 Titan', '1 Titan: docs', '1 Titan: tests']);
    const child = page
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: 'Titan: tests' }) });
    await child.getByText('sub-agent', { exact: true }).waitFor();
    expect(await child.getByText(/^expires in (29|30) min$/).count()).toBe(1);
    // A sub-agent keeps the key it was spawned with: no "Issue key" for it.
    expect(await child.getByRole('button', { name: /Issue key/ }).count()).toBe(0);
    const parent = page
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: 'Titan', exact: true }) });
    expect(await parent.innerText()).toContain('2 sub-agents');
    await session.shot('sub-agents-desktop');

    const toggle = parent.getByRole('button', { name: 'Hide the sub-agents of Titan' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await toggle.click();
    expect(await nameOrder()).toEqual(['0 Rhea', '0 Titan']);
    await parent.getByRole('button', { name: 'Show the sub-agents of Titan' }).click();
    await page.getByRole('link', { name: 'Titan: tests' }).waitFor();
  });

  it('links a sub-agent’s page to its parent, and the parent’s to its sub-agents', async () => {
    const { page } = session;
    await page.getByRole('link', { name: 'Titan: tests' }).click();
    await page.waitForURL(`**/w/${admin.workspaceId}/agents/${childId}`);
    const parentFact = page.getByRole('definition').filter({ hasText: 'expires in' });
    await parentFact.getByRole('link', { name: 'Titan' }).click();
    await page.waitForURL(`**/w/${admin.workspaceId}/agents/${lead.id}`);
    const children = page.getByRole('definition').filter({ has: page.getByRole('list') });
    await children.getByRole('link', { name: 'Titan: docs' }).waitFor();
    await children.getByRole('link', { name: 'Titan: tests' }).waitFor();
    await session.shot('sub-agents-parent-page');
  });

  it('fits a phone', async () => {
    const { page } = session;
    await page.setViewportSize(PHONE);
    await page.goto(`/w/${admin.workspaceId}/agents`);
    await page.getByRole('link', { name: 'Titan: tests' }).waitFor();
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await session.shot('sub-agents-phone');
    await page.setViewportSize(DESKTOP);
    expect(violations).toEqual([]);
  });
});
