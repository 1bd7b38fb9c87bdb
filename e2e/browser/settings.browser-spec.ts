import { randomUUID } from 'node:crypto';
import { logIn, openBrowser, type BrowserSession } from '../support/browser';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld, PASSWORD, type Member } from '../support/identity-world';
import { SquadWorld } from '../support/squad-world';
import { startStack, type Stack } from '@mission-control/testing';

const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1440, height: 900 };

/** Desktop and phone-width screenshots of what is on screen. */
async function shots(session: BrowserSession, name: string) {
  await session.shot(`${name}-desktop`);
  await session.page.setViewportSize(PHONE);
  await session.shot(`${name}-phone`);
  await session.page.setViewportSize(DESKTOP);
}

describe('the settings area, seen in the browser', () => {
  let stack: Stack;
  let world: IdentityWorld;
  let admin: Member;
  let adminTab: BrowserSession;
  let memberTab: BrowserSession;

  beforeAll(async () => {
    stack = await startStack({ web: true });
    world = new IdentityWorld(new GraphClient(stack.gatewayUrl));
    admin = await world.workspace('Gemini');
    adminTab = await openBrowser(stack.webUrl!);
    memberTab = await openBrowser(stack.webUrl!);
    await logIn(adminTab.page, admin.email, `/w/${admin.workspaceId}/settings`);
    await adminTab.page.getByRole('heading', { name: 'Settings' }).waitFor();
  });
  afterAll(async () => {
    await adminTab?.close();
    await memberTab?.close();
    await stack?.stop();
  });

  it('renames the workspace, and the header and switcher follow', async () => {
    const { page } = adminTab;
    await page.getByLabel('Workspace name').fill('Gemini Program');
    await page.getByRole('button', { name: 'Rename workspace' }).click();
    await page.getByText('Renamed to Gemini Program.').waitFor();
    await page.getByText('Gemini Program', { exact: true }).first().waitFor();
    await shots(adminTab, 'settings-workspace');
    // The switcher lists the workspaces of the person, and opens from the keyboard.
    await page.getByLabel(/Switch workspace/).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: /Gemini Program.*Admin/ }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('sends the work of an agent that stops answering to Blocked once an admin chooses so', async () => {
    const { page } = adminTab;
    const section = page.getByRole('region', { name: 'When an agent stops answering' });
    await section.getByRole('radio', { name: /Back to To do/ }).waitFor();
    expect(await section.getByRole('radio', { name: /Back to To do/ }).isChecked()).toBe(true);
    await section.getByRole('radio', { name: /To Blocked/ }).check();
    await page.getByRole('status').filter({ hasText: 'Lapsed work now goes to blocked' }).waitFor();
    await page.reload();
    await section.getByRole('radio', { name: /To Blocked/ }).waitFor();
    expect(await section.getByRole('radio', { name: /To Blocked/ }).isChecked()).toBe(true);
    await shots(adminTab, 'settings-work-policy');

    // An agent holding a mission in progress is deactivated: its claim ends, the work is held.
    const graph = new GraphClient(stack.gatewayUrl);
    const squad = new SquadWorld(graph);
    const agent = await squad.activeAgent(admin, 'Drifter');
    const mission = await squad.claimedMission(admin, agent, 'Chart the drift');
    await squad.startedRun(admin, agent, mission.id);
    await graph.ok(
      'mutation ($ws: ID!, $id: ID!) { moveMission(workspaceId: $ws, missionId: $id, column: IN_PROGRESS) { id } }',
      { ws: admin.workspaceId, id: mission.id },
      admin.workspaceToken,
    );
    await graph.ok(
      'mutation ($ws: ID!, $id: ID!) { deactivateAgent(workspaceId: $ws, id: $id) { id } }',
      { ws: admin.workspaceId, id: agent.id },
      admin.workspaceToken,
    );
    await page.goto(`${stack.webUrl}/w/${admin.workspaceId}/missions/${mission.id}`);
    await page
      .getByText('Drifter went offline; it went to Blocked for a person to look at')
      .waitFor();
    await page.getByText('Blocked', { exact: true }).first().waitFor();
    await shots(adminTab, 'mission-blocked-by-policy');
    await page.goto(`${stack.webUrl}/w/${admin.workspaceId}/settings`);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
  });

  it('invites with a link that the invitee accepts, changes their role and cancels an invitation', async () => {
    const { page } = adminTab;
    const invitee = await world.person('ed');
    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByLabel('Email').fill(invitee.email);
    await page.getByLabel('Role', { exact: true }).selectOption('AGENT_OPERATOR');
    await page.getByRole('button', { name: 'Invite' }).click();
    const link = await page.getByLabel(`Invitation link for ${invitee.email}`).inputValue();
    expect(link).toMatch(new RegExp(`^${stack.webUrl}/invite/[^/]+$`));
    await page.getByRole('listitem', { name: invitee.email }).waitFor();
    await shots(adminTab, 'settings-members-invited');

    // The invitee opens the link, logs in, and joins.
    await memberTab.page.goto(link);
    await memberTab.page.waitForURL(/\/login/);
    await memberTab.page.getByLabel('Email').fill(invitee.email);
    await memberTab.page.getByLabel('Password').fill(PASSWORD);
    await memberTab.page.getByRole('button', { name: 'Log in' }).click();
    await memberTab.page.getByRole('button', { name: 'Accept invitation' }).click();
    await memberTab.page.waitForURL(/\/w\/[^/]+\/board/);

    // The admin sees them, makes them a viewer; the pending list is empty again.
    await page.reload();
    const row = page.getByRole('listitem', { name: /^ed/ });
    await row.waitFor();
    await page.getByLabel(/^Role of ed/).selectOption('VIEWER');
    await page.getByRole('status').filter({ hasText: 'is now Viewer' }).waitFor();
    await page.reload();
    expect(await page.getByLabel(/^Role of ed/).inputValue()).toBe('VIEWER');
    await page.getByText('No pending invitations.').waitFor();

    // A second invitation is withdrawn, after a confirmation.
    const other = `someone-${randomUUID().slice(0, 8)}@example.com`;
    await page.getByLabel('Email').fill(other);
    await page.getByRole('button', { name: 'Invite' }).click();
    const pending = page.getByRole('listitem', { name: other });
    await pending.getByRole('button', { name: 'Cancel invitation' }).click();
    await pending.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.getByText('No pending invitations.').waitFor();

    // The viewer sees the members read-only, with no admin controls.
    await memberTab.page.goto(`/w/${admin.workspaceId}/settings/members`);
    await memberTab.page.getByRole('listitem', { name: /Gemini-owner/ }).waitFor();
    expect(await memberTab.page.getByRole('button', { name: 'Invite' }).count()).toBe(0);
    expect(await memberTab.page.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    await memberTab.page.getByText('Only admins can invite').waitFor();
    await shots(memberTab, 'settings-members-viewer');
  });

  it('issues an API key with scopes, shows its secret once, and revokes it', async () => {
    const { page } = adminTab;
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByText('No API keys yet.').waitFor();
    await page.getByLabel('Key name').fill('Nightly report');
    await page.getByLabel(/View analytics/).check();
    await page.getByRole('button', { name: 'Issue key' }).click();
    const secret = await page.getByLabel('Secret of Nightly report').inputValue();
    expect(secret).toMatch(/^mc_[a-z0-9]+_/);
    const row = page.getByRole('listitem', { name: 'Nightly report' });
    await row.getByText('View analytics').waitFor();
    await row.getByText(/last used never/).waitFor();
    await shots(adminTab, 'settings-api-keys');

    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await row.getByText(/^Revoked/).waitFor();
    // Refused from now on.
    const exchanged = await new GraphClient(stack.gatewayUrl).request(
      `mutation ($key: String!) { exchangeApiKey(key: $key) { accessToken } }`,
      { key: secret },
    );
    expect(exchanged.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('removes a member whose open board leaves at once with a notice', async () => {
    const member = await world.member(admin, 'MISSION_COMMANDER', 'gus');
    const removed = await openBrowser(stack.webUrl!);
    try {
      await logIn(removed.page, member.email, `/w/${admin.workspaceId}/board`);
      await removed.page.waitForURL(/\/board/);
      await removed.page.getByText('Live', { exact: true }).waitFor();

      const { page } = adminTab;
      await page.getByRole('link', { name: 'Members' }).click();
      const row = page.getByRole('listitem', { name: /^gus/ });
      await row.getByRole('button', { name: 'Remove' }).click();
      await row.getByRole('button', { name: 'Yes, remove' }).click();
      await row.waitFor({ state: 'detached' });

      await removed.page.waitForURL(/\/workspaces$/, { timeout: 15_000 });
      await removed.page.getByText('You no longer have access to Gemini Program.').waitFor();
      await shots(removed, 'settings-access-lost');
    } finally {
      await removed.close();
    }
  });

  it('changes the password, lists sessions and signs out everywhere', async () => {
    const person = await world.member(admin, 'VIEWER', 'betty');
    const { page } = memberTab;
    await page.context().clearCookies();
    await logIn(page, person.email, `/w/${admin.workspaceId}/settings/profile`);
    await page.getByRole('heading', { name: 'Active sessions' }).waitFor();
    await page.getByText('This session').waitFor();

    const newPassword = 'a brand new password 42';
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor();
    await shots(memberTab, 'settings-profile');

    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
    await page.waitForURL(/\/login/);
    // Signed out for good: the workspace sends them to log in again.
    await page.goto(`/w/${admin.workspaceId}/board`);
    await page.waitForURL(/\/login/);
  });
});
