import { AppError } from '@mission-control/errors';
import { given } from '@mission-control/eventing';
import { agentV1, domainEvent, type Actor } from '@mission-control/proto';
import { placeAgentOnHost, recordHostSample, removeHost, reportHost } from './host.commands';
import { hostDecider, type HostEvent } from './host.decider';

const workspaceId = '0193a0c4-0000-7000-8000-00000000000a';
const hostId = '0193a0c4-0000-7000-8000-0000000000b1';
const otherHostId = '0193a0c4-0000-7000-8000-0000000000b2';
const agentId = '0193a0c4-0000-7000-8000-0000000000a1';
const agent: Actor = { kind: 'agent', id: agentId };
const ada: Actor = { kind: 'user', id: '0193a0c4-0000-7000-8000-000000000001' };
const code = (expected: string) => (error: unknown) =>
  error instanceof AppError && error.code === expected;

const description = {
  hostname: 'build-01',
  kind: 'container' as const,
  os: 'linux 6.8.0',
  arch: 'x64',
  cpuCount: 8,
  memoryBytes: 17_179_869_184,
  runnerVersion: '0.1.0',
};
const report = (data: Partial<typeof description> & { containerStatus?: string } = {}) =>
  reportHost({
    workspaceId,
    actor: agent,
    data: { hostId, hostKey: 'runner-1', ...description, ...data },
  });
const registered = domainEvent('agent.v1.HostRegistered', {
  hostId,
  hostKey: 'runner-1',
  ...description,
  kind: agentV1.HostKind.CONTAINER,
  memoryBytes: 17_179_869_184n,
  containerStatus: 'running',
});
const sample = (data: Record<string, unknown> = {}) =>
  recordHostSample({
    workspaceId,
    actor: agent,
    data: {
      hostId,
      cpuPercent: 12.5,
      memoryUsedBytes: 1_000,
      diskUsedBytes: 10,
      diskTotalBytes: 100,
      ...data,
    },
  });

describe('host decider', () => {
  it('registers a host on its first report', () => {
    given(hostDecider)
      .when(report({ containerStatus: 'running' }))
      .then([registered]);
  });

  it('records nothing when the report repeats what is known', () => {
    given(hostDecider, [registered]).when(report()).then([]);
  });

  it('records the whole description when something changed', () => {
    given(hostDecider, [registered])
      .when(report({ cpuCount: 16, containerStatus: 'paused' }))
      .then([
        domainEvent('agent.v1.HostUpdated', {
          hostId,
          ...description,
          kind: agentV1.HostKind.CONTAINER,
          cpuCount: 16,
          memoryBytes: 17_179_869_184n,
          containerStatus: 'paused',
        }),
      ]);
  });

  it('refuses a person reporting a host', () => {
    given(hostDecider)
      .when(reportHost({ workspaceId, actor: ada, data: { hostId, hostKey: 'k', ...description } }))
      .thenThrows(code('FORBIDDEN'));
  });

  it('refuses negative numbers and empty names as VALIDATION_ERROR', () => {
    expect(() => report({ memoryBytes: -1 })).toThrow(/memoryBytes: must not be negative/);
    expect(() => report({ cpuCount: 0 })).toThrow(/cpuCount/);
    expect(() => report({ hostname: ' ' })).toThrow(/hostname/);
    expect(() => sample({ cpuPercent: -3 })).toThrow(/cpuPercent/);
    expect(() => sample({ cpuPercent: 101 })).toThrow(/cpuPercent/);
    expect(() => sample({ diskUsedBytes: 200 })).toThrow(/diskUsedBytes/);
  });

  it('places an agent, naming the host it leaves, and not twice', () => {
    const place = (currentHostId: string | null) =>
      placeAgentOnHost({ workspaceId, actor: agent, data: { hostId, agentId, currentHostId } });
    given(hostDecider, [registered])
      .when(place(otherHostId))
      .then([
        domainEvent('agent.v1.AgentPlacedOnHost', {
          hostId,
          agentId,
          previousHostId: otherHostId,
        }),
      ]);
    given(hostDecider, [registered]).when(place(hostId)).then([]);
  });

  it('samples carry the host memory and a container status only when it changed', () => {
    const expected = (containerStatus: string): HostEvent =>
      domainEvent('agent.v1.HostSampled', {
        hostId,
        cpuPercent: 12.5,
        memoryUsedBytes: 1_000n,
        memoryTotalBytes: 17_179_869_184n,
        diskUsedBytes: 10n,
        diskTotalBytes: 100n,
        containerStatus,
      });
    given(hostDecider, [registered])
      .when(sample({ containerStatus: 'running' }))
      .then([expected('')]);
    given(hostDecider, [registered])
      .when(sample({ containerStatus: 'exited' }))
      .then([expected('exited')]);
  });

  it('knows no removed or unknown host', () => {
    const removed = domainEvent('agent.v1.HostRemoved', { hostId });
    given(hostDecider, [registered])
      .when(removeHost({ workspaceId, actor: ada, data: { hostId } }))
      .then([removed]);
    given(hostDecider, [registered, removed]).when(sample()).thenThrows(code('NOT_FOUND'));
    given(hostDecider).when(sample()).thenThrows(code('NOT_FOUND'));
    given(hostDecider, [registered, removed]).when(report()).thenThrows(code('NOT_FOUND'));
  });
});
