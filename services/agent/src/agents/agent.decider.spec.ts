import { AppError } from '@mission-control/errors';
import { given } from '@mission-control/eventing';
import { agentV1, domainEvent, type Actor } from '@mission-control/proto';
import {
  activateAgent,
  deactivateAgent,
  endSubAgent,
  issueAgentKey,
  markAgentOffline,
  registerAgent,
  reportStatus,
  spawnSubAgent,
  updateAgent,
} from './agent.commands';
import { removeAgentWakeHook, setAgentWakeHook } from '../wake/wake-hook.commands';
import { agentDecider, type AgentEvent } from './agent.decider';

const workspaceId = '0193a0c4-0000-7000-8000-00000000000a';
const agentId = '0193a0c4-0000-7000-8000-0000000000a1';
const otherAgentId = '0193a0c4-0000-7000-8000-0000000000a2';
const ada: Actor = { kind: 'user', id: '0193a0c4-0000-7000-8000-000000000001' };
const self: Actor = { kind: 'agent', id: agentId };
const sweeper: Actor = { kind: 'system', id: 'agent-presence-sweeper' };
const { AgentStatus: S, AgentStatusChangeReason: R } = agentV1;
const code = (expected: string) => (error: unknown) =>
  error instanceof AppError && error.code === expected;

const registered = domainEvent('agent.v1.AgentRegistered', {
  agentId,
  name: 'Scout',
  role: 'specialist',
  capabilities: ['code', 'review'],
  configJson: '{"temperature":0.2}',
  model: 'claude-sonnet-4',
  provider: 'anthropic',
});
const activated: AgentEvent[] = [
  domainEvent('agent.v1.AgentActivated', { agentId }),
  domainEvent('agent.v1.AgentStatusChanged', {
    agentId,
    fromStatus: S.INACTIVE,
    toStatus: S.IDLE,
    reason: R.ACTIVATED,
  }),
];
const changed = (
  from: agentV1.AgentStatus,
  to: agentV1.AgentStatus,
  reason: number,
  activity = '',
) =>
  domainEvent('agent.v1.AgentStatusChanged', {
    agentId,
    fromStatus: from,
    toStatus: to,
    activity,
    reason,
  });
const heartbeat = (status: 'idle' | 'busy' | 'error', activity = '', actor = self) =>
  reportStatus({ workspaceId, actor, data: { agentId, status, activity } });
const offline = () => markAgentOffline({ workspaceId, actor: sweeper, data: { agentId } });

