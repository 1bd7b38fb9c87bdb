import type { Page } from 'playwright-core';
import { startStack, type Stack, until } from '@mission-control/testing';
import { DESKTOP, logIn, openBrowser, overflowOf, type BrowserSession } from '../support/browser';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld, type Member } from '../support/identity-world';
import { type Agent, SquadWorld } from '../support/squad-world';

/** An iPhone's width: the board must not scroll sideways on it. */
const PHONE_390 = { width: 390, height: 844 };
const CREATE = `mutation ($ws: ID!, $input: CreateMissionInput!) {
  createMission(workspaceId: $ws, input: $input) { id }
}`;
const ASSIGN = `mutation ($ws: ID!, $id: ID!, $agent: ID) {
  assignMission(workspaceId: $ws, missionId: $id, agentId: $agent) { id }
}`;

const column = (page: Page, name: string) => page.getByRole('region', { name });
/** The titles of the cards on the board, alphabetically. */
const cardTitles = (page: Page) =>
  page.evaluate<string[]>(
    '[...document.querySelectorAll("[data-column] li[aria-label]")].map((card) => card.getAttribute("aria-label")).sort()',
  );
const filters = (page: Page) => page.getByRole('search', { name: 'Filter the board' });
const focusedText = (page: Page) =>
  page.evaluate<string>('document.activeElement?.textContent?.trim() ?? ""');

/** A full-page screenshot from the top (the header sticks to the top when scrolled). */
async function shot(session: BrowserSession, name: string) {
  await session.page.evaluate('window.scrollTo(0, 0)');
  await session.shot(name);
}

const query = (page: Page): Record<string, string> =>
  Object.fromEntries(new URL(page.url()).searchParams.entries());

