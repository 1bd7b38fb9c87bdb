import {
  create,
  createFileRegistry,
  fromBinary,
  toBinary,
  type DescMessage,
  type Message,
} from '@bufbuild/protobuf';
import type { GenMessage } from '@bufbuild/protobuf/codegenv2';
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
} from '@bufbuild/protobuf/wkt';
import { ContractError, ContractErrorCode } from './contract-error';
import { createEnvelope, eventSource, type RawEvent } from './envelope';
import { missionV1 } from './index';
import { encodeEvent } from './registry';
import { readEvent, UpcasterChain, upcasters, type Upcaster } from './upcast';

// Two old versions of a task event that predate the mission contract, built as descriptors here so
// no test-only contract lives in proto/. v1 → v2 renamed `name` to `title` and turned the urgency
// text into a number; v2 → mission.v1.MissionCreated is the current shape.
//   legacy.v1.TaskOpened { string task_id = 1; string name = 2; string urgency = 3; }
//   legacy.v2.TaskOpened { string task_id = 1; string title = 2; int32 priority = 3; }
type LegacyV1 = Message<'legacy.v1.TaskOpened'> & { taskId: string; name: string; urgency: string };
type LegacyV2 = Message<'legacy.v2.TaskOpened'> & {
  taskId: string;
  title: string;
  priority: number;
};

const field = (name: string, number: number, type: FieldDescriptorProto_Type) => ({
  name,
  number,
  type,
  label: FieldDescriptorProto_Label.OPTIONAL,
});
const { STRING, INT32 } = FieldDescriptorProto_Type;

function legacyMessage(version: 'v1' | 'v2'): DescMessage {
  const fields =
    version === 'v1'
      ? [field('task_id', 1, STRING), field('name', 2, STRING), field('urgency', 3, STRING)]
      : [field('task_id', 1, STRING), field('title', 2, STRING), field('priority', 3, INT32)];
  const file = create(FileDescriptorProtoSchema, {
    name: `legacy/${version}/task.proto`,
    package: `legacy.${version}`,
    syntax: 'proto3',
    messageType: [{ name: 'TaskOpened', field: fields }],
  });
  return createFileRegistry(file, () => undefined).getMessage(`legacy.${version}.TaskOpened`)!;
}

const LegacyV1Schema = legacyMessage('v1') as GenMessage<LegacyV1>;
const LegacyV2Schema = legacyMessage('v2') as GenMessage<LegacyV2>;

const v1ToV2: Upcaster = {
  from: 'legacy.v1.TaskOpened',
  to: 'legacy.v2.TaskOpened',
  upcast(payload) {
    const old = fromBinary(LegacyV1Schema, payload);
    const priority = { low: 1, medium: 2, high: 3, urgent: 4 }[old.urgency];
    if (priority === undefined) {
      throw new Error(`unknown urgency "${old.urgency}"`);
    }
    return toBinary(
      LegacyV2Schema,
      create(LegacyV2Schema, { taskId: old.taskId, title: old.name, priority }),
    );
  },
};

const v2ToMission: Upcaster = {
  from: 'legacy.v2.TaskOpened',
  to: 'mission.v1.MissionCreated',
  // The creator was never in the payload: it comes from the envelope's actor.
  upcast(payload, envelope) {
    const old = fromBinary(LegacyV2Schema, payload);
    return encodeEvent('mission.v1.MissionCreated', {
      missionId: old.taskId,
      title: old.title,
      priority: old.priority as missionV1.Priority,
      createdBy: envelope.actor.id,
    });
  },
};

function storedV1(urgency: string): RawEvent {
  return {
    envelope: createEnvelope({
      type: 'legacy.v1.TaskOpened',
      source: eventSource('mission'),
      subject: 'task-7',
      workspaceId: 'ws-1',
      actor: { kind: 'user', id: 'user-3' },
      correlationId: 'req-1',
      causationId: null,
      streamVersion: 1,
    }),
    payload: toBinary(
      LegacyV1Schema,
      create(LegacyV1Schema, { taskId: 'task-7', name: 'Dock with the station', urgency }),
    ),
  };
}

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

