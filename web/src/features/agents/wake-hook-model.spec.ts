import {
  canManageAgents,
  describeDelivery,
  refreshEveryMs,
  type WakeDeliveryView,
  wakeUrlProblem,
} from './wake-hook-model';

const delivery = (overrides: Partial<WakeDeliveryView>): WakeDeliveryView => ({
  webhookId: 'wake_1',
  reason: 'ASSIGNED',
  missionId: 'm-1',
  status: 'DELIVERED',
  attempts: 1,
  at: '2026-12-07T10:00:00.000Z',
  nextAttemptAt: null,
  statusCode: 200,
  error: null,
  ...overrides,
});

describe('wake URL', () => {
  it('says what is wrong with a URL in words', () => {
    expect(wakeUrlProblem('https://agents.example.com/wake')).toBeNull();
    expect(wakeUrlProblem('  ')).toBe('Enter the URL the agent listens on.');
    expect(wakeUrlProblem('agents.example.com')).toMatch(/full URL/);
    expect(wakeUrlProblem('ftp://agents.example.com')).toMatch(/https:\/\/ or http:\/\//);
    expect(wakeUrlProblem(`https://x.example/${'a'.repeat(2_100)}`)).toMatch(/too long/);
  });

  it('describes the last delivery', () => {
    expect(describeDelivery(delivery({}))).toBe(
      'Woken for a mission assigned to it (HTTP 200), after 1 attempt.',
    );
    expect(
      describeDelivery(
        delivery({ status: 'RETRYING', attempts: 2, error: 'HTTP 503', reason: 'AVAILABLE' }),
      ),
    ).toBe('Not answered yet (HTTP 503), 2 attempts so far; trying again soon.');
    expect(describeDelivery(delivery({ status: 'FAILED', error: 'HTTP 400' }))).toBe(
      'Gave up after 1 attempt: HTTP 400.',
    );
  });

  it('lets admins and agent operators manage it', () => {
    expect(canManageAgents('ADMIN')).toBe(true);
    expect(canManageAgents('AGENT_OPERATOR')).toBe(true);
    expect(canManageAgents('MISSION_COMMANDER')).toBe(false);
    expect(canManageAgents('VIEWER')).toBe(false);
    expect(canManageAgents(null)).toBe(false);
  });

  it('asks again often while a delivery is under way', () => {
    expect(refreshEveryMs(null)).toBe(false);
    const hook = { url: null, createdAt: '2026-12-07T10:00:00.000Z', lastDelivery: null };
    expect(refreshEveryMs(hook)).toBe(10_000);
    expect(refreshEveryMs({ ...hook, lastDelivery: delivery({ status: 'RETRYING' }) })).toBe(2_000);
  });
});