describe('the board as a product: new missions, quick-add, filters, errors in words, a phone', () => {
  let stack: Stack;
  let graph: GraphClient;
  let admin: Member;
  let scout: Agent;
  let session: BrowserSession;

  beforeAll(async () => {
    stack = await startStack({ web: true });
    graph = new GraphClient(stack.gatewayUrl);
    admin = await new IdentityWorld(graph).workspace('Gemini');
    scout = await new SquadWorld(graph).activeAgent(admin, 'Scout');
    const seeded: [string, Record<string, unknown>, boolean][] = [
      ['Map the crater', { priority: 'HIGH', tags: ['survey'], column: 'TODO' }, true],
      ['Test the suits', { priority: 'LOW', tags: ['safety'], column: 'TODO' }, false],
      ['Pack the samples', { priority: 'HIGH', tags: ['survey'], column: 'DONE' }, false],
    ];
    for (const [title, input, assigned] of seeded) {
      const { createMission } = await graph.ok<{ createMission: { id: string } }>(
        CREATE,
        { ws: admin.workspaceId, input: { title, ...input } },
        admin.workspaceToken,
      );
      if (assigned) {
        await graph.ok(
          ASSIGN,
          { ws: admin.workspaceId, id: createMission.id, agent: scout.id },
          admin.workspaceToken,
        );
      }
    }
    session = await openBrowser(stack.webUrl!);
  });
  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  it('creates a mission in a dialog opened from "New mission", which Escape closes', async () => {
    const { page } = session;
    await logIn(page, admin.email, `/w/${admin.workspaceId}/board`);
    await column(page, 'To do').getByText('Map the crater').waitFor();

    // Nothing stands between the header and the cards but the filters.
    const header = (await page.getByRole('heading', { name: 'Board', level: 1 }).boundingBox())!;
    const backlog = (await column(page, 'Backlog').boundingBox())!;
    expect(backlog.y - (header.y + header.height)).toBeLessThan(120);
    expect(await page.getByLabel('Title').count()).toBe(0);
    await shot(session, 'board-tools-desktop');

    const open = page.getByRole('button', { name: 'New mission' });
    await open.click();
    const dialog = page.getByRole('dialog', { name: 'New mission' });
    await dialog.waitFor();
    // Typing starts in the title; Escape closes and gives focus back to the button.
    expect(await page.evaluate('document.activeElement?.getAttribute("name")')).toBe('title');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focusedText(page)).toBe('+ New mission');

    // Tab stays inside while it is open.
    await open.click();
    await dialog.waitFor();
    for (let n = 0; n < 12; n += 1) {
      await page.keyboard.press('Tab');
      expect(
        await page.evaluate<boolean>(
          'document.querySelector("dialog[open]").contains(document.activeElement) || document.activeElement === document.body',
        ),
      ).toBe(true);
    }

    await dialog.getByLabel('Title').fill('Deploy the rover');
    await dialog.getByLabel('Description').fill('Unfold the wheels **first**.');
    await dialog.getByLabel('Priority').selectOption({ label: 'Urgent' });
    await dialog.getByLabel('Column').selectOption({ label: 'To do' });
    await dialog.getByLabel('Tags').fill('rover, survey');
    await shot(session, 'board-tools-new-mission-dialog');
    await dialog.getByRole('button', { name: 'Create mission' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const card = column(page, 'To do').getByRole('listitem', { name: 'Deploy the rover' });
    await card.waitFor();
    expect(await card.textContent()).toContain('Urgent');
    expect(await card.textContent()).toContain('rover');
    expect(await focusedText(page)).toBe('+ New mission');
  });

  it('adds a mission to To do from its foot: Enter creates, Escape cancels', async () => {
    const { page } = session;
    const todo = column(page, 'To do');
    await todo.getByRole('button', { name: 'Add to To do' }).click();
    const line = todo.getByLabel('New mission in To do');
    await line.fill('Check the antenna');
    await line.press('Enter');
    await todo.getByRole('listitem', { name: 'Check the antenna' }).waitFor();
    // The line stays open, emptied once the mission is made (its card may come first, pushed live),
    // for the next one.
    await page.waitForFunction(
      (input) => (input as { value: string } | null)?.value === '',
      await line.elementHandle(),
    );
    await line.fill('Never mind');
    await line.press('Escape');
    await todo.getByRole('button', { name: 'Add to To do' }).waitFor();
    expect(await focusedText(page)).toBe('+ Add to To do');
    expect(await todo.getByText('Never mind').count()).toBe(0);

    // Saved on the server, in To do.
    await page.reload();
    await todo.getByRole('listitem', { name: 'Check the antenna' }).waitFor();
  });

  it('says what went wrong in words, the request id behind "Details"', async () => {
    const { page } = session;
    const todo = column(page, 'To do');
    await todo.getByRole('button', { name: 'Add to To do' }).click();
    const line = todo.getByLabel('New mission in To do');
    // Blank: the server refuses it.
    await line.fill('   ');
    await line.press('Enter');
    const alert = todo.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('Please check what you entered');
    expect(text).toContain('Title: must not be empty');
    expect(text).not.toMatch(/\b(data|input)\.\w/);
    const details = alert.locator('details');
    expect(await details.getAttribute('open')).toBeNull();
    const requestId = alert.locator('code');
    expect(await requestId.isVisible()).toBe(false);
    await alert.getByText('Details').click();
    expect(await requestId.isVisible()).toBe(true);
    expect(await requestId.textContent()).toMatch(/\S/);
    await shot(session, 'board-tools-error-in-words');
    await line.press('Escape');
    await todo.getByRole('alert').waitFor({ state: 'detached' });
  });

  it('filters by assignee, priority and tag, kept in the URL through a reload', async () => {
    const { page } = session;
    const bar = filters(page);
    await bar.getByLabel('Assignee').selectOption({ label: 'Scout' });
    await until(() => query(page).assignee === scout.id, 'the URL has the filter');
    expect(await cardTitles(page)).toEqual(['Map the crater']);
    await bar.getByText('Showing 1 of 5 missions').waitFor();

    await page.reload();
    await column(page, 'To do').getByText('Map the crater').waitFor();
    expect(await cardTitles(page)).toEqual(['Map the crater']);
    expect(await bar.getByLabel('Assignee').inputValue()).toBe(scout.id);

    // Opened from a shared link: nobody's survey missions.
    await page.goto(`/w/${admin.workspaceId}/board?assignee=unassigned&tag=survey`);
    await column(page, 'To do').getByText('Deploy the rover').waitFor();
    expect(await cardTitles(page)).toEqual(['Deploy the rover', 'Pack the samples']);
    await bar.getByLabel('Priority').selectOption({ label: 'High' });
    await until(() => query(page).priority === 'high', 'the priority in the URL');
    expect(await cardTitles(page)).toEqual(['Pack the samples']);
    await bar.getByText('Showing 1 of 5 missions').waitFor();
    await shot(session, 'board-tools-filtered');

    await bar.getByRole('button', { name: 'Clear filters' }).click();
    await until(() => new URL(page.url()).search === '', 'the URL without filters');
    expect((await cardTitles(page)).length).toBe(5);
    expect(await bar.getByRole('button', { name: 'Clear filters' }).count()).toBe(0);
  });

  it('folds the Done column away, and remembers it through a reload', async () => {
    const { page } = session;
    const done = column(page, 'Done');
    await done.getByText('Pack the samples').waitFor();
    await done.getByRole('button', { name: 'Hide Done missions' }).click();
    await done.getByText('Hidden', { exact: true }).waitFor();
    expect(await done.getByText('Pack the samples').count()).toBe(0);
    // Folded, it still counts what it holds.
    expect(await done.getByRole('heading').textContent()).toContain('1');
    await shot(session, 'board-tools-done-folded');
    await page.reload();
    await column(page, 'To do').getByText('Map the crater').waitFor();
    await done.getByText('Hidden', { exact: true }).waitFor();
    const show = done.getByRole('button', { name: 'Show Done missions' });
    expect(await show.getAttribute('aria-expanded')).toBe('false');
    await show.click();
    await done.getByText('Pack the samples').waitFor();
  });

  it('fits a 390 px phone without sideways scrolling, the dialog too', async () => {
    const { page } = session;
    await page.setViewportSize(PHONE_390);
    await column(page, 'To do').getByText('Map the crater').waitFor();
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await shot(session, 'board-tools-phone');
    await page.getByRole('button', { name: 'New mission' }).click();
    await page.getByRole('dialog', { name: 'New mission' }).waitFor();
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await shot(session, 'board-tools-phone-dialog');
    await page.keyboard.press('Escape');
    await page.setViewportSize(DESKTOP);
  });
});
