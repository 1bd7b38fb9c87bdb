import { z } from 'zod';
import { defineCommand, multiLineText, singleLineText } from '@mission-control/eventing';
import { COLUMNS, PRIORITIES } from './board';
import { isValidKey } from './fractional-index';

const title = singleLineText(z.string().trim().min(1, 'must not be empty').max(200));
const description = multiLineText(z.string().max(20_000));
const priority = z.enum(PRIORITIES);
const tags = z
  .array(singleLineText(z.string().trim().toLowerCase().min(1, 'must not be empty').max(40)))
  .max(20)
  .transform((values) => [...new Set(values)]);
const column = z.enum(COLUMNS);
const rank = z.string().refine(isValidKey, 'not a rank');

/**
 * Where a card goes in its column: between the ranks of the cards it is placed after and before
 * (null: that end of the column). The service reads them; the decider makes the new rank.
 */
const placement = z.object({ after: rank.nullable(), before: rank.nullable() });

/**
 * What lets the actor change a mission: a member with create_missions (`commander`), or the agent
 * that claimed it (`agent`), which the decider checks against the mission's state.
 */
const authority = z.enum(['commander', 'agent']);

export const createMission = defineCommand(
  'CreateMission',
  z.object({
    missionId: z.uuid(),
    title,
    description: description.default(''),
    priority: priority.default('medium'),
    tags: tags.default([]),
    column: column.default('backlog'),
    placement,
  }),
);

export const updateMission = defineCommand(
  'UpdateMission',
  z
    .object({
      missionId: z.uuid(),
      title: title.optional(),
      description: description.optional(),
      priority: priority.optional(),
      tags: tags.optional(),
    })
    .refine(
      (data) =>
        [data.title, data.description, data.priority, data.tags].some(
          (value) => value !== undefined,
        ),
      'nothing to update',
    ),
);

export const moveMission = defineCommand(
  'MoveMission',
  z.object({ missionId: z.uuid(), column, placement, authority }),
);

export const assignMission = defineCommand(
  'AssignMission',
  z.object({ missionId: z.uuid(), agentId: z.string().trim().min(1).max(200).nullable() }),
);

/** How long a claim lasts unless renewed (MISSION_LEASE_SECONDS). */
const leaseSeconds = z.number().int().min(5).max(86_400);

/** `blockedBy`: the titles of its unfinished blockers, read by the service (none: it may start). */
export const claimMission = defineCommand(
  'ClaimMission',
  z.object({
    missionId: z.uuid(),
    leaseSeconds,
    blockedBy: z.array(z.string()).default([]),
  }),
);

export const RELEASE_REASONS = ['lease_expired', 'agent_offline', 'released'] as const;
export type ReleaseReason = (typeof RELEASE_REASONS)[number];

/**
 * Ends the claim of `epoch` (an older or ended claim: nothing happens). The mission goes back to
 * the queue, unassigned: to `column` at `placement` (the service picks To do for work that was in
 * progress), or stays where it is when `column` is its own.
 */
export const releaseClaim = defineCommand(
  'ReleaseClaim',
  z.object({
    missionId: z.uuid(),
    epoch: z.number().int().min(1),
    reason: z.enum(RELEASE_REASONS),
    column,
    placement,
  }),
);

export const addComment = defineCommand(
  'AddComment',
  z.object({
    missionId: z.uuid(),
    commentId: z.uuid(),
    body: multiLineText(z.string().trim().min(1, 'must not be empty').max(20_000)),
    authority,
  }),
);

/**
 * `missionId` waits for `blockerId` (PRODUCT M4). `cycle`: read by the service under the
 * workspace's dependency lock, the titles round the cycle the edge would close (from the mission
 * back to itself), or null when it closes none.
 */
export const addMissionDependency = defineCommand(
  'AddMissionDependency',
  z.object({
    missionId: z.uuid(),
    blockerId: z.uuid(),
    cycle: z.array(z.string()).nullable(),
  }),
);

export const removeMissionDependency = defineCommand(
  'RemoveMissionDependency',
  z.object({ missionId: z.uuid(), blockerId: z.uuid() }),
);

/** Records that the mission's last unfinished blocker is gone; the service knows when. */
export const noteMissionReady = defineCommand(
  'NoteMissionReady',
  z.object({ missionId: z.uuid() }),
);

export type CreateMission = ReturnType<typeof createMission>;
export type UpdateMission = ReturnType<typeof updateMission>;
export type MoveMission = ReturnType<typeof moveMission>;
export type AssignMission = ReturnType<typeof assignMission>;
export type ClaimMission = ReturnType<typeof claimMission>;
export type ReleaseClaim = ReturnType<typeof releaseClaim>;
export type AddComment = ReturnType<typeof addComment>;
export type AddMissionDependency = ReturnType<typeof addMissionDependency>;
export type RemoveMissionDependency = ReturnType<typeof removeMissionDependency>;
export type NoteMissionReady = ReturnType<typeof noteMissionReady>;

export type MissionCommand =
  | CreateMission
  | UpdateMission
  | MoveMission
  | AssignMission
  | ClaimMission
  | ReleaseClaim
  | AddComment
  | AddMissionDependency
  | RemoveMissionDependency
  | NoteMissionReady;
