import type { Page } from 'playwright-core';
import { startStack, type Stack } from '@mission-control/testing';
import { DESKTOP, logIn, openBrowser, overflowOf, type BrowserSession } from '../support/browser';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld, type Member } from '../support/identity-world';

const CREATE = `mutation ($ws: ID!, $title: String!, $column: BoardColumn) {
  createMission(workspaceId: $ws, input: { title: $title, column: $column }) { id }
}`;
const MOVE = `mutation ($ws: ID!, $id: ID!) {
  moveMission(workspaceId: $ws, missionId: $id, column: DONE) { id }
}`;
// The width of a small phone: the mission page's panels stack and nothing sticks out.
const NARROW = { width: 390, height: 844 };

const card = (page: Page, title: string) =>
  page.getByRole('region', { name: 'To do' }).getByRole('listitem', { name: title });

describe('mission dependencies, seen in the browser', () => {
  let stack: Stack;
  let graph: GraphClient;
  let admin: Member;
  let session: BrowserSession;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startStack({ web: true });
    graph = new GraphClient(stack.gatewayUrl);
    admin = await new IdentityWorld(graph).workspace('Gemini');
    for (const title of ['Build the capsule', 'Launch']) {
      ids[title] = (
        await graph.ok<{ createMission: { id: string } }>(
          CREATE,
          { ws: admin.workspaceId, title, column: 'TODO' },
          admin.workspaceToken,
        )
      ).createMission.id;
    }
    session = await openBrowser(stack.webUrl!);
  });
  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  it('adds a blocker on the mission page, shows the card blocked, and clears it once the blocker is done', async () => {
    const { page } = session;
    await logIn(page, admin.email, `/w/${admin.workspaceId}/missions/${ids.Launch}`);
    const panel = page.getByRole('region', { name: 'Blocked by' });
    await panel.getByText('It waits for no other mission.').waitFor();
    const picker = panel.getByLabel('Add a blocker');
    await picker.locator('option', { hasText: 'Build the capsule' }).waitFor({ state: 'attached' });
    // The mission itself is not offered as its own blocker.
    expect(await picker.locator('option', { hasText: 'Launch' }).count()).toBe(0);
    await picker.selectOption({ label: 'Build the capsule (To do)' });
    await panel.getByRole('button', { name: 'Add blocker' }).click();
    await panel.getByRole('link', { name: 'Build the capsule' }).waitFor();
    await panel.getByText(/Waits for 1 mission not done yet/).waitFor();

    await page.setViewportSize(NARROW);
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await session.shot('dependencies-mission-narrow');
    await page.setViewportSize(DESKTOP);

    await page.goto(`/w/${admin.workspaceId}/board`);
    const launch = card(page, 'Launch');
    await launch.getByText('Blocked').waitFor();
    expect((await launch.getByText('Blocked').textContent())?.replace(/\s+/g, ' ')).toContain(
      'Blocked · 1',
    );
    expect(await card(page, 'Build the capsule').getByText('Blocked').count()).toBe(0);
    await session.shot('dependencies-board-blocked');

    // The blocker is done (moved by someone else): the card is no longer blocked, live.
    await page.getByText('Live', { exact: true }).waitFor();
    await graph.ok(
      MOVE,
      { ws: admin.workspaceId, id: ids['Build the capsule'] },
      admin.workspaceToken,
    );
    await launch.getByText('Blocked').waitFor({ state: 'detached' });

    // A cycle is refused in words.
    await page.goto(`/w/${admin.workspaceId}/missions/${ids['Build the capsule']}`);
    const its = page.getByRole('region', { name: 'Blocked by' });
    const pick = its.getByLabel('Add a blocker');
    await pick.locator('option', { hasText: 'Launch' }).waitFor({ state: 'attached' });
    await pick.selectOption({ label: 'Launch (To do)' });
    await its.getByRole('button', { name: 'Add blocker' }).click();
    await its
      .getByText('Would make a cycle: Build the capsule → Launch → Build the capsule')
      .waitFor();
  });
});
