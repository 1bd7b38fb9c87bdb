import {
  activeAgent,
  adminOfNewWorkspace,
  missionInTodo,
  signedInAgain,
  type Stack,
  startStack,
  until,
} from '@mission-control/testing';
import { AgentSession, type MissionControlError } from '../src';

/** Access tokens that last seconds, so that an agent lives through several of them here. */
const TOKEN_SECONDS = 6;

describe('an agent living longer than its tokens', () => {
  let stack: Stack;
  let agent: AgentSession | undefined;

  beforeAll(async () => {
    stack = await startStack({ env: { ACCESS_TOKEN_TTL_SECONDS: String(TOKEN_SECONDS) } });
  });
  afterAll(async () => {
    await agent?.stop();
    await stack?.stop();
  });

  it('exchanges its key again before each token expires, and its live push resumes with a fresh one', async () => {
    const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'sdk-tokens');
    const issued = await activeAgent(stack.gatewayUrl, admin, 'Longlived');
    const operations: string[] = [];
    const counting: typeof fetch = (input, init) => {
      const { operationName } = JSON.parse(init?.body as string) as { operationName: string };
      operations.push(operationName);
      return fetch(input, init);
    };
    const errors: MissionControlError[] = [];
    agent = new AgentSession({
      url: stack.gatewayUrl,
      agentKey: issued.key,
      fetch: counting,
      refreshBeforeMs: 2_000,
      heartbeatIntervalMs: 15_000,
      onError: (error) => errors.push(error),
    });
    await agent.start();
    expect(agent.liveConnected).toBe(true);

    // The gateway closes a socket when its token expires; the session reconnects with a new one.
    await new Promise((resolve) => setTimeout(resolve, (TOKEN_SECONDS + 2) * 1_000));
    await until(() => agent!.liveConnected, 'the live push back with a fresh token', 10_000);

    // A request after the first token's end goes out with a fresh one, never refused first.
    const sentBefore = operations.length;
    await agent.client.heartbeat('IDLE');
    expect(operations.slice(sentBefore).filter((name) => name === 'Heartbeat')).toHaveLength(1);
    expect(operations.filter((name) => name === 'ExchangeAgentKey').length).toBeGreaterThanOrEqual(
      2,
    );

    // And the reconnected socket still wakes it.
    const woken = agent.waitForWork({ timeoutMs: 20_000 });
    const missionId = await missionInTodo(
      stack.gatewayUrl,
      await signedInAgain(stack.gatewayUrl, admin),
      'After the refresh',
    );
    await expect(woken).resolves.toEqual({ reason: 'available', missionId });
    expect(errors).toEqual([]);
  });
});
