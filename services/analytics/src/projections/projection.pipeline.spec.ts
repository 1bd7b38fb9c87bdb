import { randomUUID } from 'node:crypto';
import type { DeliveredRecord } from '@mission-control/eventing';
import {
  createEnvelope,
  encodeEvent,
  toKafkaHeaders,
  type DomainEventType,
  type EventInit,
} from '@mission-control/proto';
import { streamsOf } from './projection.pipeline';

function record<T extends DomainEventType>(type: T, data: EventInit<T>): DeliveredRecord {
  const envelope = createEnvelope({
    type,
    source: '//mission-control/spec',
    subject: 'stream-1',
    workspaceId: 'ws-1',
    actor: { kind: 'system', id: 'spec' },
    correlationId: randomUUID(),
    causationId: null,
    streamVersion: 1,
  });
  return {
    topic: 't',
    partition: 0,
    offset: '0',
    key: 'stream-1',
    value: Buffer.from(encodeEvent(type, data)),
    headers: toKafkaHeaders(envelope),
  };
}

describe('streamsOf', () => {
  it('names each mission, agent, run and claim of a batch once, and skips records that do not parse', () => {
    const records = [
      record('mission.v1.MissionMoved', { missionId: 'm-1' }),
      record('mission.v1.CommentAdded', { missionId: 'm-1', commentId: 'c-1' }),
      record('mission.v1.MissionCreated', { missionId: 'm-2', title: 't' }),
      record('mission.v1.MissionClaimed', { missionId: 'm-2', agentId: 'a-1', epoch: 3n }),
      // Claims recorded before leases have no epoch to find them by ahead of time.
      record('mission.v1.MissionClaimed', { missionId: 'm-1', agentId: 'a-1' }),
      record('agent.v1.AgentStatusChanged', { agentId: 'a-1' }),
      // A run's events are of the run's stream, though its start names the mission.
      record('mission.v1.RunStarted', { runId: 'r-1', missionId: 'm-3', agentId: 'a-3' }),
      record('mission.v1.RunUsageReported', { runId: 'r-1' }),
      record('mission.v1.RunFinished', { runId: 'r-2' }),
      { ...record('agent.v1.AgentActivated', { agentId: 'a-2' }), headers: {} },
    ];
    expect(streamsOf(records)).toEqual({
      missionIds: ['m-1', 'm-2'],
      agentIds: ['a-1'],
      runIds: ['r-1', 'r-2'],
      claims: [{ missionId: 'm-2', epoch: 3 }],
    });
  });
});
