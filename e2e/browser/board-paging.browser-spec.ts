import type { Locator, Page } from 'playwright-core';
import { startStack, type Stack, until } from '@mission-control/testing';
import { logIn, openBrowser, type BrowserSession } from '../support/browser';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld, type Member } from '../support/identity-world';

const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1440, height: 900 };
// The web board loads 20 missions of a column at a time.
const IN_TODO = 50;
const CREATE = `mutation ($ws: ID!, $title: String!, $column: BoardColumn) {
  createMission(workspaceId: $ws, input: { title: $title, column: $column }) { id }
}`;

const title = (n: number) => `Task ${String(n).padStart(3, '0')}`;

/** A full-page screenshot from the top of the page (the header sticks to the top when scrolled). */
async function shot(session: BrowserSession, name: string) {
  await session.page.evaluate('window.scrollTo(0, 0)');
  await session.shot(name);
}

/** Drags with the pointer, past the sensor's 5 px threshold, and drops in the target's middle. */
async function drag(page: Page, handle: Locator, target: Locator) {
  const from = (await handle.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 12, from.y + from.height / 2, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 20 });
  await page.mouse.up();
}

const column = (page: Page, name: string) => page.getByRole('region', { name });
const cards = (region: Locator) => region.getByRole('listitem');
const heading = async (region: Locator) =>
  ((await region.getByRole('heading').textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe('a board with a long column, seen in the browser', () => {
  let stack: Stack;
  let graph: GraphClient;
  let admin: Member;
  let session: BrowserSession;

  beforeAll(async () => {
    stack = await startStack({ web: true });
    graph = new GraphClient(stack.gatewayUrl);
    admin = await new IdentityWorld(graph).workspace('Mercury');
    // Each new mission goes to the end of its column: To do holds them in this order.
    for (let n = 1; n <= IN_TODO; n += 1) {
      await graph.ok(
        CREATE,
        { ws: admin.workspaceId, title: title(n), column: 'TODO' },
        admin.workspaceToken,
      );
    }
    for (const name of ['Retro notes', 'Launch checklist']) {
      await graph.ok(
        CREATE,
        { ws: admin.workspaceId, title: name, column: 'DONE' },
        admin.workspaceToken,
      );
    }
    session = await openBrowser(stack.webUrl!);
  });
  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  it('opens with 20 missions of a column of 50, and scrolling the column loads the rest', async () => {
    const { page } = session;
    await logIn(page, admin.email, `/w/${admin.workspaceId}/board`);
    const todo = column(page, 'To do');
    await cards(todo).getByText(title(20), { exact: true }).waitFor();
    expect(await cards(todo).count()).toBe(20);
    expect(await todo.getByText(title(21), { exact: true }).count()).toBe(0);
    expect(await heading(todo)).toBe('To do · 20 of 50');
    expect(await heading(column(page, 'Done'))).toBe('Done · 2');
    await page.getByText('52 missions').waitFor();
    // Only the column scrolls: the page stays the height of the screen.
    expect(await page.evaluate<number>('document.documentElement.scrollHeight')).toBeLessThan(
      DESKTOP.height * 1.5,
    );
    await shot(session, 'board-paging-desktop');
    await page.setViewportSize(PHONE);
    // At phone width the columns scroll sideways; the page itself is no wider than the phone.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBe(PHONE.width);
    await shot(session, 'board-paging-phone');
    await page.setViewportSize(DESKTOP);

    // Scrolled to the end of the column, the next 20 load by themselves, in order.
    await cards(todo).last().scrollIntoViewIfNeeded();
    await until(async () => (await cards(todo).count()) === 40, 'the second page shown');
    expect(await heading(todo)).toBe('To do · 40 of 50');
    // Each card's title link, top to bottom.
    const shown = await cards(todo).getByRole('link').allTextContents();
    expect(shown).toEqual(Array.from({ length: 40 }, (_, index) => title(index + 1)));

    await cards(todo).last().scrollIntoViewIfNeeded();
    await until(async () => (await cards(todo).count()) === 50, 'the whole column shown');
    expect(await heading(todo)).toBe('To do · 50');
    expect(await todo.getByRole('button', { name: /Load more/ }).count()).toBe(0);
    await shot(session, 'board-paging-scrolled');

    // A mission created elsewhere joins the now complete column, counted and shown.
    await page.getByText('Live', { exact: true }).waitFor();
    await graph.ok(
      CREATE,
      { ws: admin.workspaceId, title: title(51), column: 'TODO' },
      admin.workspaceToken,
    );
    await cards(todo).getByText(title(51), { exact: true }).waitFor();
    expect(await heading(todo)).toBe('To do · 51');
  });

  it('loads the next page from the keyboard, and counts missions past what it shows', async () => {
    const tab = await openBrowser(stack.webUrl!);
    try {
      const { page } = tab;
      // Nothing but the button can load more here.
      await tab.context.addInitScript({ content: 'delete window.IntersectionObserver;' });
      await page.setViewportSize(PHONE);
      await logIn(page, admin.email, `/w/${admin.workspaceId}/board`);
      const todo = column(page, 'To do');
      await cards(todo).getByText(title(20), { exact: true }).waitFor();
      expect(await heading(todo)).toBe('To do · 20 of 51');
      await page.getByText('Live', { exact: true }).waitFor();

      const more = todo.getByRole('button', { name: 'Load more To do missions' });
      await more.focus();
      await shot(tab, 'board-paging-load-more-phone');
      await page.keyboard.press('Enter');
      await until(async () => (await cards(todo).count()) === 40, 'the second page shown');
      expect(await heading(todo)).toBe('To do · 40 of 51');
      await shot(tab, 'board-paging-keyboard-phone');

      // Created past the loaded part: counted at once, shown when its page is loaded.
      await graph.ok(
        CREATE,
        { ws: admin.workspaceId, title: title(52), column: 'TODO' },
        admin.workspaceToken,
      );
      await until(
        async () => (await heading(todo)) === 'To do · 40 of 52',
        'the new mission counted',
      );
      expect(await todo.getByText(title(52), { exact: true }).count()).toBe(0);
      await more.focus();
      await page.keyboard.press('Enter');
      await cards(todo).getByText(title(52), { exact: true }).waitFor();
      expect(await cards(todo).count()).toBe(52);
      expect(await heading(todo)).toBe('To do · 52');
    } finally {
      await tab.close();
    }
  });

  it('drags a card out of a partly loaded column, and the counts follow on screen and on the server', async () => {
    const tab = await openBrowser(stack.webUrl!);
    try {
      const { page } = tab;
      await logIn(page, admin.email, `/w/${admin.workspaceId}/board`);
      const todo = column(page, 'To do');
      const progress = column(page, 'In progress');
      await cards(todo).getByText(title(20), { exact: true }).waitFor();
      expect(await heading(todo)).toBe('To do · 20 of 52');

      await drag(page, page.getByRole('button', { name: `Move ${title(2)}` }), progress);
      await progress.getByRole('listitem', { name: title(2) }).waitFor();
      expect(await heading(todo)).toBe('To do · 19 of 51');
      expect(await heading(progress)).toBe('In progress · 1');
      await shot(tab, 'board-paging-dropped');

      // Saved: a fresh board shows it there, and To do starts its first page one further.
      await until(async () => {
        const { board } = await graph.ok<{
          board: { columns: { column: string; missions: { title: string }[] }[] };
        }>(
          `query ($ws: ID!) { board(workspaceId: $ws, perColumn: 1) { columns { column missions { title } } } }`,
          { ws: admin.workspaceId },
          admin.workspaceToken,
        );
        return (
          board.columns.find((entry) => entry.column === 'IN_PROGRESS')?.missions[0]?.title ===
          title(2)
        );
      }, 'the move saved');
      await page.reload();
      await cards(todo).getByText(title(21), { exact: true }).waitFor();
      expect(await heading(todo)).toBe('To do · 20 of 51');
      expect(await heading(progress)).toBe('In progress · 1');
    } finally {
      await tab.close();
    }
  });
});
