import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { openBrowser, watchPolicyViolations, type BrowserSession } from '../support/browser';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld, PASSWORD, type Member } from '../support/identity-world';
import { SquadWorld } from '../support/squad-world';
import { type Stack, startStack, until } from '@mission-control/testing';

const APP_DIR = path.resolve(__dirname, '..', '..', 'web', 'src', 'app');

/** Every page of the web app, as a URL pattern (`/w/[workspaceId]/board`), read from its folders. */
function pageRoutes(dir = APP_DIR, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isFile()) {
      return entry.name === 'page.tsx' ? [prefix || '/'] : [];
    }
    // Route groups `(name)` add no segment; `api` holds route handlers, not pages.
    if (entry.name === 'api' && prefix === '') {
      return [];
    }
    const segment = /^\(.*\)$/.test(entry.name) ? '' : `/${entry.name}`;
    return pageRoutes(path.join(dir, entry.name), prefix + segment);
  });
}

/** The route with its dynamic segments filled in; a segment nobody knows fails the spec. */
function concrete(route: string, params: Record<string, string>): string {
  return route.replace(/\[([^\]]+)\]/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) {
      throw new Error(`no value for [${name}] in ${route}: add one to this spec`);
    }
    return value;
  });
}

function expectHardened(url: string, headers: Headers) {
  const policy = headers.get('content-security-policy') ?? '';
  const scriptSrc = /(?:^|; )script-src ([^;]*)/.exec(policy)?.[1] ?? '';
  // One object per page, so a failure names the page and everything wrong with it.
  expect({
    url,
    nonceScripts: /^'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'$/.test(scriptSrc),
    unsafeInline: policy.includes('unsafe-inline'),
    frameAncestors: /(?:^|; )frame-ancestors 'none'(;|$)/.test(policy),
    nosniff: headers.get('x-content-type-options'),
    referrer: headers.get('referrer-policy'),
    deniesDevices: /camera=\(\).*geolocation=\(\).*microphone=\(\)/.test(
      headers.get('permissions-policy') ?? '',
    ),
    // Plain http here: HSTS only over TLS.
    hsts: headers.get('strict-transport-security'),
  }).toEqual({
    url,
    nonceScripts: true,
    unsafeInline: false,
    frameAncestors: true,
    nosniff: 'nosniff',
    referrer: 'strict-origin-when-cross-origin',
    deniesDevices: true,
    hsts: null,
  });
}

describe('browser hardening of the web app', () => {
  let stack: Stack;
  let session: BrowserSession;
  let admin: Member;
  let params: Record<string, string>;

  beforeAll(async () => {
    stack = await startStack({ web: true });
    const graph = new GraphClient(stack.gatewayUrl);
    admin = await new IdentityWorld(graph).workspace('Hardened');
    const mission = await new SquadWorld(graph).mission(admin, 'Seal the hatch');
    params = {
      workspaceId: admin.workspaceId,
      missionId: mission.id,
      // A run the workspace does not have: its page says so, under the same headers.
      runId: randomUUID(),
      // Likewise an agent and a host: their pages say they are not found.
      agentId: randomUUID(),
      hostId: randomUUID(),
      token: 'not-a-real-token',
    };
    session = await openBrowser(stack.webUrl!);
  });
  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  it('sends a nonce CSP, nosniff, Referrer-Policy and Permissions-Policy with every page, 404 included', async () => {
    const routes = pageRoutes();
    expect(routes).toEqual(expect.arrayContaining(['/', '/login', '/w/[workspaceId]/board']));
    const urls = [...routes.map((route) => concrete(route, params)), '/no-such-page'];
    const nonces = new Set<string>();
    for (const url of urls) {
      const response = await fetch(new URL(url, stack.webUrl), { redirect: 'manual' });
      expect({ url, status: response.status < 500 }).toEqual({ url, status: true });
      expectHardened(url, response.headers);
      nonces.add(/'nonce-([^']+)'/.exec(response.headers.get('content-security-policy')!)![1]!);
    }
    expect(nonces.size).toBe(urls.length);
    // The browser reaches the gateway on its own origin, websockets included.
    const policy = (await fetch(new URL('/login', stack.webUrl))).headers.get(
      'content-security-policy',
    )!;
    const gateway = new URL(stack.gatewayUrl);
    expect(policy).toContain(`connect-src 'self' ${gateway.origin} ws://${gateway.host}`);
  });

  it('runs every page in Chromium under that policy without a violation', async () => {
    const { page, context } = session;
    const problems = await watchPolicyViolations(context);
    await page.goto('/login');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/workspaces|\/w\//);

    for (const route of pageRoutes()) {
      await page.goto(concrete(route, params));
      await page.waitForLoadState('networkidle');
    }
    // Live push connected through the policy's connect-src.
    await page.goto(`/w/${admin.workspaceId}/board`);
    await page.getByText('Live', { exact: true }).waitFor();
    await page.getByText('Seal the hatch').waitFor();
    // Scripts really ran: a client-side navigation works.
    await page.getByRole('link', { name: 'Agents' }).click();
    await page.waitForURL(/\/agents$/);
    expect(problems).toEqual([]);

    // Markup that smuggles in an inline script (as an XSS would) gets it refused, and reported.
    await page.route('**/login', async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(
        '</body>',
        '<script>document.documentElement.dataset.injected = "yes"</script></body>',
      );
      await route.fulfill({ response, body: html });
    });
    await page.goto('/login');
    await page.getByLabel('Email').waitFor();
    expect(await page.locator('html').getAttribute('data-injected')).toBeNull();
    await until(() => problems.length > 0, 'the refused script to be reported', 5_000);
    expect(problems.join('\n')).toMatch(/script-src/);
  });
});
