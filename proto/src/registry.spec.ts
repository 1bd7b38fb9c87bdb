import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { DescFile } from '@bufbuild/protobuf';
import { ContractError, ContractErrorCode } from './contract-error';
import * as contracts from './index';
import { agentV1, identityV1, missionV1 } from './index';
import {
  decodeEvent,
  domainEvent,
  encodeDomainEvent,
  encodeEvent,
  eventSchemas,
  isDomainEventType,
  type DomainEvent,
} from './registry';

/** One of each event, with every field set to something other than its default. */
const samples: DomainEvent[] = [
  domainEvent('identity.v1.WorkspaceCreated', {
    workspaceId: 'ws-1',
    name: 'Apollo',
    slug: 'apollo',
    createdBy: 'user-1',
  }),
  domainEvent('identity.v1.MemberJoined', {
    workspaceId: 'ws-1',
    userId: 'user-2',
    role: identityV1.Role.MISSION_COMMANDER,
    invitationId: 'inv-0',
  }),
  domainEvent('identity.v1.MemberRoleChanged', {
    workspaceId: 'ws-1',
    userId: 'user-2',
    oldRole: identityV1.Role.MISSION_COMMANDER,
    newRole: identityV1.Role.ADMIN,
  }),
  domainEvent('identity.v1.UserSignedUp', {
    userId: 'user-3',
    email: 'ada@example.com',
    name: 'Ada',
  }),
  domainEvent('identity.v1.MemberInvited', {
    workspaceId: 'ws-1',
    invitationId: 'inv-1',
    email: 'ada@example.com',
    role: identityV1.Role.VIEWER,
    invitedBy: 'user-1',
    expiresAt: '2026-11-25T00:00:00.000Z',
  }),
  domainEvent('identity.v1.MemberRemoved', {
    workspaceId: 'ws-1',
    userId: 'user-2',
    removedBy: 'user-1',
  }),
  domainEvent('identity.v1.ApiKeyIssued', {
    workspaceId: 'ws-1',
    apiKeyId: 'key-1',
    name: 'CI',
    prefix: 'abcd1234',
    scopes: [identityV1.Permission.CREATE_MISSIONS],
    issuedBy: 'user-1',
  }),
  domainEvent('identity.v1.ApiKeyRevoked', {
    workspaceId: 'ws-1',
    apiKeyId: 'key-1',
    revokedBy: 'user-1',
  }),
  domainEvent('identity.v1.SessionEnded', {
    userId: 'user-1',
    sessionId: 'session-1',
    reason: identityV1.SessionEndReason.LOGGED_OUT,
  }),
  domainEvent('identity.v1.PasswordChanged', { userId: 'user-1' }),
  domainEvent('identity.v1.WorkspaceRenamed', {
    workspaceId: 'ws-1',
    name: 'Renamed',
    renamedBy: 'user-1',
  }),
  domainEvent('identity.v1.InvitationRevoked', {
    workspaceId: 'ws-1',
    invitationId: 'inv-1',
    revokedBy: 'user-1',
  }),
  domainEvent('agent.v1.AgentRegistered', {
    agentId: 'agent-1',
    name: 'Scout',
    role: 'specialist',
    capabilities: ['code', 'review'],
    configJson: '{"temperature":0.2}',
    model: 'claude-sonnet-4',
    provider: 'anthropic',
  }),
  domainEvent('agent.v1.AgentStatusChanged', {
    agentId: 'agent-1',
    fromStatus: agentV1.AgentStatus.IDLE,
    toStatus: agentV1.AgentStatus.BUSY,
    activity: 'reviewing MC-12 ✓',
    reason: agentV1.AgentStatusChangeReason.HEARTBEAT,
  }),
  domainEvent('agent.v1.AgentUpdated', {
    agentId: 'agent-1',
    name: 'Scout II',
    role: 'lead',
    capabilities: ['plan'],
    configJson: '{"temperature":0}',
    model: 'gpt-5',
    provider: 'openai',
  }),
  domainEvent('agent.v1.AgentActivated', { agentId: 'agent-1' }),
  domainEvent('agent.v1.AgentDeactivated', { agentId: 'agent-1' }),
  domainEvent('agent.v1.AgentKeyIssued', {
    agentId: 'agent-1',
    keyId: 'key-1',
    prefix: 'abcd1234',
    secretSha256: new Uint8Array(32).fill(9),
  }),
  domainEvent('agent.v1.AgentKeyRevoked', { agentId: 'agent-1', keyId: 'key-1' }),
  domainEvent('agent.v1.AgentWakeHookSet', {
    agentId: 'agent-1',
    url: 'https://agents.example.com/wake',
  }),
  domainEvent('agent.v1.AgentWakeHookRemoved', { agentId: 'agent-1' }),
  domainEvent('agent.v1.SubAgentSpawned', {
    agentId: 'agent-2',
    parentAgentId: 'agent-1',
    // Past 32 bits: Unix milliseconds need int64.
    expiresAtUnixMs: 1_796_000_000_000n,
  }),
  domainEvent('agent.v1.SubAgentEnded', {
    agentId: 'agent-2',
    parentAgentId: 'agent-1',
    reason: agentV1.SubAgentEndReason.EXPIRED,
  }),
  domainEvent('agent.v1.HostRegistered', {
    hostId: 'host-1',
    hostKey: 'runner-key-1',
    hostname: 'build-01',
    kind: agentV1.HostKind.CONTAINER,
    os: 'linux 6.8.0',
    arch: 'x64',
    cpuCount: 16,
    // Past 32 bits: memory sizes need uint64.
    memoryBytes: 68_719_476_736n,
    runnerVersion: '0.1.0',
    containerStatus: 'running',
  }),
  domainEvent('agent.v1.HostUpdated', {
    hostId: 'host-1',
    hostname: 'build-01',
    kind: agentV1.HostKind.SERVER,
    os: 'linux 6.9.0',
    arch: 'arm64',
    cpuCount: 8,
    memoryBytes: 17_179_869_184n,
    runnerVersion: '0.2.0',
  }),
  domainEvent('agent.v1.AgentPlacedOnHost', {
    hostId: 'host-1',
    agentId: 'agent-1',
    previousHostId: 'host-0',
  }),
  domainEvent('agent.v1.HostSampled', {
    hostId: 'host-1',
    cpuPercent: 37.5,
    memoryUsedBytes: 8_589_934_592n,
    memoryTotalBytes: 17_179_869_184n,
    diskUsedBytes: 107_374_182_400n,
    diskTotalBytes: 536_870_912_000n,
    containerStatus: 'paused',
  }),
  domainEvent('agent.v1.HostRemoved', { hostId: 'host-1' }),
  domainEvent('mission.v1.MissionCreated', {
    missionId: 'mission-1',
    title: 'Land on the moon',
    description: '**Markdown** body',
    priority: missionV1.Priority.URGENT,
    tags: ['apollo', 'moon'],
    createdBy: 'user-1',
    column: missionV1.BoardColumn.TODO,
    rank: 'a0',
    workspaceId: 'ws-1',
  }),
  domainEvent('mission.v1.MissionMoved', {
    missionId: 'mission-1',
    fromColumn: missionV1.BoardColumn.TODO,
    toColumn: missionV1.BoardColumn.IN_PROGRESS,
    rank: 'a0V',
  }),
  domainEvent('mission.v1.MissionAssigned', { missionId: 'mission-1', agentId: 'agent-1' }),
  domainEvent('mission.v1.CommentAdded', {
    missionId: 'mission-1',
    commentId: 'comment-1',
    author: 'user-1',
    body: 'Over to you @scout',
    mentions: ['agent-1'],
    mentionNames: ['scout'],
  }),
  domainEvent('mission.v1.MissionClaimed', { missionId: 'mission-1', agentId: 'agent-1' }),
  domainEvent('mission.v1.MissionUpdated', {
    missionId: 'mission-1',
    title: 'Land on Mars',
    description: '_Later_',
    priority: missionV1.Priority.LOW,
    tags: ['mars'],
  }),
  domainEvent('mission.v1.MissionReleased', {
    missionId: 'mission-1',
    agentId: 'agent-1',
    epoch: 2n,
    reason: missionV1.ReleaseReason.LEASE_EXPIRED,
    toColumn: missionV1.BoardColumn.TODO,
    rank: 'a5',
  }),
  domainEvent('mission.v1.RunStarted', {
    runId: 'run-1',
    missionId: 'mission-1',
    workspaceId: 'workspace-1',
    agentId: 'agent-1',
    adapter: 'claude-code',
    model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    billing: missionV1.Billing.SUBSCRIPTION,
  }),
  domainEvent('mission.v1.RunLogAppended', {
    runId: 'run-1',
    lines: [{ position: 1n, stream: missionV1.LogStream.STDERR, text: 'warning: dry run' }],
  }),
  domainEvent('mission.v1.RunUsageReported', {
    runId: 'run-1',
    model: 'claude-sonnet-4-5',
    inputTokens: 1200n,
    outputTokens: 300n,
    cachedInputTokens: 1000n,
    costMicroUsd: 4_560n,
    costSource: missionV1.CostSource.CATALOG,
    priceCatalogVersion: '2026-12-01',
  }),
  domainEvent('mission.v1.RunFinished', {
    runId: 'run-1',
    outcome: missionV1.RunOutcome.CANCELLED,
    summary: 'budget reached',
    budgetId: 'budget-1',
  }),
  domainEvent('mission.v1.BudgetSet', {
    budgetId: 'budget-1',
    workspaceId: 'workspace-1',
    agentId: 'agent-1',
    name: 'Scout per day',
    period: missionV1.BudgetPeriod.DAY,
    costLimitMicroUsd: 5_000_000n,
    warnPercent: 80,
  }),
  domainEvent('mission.v1.BudgetDeleted', { budgetId: 'budget-1' }),
  domainEvent('mission.v1.BudgetWarningReached', {
    budgetId: 'budget-1',
    periodKey: '2026-12-07',
    spentTokens: 900n,
    spentMicroUsd: 4_100_000n,
  }),
  domainEvent('mission.v1.BudgetExceeded', {
    budgetId: 'budget-1',
    periodKey: '2026-12-07',
    spentTokens: 1_100n,
    spentMicroUsd: 5_020_000n,
  }),
  domainEvent('mission.v1.BudgetResumed', { budgetId: 'budget-1', periodKey: '2026-12-07' }),
  domainEvent('mission.v1.RunProgressNoted', { runId: 'run-1', note: 'tests: 40/52', percent: 77 }),
  domainEvent('mission.v1.WorkPolicySet', {
    lapsedClaims: missionV1.LapsedClaimAction.BLOCK,
  }),
  domainEvent('mission.v1.MissionDependencyAdded', {
    missionId: 'mission-2',
    blockerId: 'mission-1',
  }),
  domainEvent('mission.v1.MissionDependencyRemoved', {
    missionId: 'mission-2',
    blockerId: 'mission-1',
  }),
  domainEvent('mission.v1.MissionBecameReady', {
    missionId: 'mission-2',
    column: missionV1.BoardColumn.TODO,
    assigneeAgentId: 'agent-1',
  }),
];

