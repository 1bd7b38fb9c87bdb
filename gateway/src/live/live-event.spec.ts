import type { Principal } from '@mission-control/auth';
import { createEnvelope, encodeEvent, newEventId, toKafkaHeaders } from '@mission-control/proto';
import { audienceOf, canSee, liveEventOf } from './live-event';

const principal = (workspaceId: string | null, role: Principal['role']): Principal => ({
  kind: 'user',
  subject: 'u1',
  workspaceId,
  role,
  scopes: null,
});

describe('live events', () => {
  it('shows members their workspace only, and invitations and API keys to admins only', () => {
    const mission = { workspaceId: 'w1', type: 'mission.v1.MissionMoved' };
    const invite = { workspaceId: 'w1', type: 'identity.v1.MemberInvited' };
    expect(canSee(principal('w1', 'viewer'), mission)).toBe(true);
    expect(canSee(principal('w2', 'admin'), mission)).toBe(false);
    expect(canSee(principal(null, null), mission)).toBe(false);
    expect(canSee(principal('w1', 'viewer'), invite)).toBe(false);
    expect(canSee(principal('w1', 'mission_commander'), invite)).toBe(false);
    expect(canSee(principal('w1', 'admin'), invite)).toBe(true);
    expect(audienceOf('identity.v1.ApiKeyIssued')).toBe('admins');
    expect(audienceOf('agent.v1.AgentKeyIssued')).toBe('admins');
    expect(audienceOf('agent.v1.AgentStatusChanged')).toBe('members');
  });

  it('turns a Kafka record into JSON the browser can use', () => {
    const envelope = createEnvelope({
      id: newEventId(),
      type: 'mission.v1.MissionCreated',
      source: 'mission',
      subject: 'mission-1',
      workspaceId: 'w1',
      actor: { kind: 'user', id: 'u1' },
      correlationId: 'c1',
      causationId: null,
      streamVersion: 1,
    });
    const value = Buffer.from(
      encodeEvent('mission.v1.MissionCreated', { missionId: 'mission-1', title: 'Ship it' }),
    );
    expect(liveEventOf(toKafkaHeaders(envelope), value)).toMatchObject({
      id: envelope.id,
      type: 'mission.v1.MissionCreated',
      subject: 'mission-1',
      workspaceId: 'w1',
      actor: 'user:u1',
      data: { missionId: 'mission-1', title: 'Ship it' },
    });
  });

  it('refuses a record without an envelope', () => {
    expect(() => liveEventOf({}, Buffer.alloc(0))).toThrow(/envelope/);
  });
});
