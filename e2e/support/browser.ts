import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PASSWORD } from './identity-world';

/** The Debian Chromium (never a downloaded browser), headless, with a profile of its own. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots of every page a journey visits, for people to look at (git-ignored). */
export const SCREENSHOT_DIR = path.resolve(__dirname, '..', 'screenshots');

export type BrowserSession = {
  context: BrowserContext;
  page: Page;
  /** Saves a full-page screenshot as `<n>-<name>.png`. */
  shot(name: string): Promise<void>;
  close(): Promise<void>;
};

export async function openBrowser(baseURL: string): Promise<BrowserSession> {
  const profile = mkdtempSync(path.join(tmpdir(), 'mc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    baseURL,
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  let taken = 0;
  return {
    context,
    page,
    async shot(name) {
      taken += 1;
      const file = `${String(taken).padStart(2, '0')}-${name}.png`;
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, file), fullPage: true });
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Collects what the page's Content-Security-Policy refused (the `securitypolicyviolation` event
 * and Chromium's console report) and uncaught errors, from every page the context opens.
 */
export async function watchPolicyViolations(context: BrowserContext): Promise<string[]> {
  const problems: string[] = [];
  // Init scripts come through the DevTools protocol, so the CSP under test does not apply to them.
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) => {
      console.error('CSP violation: ' + event.violatedDirective + ' blocked ' +
        (event.blockedURI || 'inline') + ' at ' + event.sourceFile + ':' + event.lineNumber);
    });`,
  });
  const watch = (page: Page) => {
    page.on('console', (message) => {
      const text = message.text();
      if (message.type() === 'error' && /CSP violation|Content Security Policy/i.test(text)) {
        problems.push(`${page.url()}: ${text}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return problems;
}

/** Logs in on the login page, which then goes on to `next`. */
export async function logIn(page: Page, email: string, next = '/workspaces', password = PASSWORD) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1440, height: 900 };

/** How far the page is wider than the screen (0 or less: it fits). */
export const overflowOf = (page: Page) =>
  page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