describe('UpcasterChain', () => {
  // Registered out of order on purpose: the chain follows types, not registration order.
  const chain = new UpcasterChain([v2ToMission, v1ToV2]);

  it('follows the versions of a type to the current one', () => {
    expect(chain.pathFrom('legacy.v1.TaskOpened')).toEqual([
      'legacy.v1.TaskOpened',
      'legacy.v2.TaskOpened',
      'mission.v1.MissionCreated',
    ]);
    expect(chain.pathFrom('mission.v1.MissionCreated')).toEqual(['mission.v1.MissionCreated']);
  });

  it('reads a v1 event as the current contract, keeping its identity', () => {
    const stored = storedV1('high');

    const { envelope, event } = readEvent(stored, chain);

    expect(envelope).toEqual({ ...stored.envelope, type: 'mission.v1.MissionCreated' });
    expect(event.type).toBe('mission.v1.MissionCreated');
    if (event.type !== 'mission.v1.MissionCreated') {
      throw new Error('narrowing');
    }
    expect(event.data).toMatchObject({
      missionId: 'task-7',
      title: 'Dock with the station',
      priority: missionV1.Priority.HIGH,
      createdBy: 'user-3',
      tags: [],
    });
  });

  it('reads a v2 event through the rest of the chain only', () => {
    const v2 = chain.upcast(storedV1('low'));
    expect(v2.envelope.type).toBe('mission.v1.MissionCreated');

    const midway: RawEvent = {
      envelope: { ...v2.envelope, type: 'legacy.v2.TaskOpened' },
      payload: toBinary(
        LegacyV2Schema,
        create(LegacyV2Schema, { taskId: 't', title: 'T', priority: 2 }),
      ),
    };
    const { event } = readEvent(midway, chain);
    expect(event.data).toMatchObject({ missionId: 't', priority: missionV1.Priority.MEDIUM });
  });

  it('leaves an event that is already current as it is', () => {
    const current: RawEvent = {
      envelope: { ...storedV1('low').envelope, type: 'mission.v1.MissionAssigned' },
      payload: encodeEvent('mission.v1.MissionAssigned', { missionId: 'm', agentId: 'a' }),
    };

    expect(chain.upcast(current)).toBe(current);
    expect(readEvent(current).event.data).toMatchObject({ missionId: 'm', agentId: 'a' });
  });

  it('names the event and the step when an upcaster fails', () => {
    const stored = storedV1('someday');

    const error = errorOf(() => chain.upcast(stored));

    expect(error.code).toBe(ContractErrorCode.UPCAST_FAILED);
    expect(error.message).toBe(
      `Upcasting event ${stored.envelope.id} from "legacy.v1.TaskOpened" to "legacy.v2.TaskOpened" failed: unknown urgency "someday"`,
    );
  });

  it('refuses two upcasters for one type, and loops', () => {
    expect(
      errorOf(() => new UpcasterChain([v1ToV2, { ...v1ToV2, to: 'legacy.v3.TaskOpened' }])).code,
    ).toBe(ContractErrorCode.UPCASTER_CONFLICT);
    const back: Upcaster = {
      ...v1ToV2,
      from: 'mission.v1.MissionCreated',
      to: 'legacy.v1.TaskOpened',
    };
    expect(errorOf(() => new UpcasterChain([v1ToV2, v2ToMission, back])).message).toBe(
      'Upcasters loop: legacy.v1.TaskOpened → legacy.v2.TaskOpened → mission.v1.MissionCreated → legacy.v1.TaskOpened',
    );
  });

  it('has no production upcasters while every contract is at v1', () => {
    expect(upcasters.pathFrom('mission.v1.MissionCreated')).toEqual(['mission.v1.MissionCreated']);
  });
});
