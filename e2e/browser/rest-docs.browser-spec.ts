import { openBrowser, watchPolicyViolations, type BrowserSession } from '../support/browser';
import { type Stack, startStack } from '@mission-control/testing';

describe('the REST v1 docs page', () => {
  let stack: Stack;
  let session: BrowserSession;

  beforeAll(async () => {
    stack = await startStack();
    session = await openBrowser(stack.gatewayUrl);
  });
  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  it('renders the OpenAPI document offline, under its own strict policy', async () => {
    const { page, context } = session;
    const problems = await watchPolicyViolations(context);
    // Nothing but the gateway answers: a page that needed a CDN would show nothing here.
    const elsewhere: string[] = [];
    const gateway = new URL(stack.gatewayUrl).origin;
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin === gateway || url.protocol === 'data:') {
        await route.continue();
      } else {
        elsewhere.push(url.href);
        await route.abort();
      }
    });

    const response = await page.goto('/api/v1/docs');
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByText('Mission Control REST API').first().waitFor();
    // The operations of the document are listed, and one opens with its schemas.
    const next = page.locator('#operations-Missions-nextMission');
    await next.waitFor();
    await next.locator('button').first().click();
    await page.getByText('Idempotency-Key').first().waitFor();
    await session.shot('rest-docs');

    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
  });
});
