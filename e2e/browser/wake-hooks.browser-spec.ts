import { startStack, until, WakeReceiver, type Stack } from '@mission-control/testing';
import {
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

const ASSIGN = `mutation ($ws: ID!, $id: ID!, $agent: ID) {
  assignMission(workspaceId: $ws, missionId: $id, agentId: $agent) { id }
}`;

describe('an agent’s wake URL in the web app', () => {
  let stack: Stack;
  let graph: GraphClient;
  let admin: Member;
  let viewer: Member;
  let scout: AgentWithToken;
  let session: BrowserSession;
  let violations: string[];
  const receiver = new WakeReceiver(204);
  let wakeUrl = '';
  let secret = '';

  beforeAll(async () => {
    await receiver.start();
    stack = await startStack({ web: true });
    graph = new GraphClient(stack.gatewayUrl);
    const people = new IdentityWorld(graph);
    admin = await people.workspace('Neptune');
    viewer = await people.member(admin, 'VIEWER');
    scout = await new SquadWorld(graph).activeAgent(admin, 'Scout');
    wakeUrl = receiver.urlOf(scout.id);
    session = await openBrowser(stack.webUrl!);
    violations = await watchPolicyViolations(session.context);
  });
  afterAll(async () => {
    await session?.close();
    await stack?.stop();
    await receiver.close();
  });

  it('lets an admin set a wake URL, saying what is wrong with a bad one', async () => {
    const { page } = session;
    await logIn(page, admin.email, `/w/${admin.workspaceId}/agents/${scout.id}`);
    const panel = page.getByRole('region', { name: 'Wake URL' });
    await panel.getByText('No wake URL: the agent is woken only on its live connection.').waitFor();

    const field = panel.getByLabel('Wake URL', { exact: true });
    await field.fill('ftp://agents.example.com/wake');
    await field.press('Enter');
    await panel.getByText('The URL must start with https:// or http://.').waitFor();
    // The server's own check, in words: no spaces.
    await field.fill('https://agents.example.com/a b');
    await panel.getByRole('button', { name: 'Save wake URL' }).click();
    await panel.getByText('must not contain spaces or control characters').first().waitFor();

    await field.fill(wakeUrl);
    await panel.getByRole('button', { name: 'Save wake URL' }).click();
    const secretField = panel.getByLabel('Signing secret for Scout');
    await secretField.waitFor();
    secret = await secretField.inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await panel.getByText(/Verify them with this secret/).waitFor();
    // Focus lands on the secret, for keyboard and screen reader users.
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Signing secret');
    await panel.getByRole('button', { name: 'Copy' }).waitFor();
    await panel.getByText(wakeUrl).waitFor();
    await session.shot('wake-url-secret');
    receiver.trust(scout.id, secret);
  });

  it('shows the secret only once', async () => {
    const { page } = session;
    await page
      .getByRole('region', { name: 'Wake URL' })
      .getByRole('button', { name: 'Done' })
      .click();
    await page.reload();
    const panel = page.getByRole('region', { name: 'Wake URL' });
    await panel.getByText(wakeUrl).waitFor();
    expect(await page.content()).not.toContain(secret);
    await panel.getByText('None yet').waitFor();
  });

  it('wakes the agent when a mission is assigned to it, and shows the wake delivered', async () => {
    const { page } = session;
    const squad = new SquadWorld(graph);
    const mission = await squad.mission(admin, 'Survey Triton');
    const variables = { ws: admin.workspaceId, id: mission.id, agent: scout.id };
    await until(
      async () => !(await graph.request(ASSIGN, variables, admin.workspaceToken)).errors,
      'the mission assigned to Scout',
    );

    await until(
      () =>
        receiver.received.some((wake) => wake.verified && wake.body?.data.reason === 'assigned'),
      'a signed wake for the assignment at the receiver',
    );
    const panel = page.getByRole('region', { name: 'Wake URL' });
    await panel.getByTestId('wake-delivery-status').filter({ hasText: 'Delivered' }).waitFor();
    await panel.getByText(/Woken for a mission (assigned to it|in To do) \(HTTP 204\)/).waitFor();
    expect(receiver.received.every((wake) => wake.verified)).toBe(true);
    expect(new Set(receiver.received.map((wake) => wake.webhookId)).size).toBe(
      receiver.received.length,
    );
    await session.shot('wake-url-delivered');
  });

  it('shows a viewer how the last wake went, but neither the URL nor the controls', async () => {
    const { page } = session;
    await session.context.clearCookies();
    await logIn(page, viewer.email, `/w/${admin.workspaceId}/agents/${scout.id}`);
    const panel = page.getByRole('region', { name: 'Wake URL' });
    await panel.getByTestId('wake-delivery-status').filter({ hasText: 'Delivered' }).waitFor();
    await panel.getByText('Set (only those who manage agents see it)').waitFor();
    expect(await panel.getByText(wakeUrl).count()).toBe(0);
    expect(await panel.getByRole('button', { name: 'Remove wake URL' }).count()).toBe(0);
  });

  it('fits a phone, and the admin removes the URL from the keyboard', async () => {
    const { page } = session;
    await session.context.clearCookies();
    await page.setViewportSize(PHONE);
    await logIn(page, admin.email, `/w/${admin.workspaceId}/agents/${scout.id}`);
    const panel = page.getByRole('region', { name: 'Wake URL' });
    await panel.getByText(wakeUrl).waitFor();
    await session.shot('wake-url-phone');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);

    await panel.getByRole('button', { name: 'Remove wake URL' }).focus();
    await page.keyboard.press('Enter');
    // The question's confirm button has the focus.
    await page.keyboard.press('Enter');
    await panel.getByText('No wake URL: the agent is woken only on its live connection.').waitFor();
    expect(violations).toEqual([]);
  });
});