function errorOf(fn: () => unknown): ContractError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ContractError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ContractError, nothing was thrown');
}

/** Narrowing check: compiles only while every event type has a case and `data` narrows with it. */
function summary(event: DomainEvent): string {
  switch (event.type) {
    case 'identity.v1.WorkspaceCreated':
      return `workspace ${event.data.slug}`;
    case 'identity.v1.MemberJoined':
      return `member ${event.data.userId} as ${identityV1.Role[event.data.role]}`;
    case 'identity.v1.MemberRoleChanged':
      return `member ${event.data.userId} now ${identityV1.Role[event.data.newRole]}`;
    case 'identity.v1.UserSignedUp':
      return `user ${event.data.email}`;
    case 'identity.v1.MemberInvited':
      return `invited ${event.data.email} as ${identityV1.Role[event.data.role]}`;
    case 'identity.v1.MemberRemoved':
      return `member ${event.data.userId} removed`;
    case 'identity.v1.ApiKeyIssued':
      return `api key ${event.data.prefix} for ${event.data.scopes.map((scope) => identityV1.Permission[scope]).join('+')}`;
    case 'identity.v1.ApiKeyRevoked':
      return `api key ${event.data.apiKeyId} revoked`;
    case 'identity.v1.SessionEnded':
      return `session ${event.data.sessionId} ended: ${identityV1.SessionEndReason[event.data.reason]}`;
    case 'identity.v1.PasswordChanged':
      return `password of ${event.data.userId} changed`;
    case 'identity.v1.WorkspaceRenamed':
      return `workspace renamed ${event.data.name}`;
    case 'identity.v1.InvitationRevoked':
      return `invitation ${event.data.invitationId} revoked`;
    case 'agent.v1.AgentRegistered':
      return `agent ${event.data.name} can ${event.data.capabilities.join('+')}`;
    case 'agent.v1.AgentStatusChanged':
      return `agent ${event.data.agentId} ${agentV1.AgentStatus[event.data.toStatus]}`;
    case 'agent.v1.AgentUpdated':
      return `agent ${event.data.name} on ${event.data.model}`;
    case 'agent.v1.AgentActivated':
      return `agent ${event.data.agentId} activated`;
    case 'agent.v1.AgentDeactivated':
      return `agent ${event.data.agentId} deactivated`;
    case 'agent.v1.AgentKeyIssued':
      return `agent key ${event.data.prefix} (${event.data.secretSha256.length}-byte hash)`;
    case 'agent.v1.AgentKeyRevoked':
      return `agent key ${event.data.keyId} revoked`;
    case 'agent.v1.AgentWakeHookSet':
      return `agent ${event.data.agentId} woken at ${event.data.url}`;
    case 'agent.v1.AgentWakeHookRemoved':
      return `agent ${event.data.agentId} no longer woken`;
    case 'agent.v1.SubAgentSpawned':
      return `sub-agent ${event.data.agentId} of ${event.data.parentAgentId} until ${event.data.expiresAtUnixMs}`;
    case 'agent.v1.SubAgentEnded':
      return `sub-agent ${event.data.agentId} ended: ${agentV1.SubAgentEndReason[event.data.reason]}`;
    case 'agent.v1.HostRegistered':
      return `host ${event.data.hostname} (${agentV1.HostKind[event.data.kind]}) with ${event.data.memoryBytes} bytes`;
    case 'agent.v1.HostUpdated':
      return `host ${event.data.hostname} now ${event.data.os} ${event.data.arch} ×${event.data.cpuCount}`;
    case 'agent.v1.AgentPlacedOnHost':
      return `agent ${event.data.agentId} moved from ${event.data.previousHostId} to ${event.data.hostId}`;
    case 'agent.v1.HostSampled':
      return `host ${event.data.hostId} at ${event.data.cpuPercent}% using ${event.data.memoryUsedBytes} bytes`;
    case 'agent.v1.HostRemoved':
      return `host ${event.data.hostId} removed`;
    case 'mission.v1.MissionCreated':
      return `mission ${event.data.title} ${missionV1.Priority[event.data.priority]}`;
    case 'mission.v1.MissionMoved':
      return `mission ${event.data.missionId} to ${missionV1.BoardColumn[event.data.toColumn]}`;
    case 'mission.v1.MissionAssigned':
      return `mission ${event.data.missionId} to ${event.data.agentId}`;
    case 'mission.v1.CommentAdded':
      return `comment mentioning ${event.data.mentions.join(',')}`;
    case 'mission.v1.MissionClaimed':
      return `mission ${event.data.missionId} claimed by ${event.data.agentId}`;
    case 'mission.v1.MissionUpdated':
      return `mission ${event.data.title} now ${missionV1.Priority[event.data.priority]}`;
    case 'mission.v1.MissionReleased':
      return `mission ${event.data.missionId} released: ${missionV1.ReleaseReason[event.data.reason]}`;
    case 'mission.v1.RunStarted':
      return `run ${event.data.runId} of ${event.data.missionId} on ${event.data.model}`;
    case 'mission.v1.RunLogAppended':
      return `run ${event.data.runId} logged ${event.data.lines.map((line) => line.text).join('; ')}`;
    case 'mission.v1.RunUsageReported':
      return `run ${event.data.runId} spent ${event.data.costMicroUsd} µ$ (${missionV1.CostSource[event.data.costSource]})`;
    case 'mission.v1.RunFinished':
      return `run ${event.data.runId} ${missionV1.RunOutcome[event.data.outcome]}: ${event.data.summary}`;
    case 'mission.v1.BudgetSet':
      return `budget ${event.data.name} ${missionV1.BudgetPeriod[event.data.period]} tokens ${event.data.tokenLimit ?? 'unlimited'}`;
    case 'mission.v1.BudgetDeleted':
      return `budget ${event.data.budgetId} deleted`;
    case 'mission.v1.BudgetWarningReached':
      return `budget ${event.data.budgetId} warned at ${event.data.spentMicroUsd} µ$`;
    case 'mission.v1.BudgetExceeded':
      return `budget ${event.data.budgetId} exceeded on ${event.data.periodKey}`;
    case 'mission.v1.BudgetResumed':
      return `budget ${event.data.budgetId} resumed for ${event.data.periodKey}`;
    case 'mission.v1.RunProgressNoted':
      return `run ${event.data.runId} at ${event.data.percent ?? '?'}%: ${event.data.note}`;
    case 'mission.v1.WorkPolicySet':
      return `lapsed claims ${missionV1.LapsedClaimAction[event.data.lapsedClaims]}`;
    case 'mission.v1.MissionDependencyAdded':
      return `mission ${event.data.missionId} blocked by ${event.data.blockerId}`;
    case 'mission.v1.MissionDependencyRemoved':
      return `mission ${event.data.missionId} no longer blocked by ${event.data.blockerId}`;
    case 'mission.v1.MissionBecameReady':
      return `mission ${event.data.missionId} ready in ${missionV1.BoardColumn[event.data.column]}`;
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}

describe('event registry', () => {
  it('has a sample for every registered event type', () => {
    expect(samples.map((event) => event.type).sort()).toEqual(
      eventSchemas.map((schema) => schema.typeName).sort(),
    );
  });

  it.each(samples.map((event) => [event.type, event] as const))(
    'round-trips %s through its binary encoding',
    (type, event) => {
      const payload = encodeDomainEvent(event);

      expect(payload.length).toBeGreaterThan(0);
      expect(decodeEvent(type, payload)).toEqual(event);
    },
  );

  it('narrows the payload by event type', () => {
    const decoded = samples.map((event) =>
      summary(decodeEvent(event.type, encodeDomainEvent(event))),
    );

    expect(decoded).toEqual([
      'workspace apollo',
      'member user-2 as MISSION_COMMANDER',
      'member user-2 now ADMIN',
      'user ada@example.com',
      'invited ada@example.com as VIEWER',
      'member user-2 removed',
      'api key abcd1234 for CREATE_MISSIONS',
      'api key key-1 revoked',
      'session session-1 ended: LOGGED_OUT',
      'password of user-1 changed',
      'workspace renamed Renamed',
      'invitation inv-1 revoked',
      'agent Scout can code+review',
      'agent agent-1 BUSY',
      'agent Scout II on gpt-5',
      'agent agent-1 activated',
      'agent agent-1 deactivated',
      'agent key abcd1234 (32-byte hash)',
      'agent key key-1 revoked',
      'agent agent-1 woken at https://agents.example.com/wake',
      'agent agent-1 no longer woken',
      'sub-agent agent-2 of agent-1 until 1796000000000',
      'sub-agent agent-2 ended: EXPIRED',
      'host build-01 (CONTAINER) with 68719476736 bytes',
      'host build-01 now linux 6.9.0 arm64 ×8',
      'agent agent-1 moved from host-0 to host-1',
      'host host-1 at 37.5% using 8589934592 bytes',
      'host host-1 removed',
      'mission Land on the moon URGENT',
      'mission mission-1 to IN_PROGRESS',
      'mission mission-1 to agent-1',
      'comment mentioning agent-1',
      'mission mission-1 claimed by agent-1',
      'mission Land on Mars now LOW',
      'mission mission-1 released: LEASE_EXPIRED',
      'run run-1 of mission-1 on claude-sonnet-4-5',
      'run run-1 logged warning: dry run',
      'run run-1 spent 4560 µ$ (CATALOG)',
      'run run-1 CANCELLED: budget reached',
      'budget Scout per day DAY tokens unlimited',
      'budget budget-1 deleted',
      'budget budget-1 warned at 4100000 µ$',
      'budget budget-1 exceeded on 2026-12-07',
      'budget budget-1 resumed for 2026-12-07',
      'run run-1 at 77%: tests: 40/52',
      'lapsed claims BLOCK',
      'mission mission-2 blocked by mission-1',
      'mission mission-2 no longer blocked by mission-1',
      'mission mission-2 ready in TODO',
    ]);
  });

  it('encodes from a plain object, defaults for what is left out', () => {
    const payload = encodeEvent('mission.v1.MissionAssigned', { missionId: 'mission-9' });

    expect(decodeEvent('mission.v1.MissionAssigned', payload).data).toMatchObject({
      missionId: 'mission-9',
      agentId: '',
    });
  });

  it('rejects an unknown event type, naming it', () => {
    const error = errorOf(() => decodeEvent('mission.v1.MissionExploded', new Uint8Array()));

    expect(error.code).toBe(ContractErrorCode.UNKNOWN_EVENT_TYPE);
    expect(error.message).toContain('Unknown event type "mission.v1.MissionExploded"');
    expect(isDomainEventType('mission.v1.MissionExploded')).toBe(false);
    expect(isDomainEventType('mission.v1.MissionCreated')).toBe(true);
  });

  it('refuses to encode a message as another event type', () => {
    const created = samples.find((event) => event.type === 'mission.v1.MissionCreated')!;

    // A cast is the only way to get here: the types already forbid it.
    const error = errorOf(() => encodeEvent('mission.v1.MissionMoved', created.data as never));

    expect(error.code).toBe(ContractErrorCode.EVENT_TYPE_MISMATCH);
    expect(error.message).toBe(
      'Cannot encode a mission.v1.MissionCreated message as event type "mission.v1.MissionMoved"',
    );
  });

  it('rejects a payload that is not valid protobuf', () => {
    const error = errorOf(() =>
      decodeEvent('mission.v1.MissionCreated', new Uint8Array([0x0a, 0x05, 0x61])),
    );

    expect(error.code).toBe(ContractErrorCode.MALFORMED_PAYLOAD);
    expect(error.message).toMatch(/^Payload is not a valid mission\.v1\.MissionCreated: /);
  });
});

describe('generated contracts', () => {
  const genDir = path.join(__dirname, 'gen');
  const eventFiles = readdirSync(genDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('_events_pb.ts'))
    .map((file) => file.split(path.sep).join('/'));

  it('finds the event files of every context', () => {
    expect(eventFiles.sort()).toEqual([
      'agent/v1/agent_events_pb.ts',
      'identity/v1/workspace_events_pb.ts',
      'mission/v1/mission_events_pb.ts',
    ]);
  });

  it.each(eventFiles)('%s: exported from the package and every message registered', (file) => {
    const [context, version] = file.split('/');
    const namespace = `${context}${version!.toUpperCase()}`;
    const exported = (contracts as unknown as Record<string, Record<string, unknown>>)[namespace];
    expect(exported).toBeDefined();

    const descFile = Object.values(exported!).find(
      (value): value is DescFile => (value as DescFile | undefined)?.kind === 'file',
    );
    expect(descFile?.name).toBe(file.replace(/_pb\.ts$/, ''));
    const unregistered = descFile!.messages
      .map((message) => message.typeName)
      .filter((typeName) => !isDomainEventType(typeName));
    expect(unregistered).toEqual([]);
  });
});