describe('agent decider', () => {
  it('registers an agent, inactive, with its normalised config', () => {
    given(agentDecider)
      .when(
        registerAgent({
          workspaceId,
          actor: ada,
          data: {
            agentId,
            name: ' Scout ',
            role: 'specialist',
            capabilities: ['code', 'review', 'code'],
            config: '{ "temperature": 0.2 }',
            model: 'claude-sonnet-4',
            provider: 'anthropic',
          },
        }),
      )
      .then([registered]);
  });

  it('refuses a config that is not a JSON object, when the command is built', () => {
    for (const config of ['[1]', 'not json', '42']) {
      expect(() =>
        registerAgent({ workspaceId, actor: ada, data: { agentId, name: 'x', role: 'y', config } }),
      ).toThrow(expect.objectContaining({ code: 'VALIDATION_ERROR' }) as Error);
    }
  });

  it('refuses to register the same agent twice', () => {
    given(agentDecider, [registered])
      .when(registerAgent({ workspaceId, actor: ada, data: { agentId, name: 'x', role: 'y' } }))
      .thenThrows(code('CONFLICT'));
  });

  it('updates only what changed, with the whole profile in the event; no change, no event', () => {
    given(agentDecider, [registered])
      .when(updateAgent({ workspaceId, actor: ada, data: { agentId, model: 'gpt-5' } }))
      .then([
        domainEvent('agent.v1.AgentUpdated', {
          agentId,
          name: 'Scout',
          role: 'specialist',
          capabilities: ['code', 'review'],
          configJson: '{"temperature":0.2}',
          model: 'gpt-5',
          provider: 'anthropic',
        }),
      ]);
    given(agentDecider, [registered])
      .when(
        updateAgent({
          workspaceId,
          actor: ada,
          data: { agentId, name: 'Scout', config: '{"temperature": 0.2}' },
        }),
      )
      .then([]);
  });

  it('answers NOT_FOUND for an agent that was never registered', () => {
    given(agentDecider)
      .when(activateAgent({ workspaceId, actor: ada, data: { agentId } }))
      .thenThrows(code('NOT_FOUND'));
  });

  it('activates an inactive agent: idle, with a status change; activating again does nothing', () => {
    given(agentDecider, [registered])
      .when(activateAgent({ workspaceId, actor: ada, data: { agentId } }))
      .then(activated);
    given(agentDecider, [registered, ...activated])
      .when(activateAgent({ workspaceId, actor: ada, data: { agentId } }))
      .then([]);
  });

  it('deactivates from any status to inactive', () => {
    given(agentDecider, [registered, ...activated, changed(S.IDLE, S.BUSY, R.HEARTBEAT, 'x')])
      .when(deactivateAgent({ workspaceId, actor: ada, data: { agentId } }))
      .then([
        domainEvent('agent.v1.AgentDeactivated', { agentId }),
        changed(S.BUSY, S.INACTIVE, R.DEACTIVATED),
      ]);
  });

  it('records a heartbeat only when it changes the status', () => {
    given(agentDecider, [registered, ...activated])
      .when(heartbeat('busy', 'reviewing MC-12'))
      .then([changed(S.IDLE, S.BUSY, R.HEARTBEAT, 'reviewing MC-12')]);
    given(agentDecider, [registered, ...activated, changed(S.IDLE, S.BUSY, R.HEARTBEAT)])
      .when(heartbeat('busy', 'something else'))
      .then([]);
  });

  it('lets an agent heartbeat only for itself; a person cannot heartbeat', () => {
    given(agentDecider, [registered, ...activated])
      .when(heartbeat('busy', '', { kind: 'agent', id: otherAgentId }))
      .thenThrows(code('FORBIDDEN'));
    given(agentDecider, [registered, ...activated])
      .when(heartbeat('busy', '', ada))
      .thenThrows(code('FORBIDDEN'));
  });

  it('refuses heartbeats from an inactive agent', () => {
    given(agentDecider, [registered]).when(heartbeat('idle')).thenThrows(code('CONFLICT'));
  });

  it('marks a silent agent offline once; its next heartbeat brings it back', () => {
    given(agentDecider, [registered, ...activated, changed(S.IDLE, S.BUSY, R.HEARTBEAT)])
      .when(offline())
      .then([changed(S.BUSY, S.OFFLINE, R.HEARTBEAT_EXPIRED)]);
    const gone = [registered, ...activated, changed(S.IDLE, S.OFFLINE, R.HEARTBEAT_EXPIRED)];
    given(agentDecider, gone).when(offline()).then([]);
    given(agentDecider, gone)
      .when(heartbeat('idle', 'back'))
      .then([changed(S.OFFLINE, S.IDLE, R.HEARTBEAT, 'back')]);
  });

  it('never marks an inactive agent offline, and only the server may', () => {
    given(agentDecider, [registered]).when(offline()).then([]);
    given(agentDecider, [registered, ...activated])
      .when(markAgentOffline({ workspaceId, actor: ada, data: { agentId } }))
      .thenThrows(code('FORBIDDEN'));
  });

  describe('keys', () => {
    const firstKey = '0193a0c4-0000-7000-8000-0000000000b1';
    const secondKey = '0193a0c4-0000-7000-8000-0000000000b2';
    const hash = new Uint8Array(32).fill(7);
    const issue = (keyId: string, actor = ada) =>
      issueAgentKey({
        workspaceId,
        actor,
        data: { agentId, keyId, prefix: 'abcd1234', secretSha256: hash },
      });
    const issued = (keyId: string) =>
      domainEvent('agent.v1.AgentKeyIssued', {
        agentId,
        keyId,
        prefix: 'abcd1234',
        secretSha256: hash,
      });
    const revoked = (keyId: string) => domainEvent('agent.v1.AgentKeyRevoked', { agentId, keyId });

    it('issues a key to a registered agent, and only to one', () => {
      given(agentDecider, [registered])
        .when(issue(firstKey))
        .then([issued(firstKey)]);
      given(agentDecider).when(issue(firstKey)).thenThrows(code('NOT_FOUND'));
    });

    it('replaces the working key when a new one is issued: the old one is revoked first', () => {
      given(agentDecider, [registered, issued(firstKey)])
        .when(issue(secondKey))
        .then([revoked(firstKey), issued(secondKey)]);
    });

    it('revokes the key of a deactivated agent; without a key there is nothing to revoke', () => {
      given(agentDecider, [registered, ...activated, issued(firstKey)])
        .when(deactivateAgent({ workspaceId, actor: ada, data: { agentId } }))
        .then([
          domainEvent('agent.v1.AgentDeactivated', { agentId }),
          changed(S.IDLE, S.INACTIVE, R.DEACTIVATED),
          revoked(firstKey),
        ]);
      given(agentDecider, [registered, ...activated, issued(firstKey), revoked(firstKey)])
        .when(issue(secondKey))
        .then([issued(secondKey)]);
    });

    it('refuses a hash that is not a SHA-256, when the command is built', () => {
      expect(() =>
        issueAgentKey({
          workspaceId,
          actor: ada,
          data: { agentId, keyId: firstKey, prefix: 'abcd1234', secretSha256: new Uint8Array(3) },
        }),
      ).toThrow(expect.objectContaining({ code: 'VALIDATION_ERROR' }));
    });
  });

  describe('wake hooks', () => {
    const url = 'https://agents.example.com/wake';
    const set = (to = url) =>
      setAgentWakeHook({ workspaceId, actor: ada, data: { agentId, url: to } });
    const remove = () => removeAgentWakeHook({ workspaceId, actor: ada, data: { agentId } });
    const hookSet = (to = url) => domainEvent('agent.v1.AgentWakeHookSet', { agentId, url: to });
    const hookRemoved = domainEvent('agent.v1.AgentWakeHookRemoved', { agentId });

    it('sets a wake URL on a registered agent; setting it again is recorded (a new secret)', () => {
      given(agentDecider, [registered]).when(set()).then([hookSet()]);
      given(agentDecider, [registered, hookSet()]).when(set()).then([hookSet()]);
      given(agentDecider).when(set()).thenThrows(code('NOT_FOUND'));
    });

    it('removes a wake URL once; removing none changes nothing', () => {
      given(agentDecider, [registered, hookSet()]).when(remove()).then([hookRemoved]);
      given(agentDecider, [registered, hookSet(), hookRemoved]).when(remove()).then([]);
      given(agentDecider, [registered]).when(remove()).then([]);
    });

    it('refuses a URL that is not http or https, when the command is built', () => {
      expect(() => set('ftp://example.com/wake')).toThrow(
        expect.objectContaining({ code: 'VALIDATION_ERROR' }),
      );
    });
  });

  describe('sub-agents', () => {
    const parent: Actor = { kind: 'agent', id: otherAgentId };
    const keyId = '0193a0c4-0000-7000-8000-0000000000b1';
    const hash = new Uint8Array(32).fill(7);
    const expiresAtUnixMs = 1_796_000_000_000;
    const spawn = (actor: Actor = parent) =>
      spawnSubAgent({
        workspaceId,
        actor,
        data: {
          agentId,
          parentAgentId: otherAgentId,
          name: 'Scout',
          role: 'specialist',
          capabilities: ['code', 'review'],
          config: '{"temperature":0.2}',
          model: 'claude-sonnet-4',
          provider: 'anthropic',
          expiresAtUnixMs,
          keyId,
          prefix: 'abcd1234',
          secretSha256: hash,
        },
      });
    const spawned: AgentEvent[] = [
      registered,
      domainEvent('agent.v1.SubAgentSpawned', {
        agentId,
        parentAgentId: otherAgentId,
        expiresAtUnixMs: BigInt(expiresAtUnixMs),
      }),
      ...activated,
      domainEvent('agent.v1.AgentKeyIssued', {
        agentId,
        keyId,
        prefix: 'abcd1234',
        secretSha256: hash,
        expiresAtUnixMs: BigInt(expiresAtUnixMs),
      }),
    ];
    const end = (reason: 'expired' | 'parent_stopped', actor: Actor = sweeper) =>
      endSubAgent({ workspaceId, actor, data: { agentId, reason } });

    it('registers, activates and keys a child in one step, its key expiring with it', () => {
      given(agentDecider).when(spawn()).then(spawned);
    });

    it('is spawned by its parent agent only', () => {
      for (const actor of [ada, self, sweeper]) {
        given(agentDecider).when(spawn(actor)).thenThrows(code('FORBIDDEN'));
      }
    });

    it('ends a live child once, revoking its key; a person cannot end it', () => {
      given(agentDecider, spawned)
        .when(end('expired'))
        .then([
          domainEvent('agent.v1.SubAgentEnded', {
            agentId,
            parentAgentId: otherAgentId,
            reason: agentV1.SubAgentEndReason.EXPIRED,
          }),
          domainEvent('agent.v1.AgentDeactivated', { agentId }),
          changed(S.IDLE, S.INACTIVE, R.DEACTIVATED),
          domainEvent('agent.v1.AgentKeyRevoked', { agentId, keyId }),
        ]);
      const ended = [
        ...spawned,
        domainEvent('agent.v1.SubAgentEnded', {
          agentId,
          parentAgentId: otherAgentId,
          reason: agentV1.SubAgentEndReason.PARENT_STOPPED,
        }),
        domainEvent('agent.v1.AgentDeactivated', { agentId }),
        changed(S.IDLE, S.INACTIVE, R.DEACTIVATED),
        domainEvent('agent.v1.AgentKeyRevoked', { agentId, keyId }),
      ];
      given(agentDecider, ended).when(end('expired')).then([]);
      given(agentDecider, spawned).when(end('expired', ada)).thenThrows(code('FORBIDDEN'));
      given(agentDecider, [registered]).when(end('expired')).thenThrows(code('CONFLICT'));
    });

    it('keeps a stopped child stopped and its one key: no activation, no new key', () => {
      const stopped = [
        ...spawned,
        domainEvent('agent.v1.AgentDeactivated', { agentId }),
        changed(S.IDLE, S.INACTIVE, R.DEACTIVATED),
        domainEvent('agent.v1.AgentKeyRevoked', { agentId, keyId }),
      ];
      given(agentDecider, stopped)
        .when(activateAgent({ workspaceId, actor: ada, data: { agentId } }))
        .thenThrows(code('CONFLICT'));
      given(agentDecider, spawned)
        .when(
          issueAgentKey({
            workspaceId,
            actor: ada,
            data: { agentId, keyId, prefix: 'abcd1234', secretSha256: hash },
          }),
        )
        .thenThrows(code('CONFLICT'));
    });
  });
});
