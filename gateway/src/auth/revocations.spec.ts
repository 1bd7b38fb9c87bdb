import type { Principal } from '@mission-control/auth';
import { Revocations } from './revocations';

const member = (overrides: Partial<Principal> = {}): Principal => ({
  kind: 'user',
  subject: 'user-1',
  workspaceId: 'ws-1',
  role: 'mission_commander',
  scopes: null,
  sessionId: 'session-1',
  ...overrides,
});

describe('Revocations', () => {
  let now: number;
  let sut: Revocations;
  const WINDOW = 900_000;
  beforeEach(() => {
    now = 10_000_000;
    sut = new Revocations({ windowMs: WINDOW, now: () => now });
    sut.coverFrom(now - WINDOW);
  });
  const access = (principal: Principal, issuedAtMs = now - 1_000) => ({ principal, issuedAtMs });

  it('refuses the tokens a role change or a removal ends, in that workspace only', () => {
    const before = access(member());
    const elsewhere = access(member({ workspaceId: 'ws-2' }));
    sut.apply({
      type: 'identity.v1.MemberRoleChanged',
      data: {
        workspaceId: 'ws-1',
        userId: 'user-1',
        oldRole: 'ROLE_ADMIN',
        newRole: 'ROLE_VIEWER',
      },
    });
    expect(sut.problem(before)).toBe('Your access has changed: refresh your access token');
    expect(sut.problem(elsewhere)).toBeUndefined();
    // A token issued after the change carries the new role: it works.
    now += 5;
    expect(sut.problem(access(member({ role: 'viewer' }), now))).toBeUndefined();

    sut.apply({
      type: 'identity.v1.MemberRemoved',
      data: { workspaceId: 'ws-2', userId: 'user-1', removedBy: 'user-9' },
    });
    expect(sut.problem(elsewhere)).toBeDefined();
  });

  it('refuses every token of an ended session, whatever workspace it acts in', () => {
    const lobby = access(member({ workspaceId: null, role: null }));
    const inWorkspace = access(member());
    const otherSession = access(member({ sessionId: 'session-2' }));
    sut.apply({
      type: 'identity.v1.SessionEnded',
      data: { userId: 'user-1', sessionId: 'session-1' },
    });
    expect(sut.problem(lobby)).toBe('Your session has ended: log in again');
    expect(sut.problem(inWorkspace)).toBe('Your session has ended: log in again');
    expect(sut.problem(otherSession)).toBeUndefined();
  });

  it('refuses tokens of a revoked API key and of a revoked or deactivated agent', () => {
    const key = access({
      kind: 'api_key',
      subject: 'key-1',
      workspaceId: 'ws-1',
      role: 'admin',
      scopes: ['admin_access'],
    });
    const agent = access({
      kind: 'agent',
      subject: 'agent-1',
      workspaceId: 'ws-1',
      role: null,
      scopes: null,
    });
    const otherAgent = access({
      kind: 'agent',
      subject: 'agent-2',
      workspaceId: 'ws-1',
      role: null,
      scopes: null,
    });
    sut.apply({
      type: 'identity.v1.ApiKeyRevoked',
      data: { workspaceId: 'ws-1', apiKeyId: 'key-1' },
    });
    sut.apply({ type: 'agent.v1.AgentKeyRevoked', data: { agentId: 'agent-1', keyId: 'k' } });
    expect(sut.problem(key)).toBeDefined();
    expect(sut.problem(agent)).toBeDefined();
    expect(sut.problem(otherAgent)).toBeUndefined();
    sut.apply({ type: 'agent.v1.AgentDeactivated', data: { agentId: 'agent-2' } });
    expect(sut.problem(otherAgent)).toBeDefined();
  });

  it("refuses a revoked key's tokens issued after the revocation too (identity may lag)", () => {
    const agent = (agentKeyId: string) => ({
      kind: 'agent' as const,
      subject: 'agent-1',
      workspaceId: 'ws-1',
      role: null,
      scopes: null,
      agentKeyId,
    });
    sut.apply({ type: 'agent.v1.AgentKeyRevoked', data: { agentId: 'agent-1', keyId: 'old' } });
    now += 60_000;
    expect(sut.problem(access(agent('old'), now))).toBe(
      'The agent key was revoked: issue a new one',
    );
    // The key that replaced it works.
    expect(sut.problem(access(agent('new'), now))).toBeUndefined();
    // Remembered for four windows, then forgotten with the rest.
    now += 4 * WINDOW;
    sut.apply({ type: 'identity.v1.SessionEnded', data: { sessionId: 'session-9' } });
    expect(sut.problem(access(agent('old'), now))).toBeUndefined();
  });

  it('ignores events that take nothing away, and malformed payloads', () => {
    const listener = jest.fn();
    sut.onRevoke(listener);
    sut.apply({ type: 'mission.v1.MissionCreated', data: { missionId: 'm' } });
    sut.apply({ type: 'identity.v1.MemberRemoved', data: null });
    sut.apply({ type: 'identity.v1.SessionEnded', data: { sessionId: 42 } });
    expect(listener).not.toHaveBeenCalled();
    expect(sut.problem(access(member()))).toBeUndefined();
    sut.apply({ type: 'identity.v1.SessionEnded', data: { sessionId: 'session-1' } });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('refuses a token issued before what this replica can vouch for', () => {
    const fresh = new Revocations({ windowMs: WINDOW, now: () => now });
    fresh.coverFrom(now - 60_000);
    expect(fresh.problem(access(member(), now - 61_000))).toMatch(/refresh it/);
    expect(fresh.problem(access(member(), now - 59_000))).toBeUndefined();
    // And one older than the window, however long this replica has been up.
    now += 2 * WINDOW;
    expect(fresh.problem(access(member(), now - WINDOW - 1))).toMatch(/refresh it/);
  });

  it('forgets revocations older than the window: tokens that old are refused anyway', () => {
    sut.apply({ type: 'identity.v1.SessionEnded', data: { sessionId: 'session-1' } });
    now += WINDOW + 1;
    sut.apply({ type: 'identity.v1.SessionEnded', data: { sessionId: 'session-2' } });
    const revoked = (sut as unknown as { revokedAt: Map<string, number> }).revokedAt;
    expect([...revoked.keys()]).toEqual(['session:session-2']);
  });
});
