import { z } from 'zod';
import { defineCommand, singleLineText } from '@mission-control/eventing';

export const HOST_KINDS = ['server', 'container'] as const;
export type HostKind = (typeof HOST_KINDS)[number];

const text = (max: number) => singleLineText(z.string().trim().max(max));
const required = (max: number) =>
  singleLineText(z.string().trim().min(1, 'must not be empty').max(max));
// Byte counts travel as GraphQL Floats: whole, not negative, and exact (below 2^53).
const bytes = z
  .number()
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(Number.MAX_SAFE_INTEGER);
const containerStatus = text(50);

/** What a runner says of the host it runs on; the same description again is no change. */
export const hostDescription = z.object({
  hostname: required(255),
  kind: z.enum(HOST_KINDS),
  os: text(100),
  arch: text(50),
  cpuCount: z.number().int('must be a whole number').min(1, 'must be at least 1').max(65_536),
  memoryBytes: bytes,
  runnerVersion: text(50),
});
export type HostDescription = z.output<typeof hostDescription>;

/** The host's key is the runner's: one key is one host of the workspace for as long as it exists. */
export const hostKey = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/**
 * A runner (through one of its agents) reports the host it runs on: registers it the first time,
 * records what changed after. `containerStatus` left out keeps the one recorded.
 */
export const reportHost = defineCommand(
  'ReportHost',
  hostDescription.extend({
    hostId: z.uuid(),
    hostKey,
    containerStatus: containerStatus.optional(),
  }),
);

/** The calling agent runs on the host; `currentHostId` is where it is now (null: nowhere). */
export const placeAgentOnHost = defineCommand(
  'PlaceAgentOnHost',
  z.object({ hostId: z.uuid(), agentId: z.uuid(), currentHostId: z.uuid().nullable() }),
);

/** One sample of the host's resource usage. */
export const recordHostSample = defineCommand(
  'RecordHostSample',
  z
    .object({
      hostId: z.uuid(),
      cpuPercent: z.number().min(0, 'must not be negative').max(100, 'must be at most 100'),
      memoryUsedBytes: bytes,
      diskUsedBytes: bytes,
      diskTotalBytes: bytes,
      containerStatus: containerStatus.optional(),
    })
    .refine((sample) => sample.diskUsedBytes <= sample.diskTotalBytes, {
      path: ['diskUsedBytes'],
      message: 'must not exceed diskTotalBytes',
    }),
);

export const removeHost = defineCommand('RemoveHost', z.object({ hostId: z.uuid() }));

export type ReportHost = ReturnType<typeof reportHost>;
export type PlaceAgentOnHost = ReturnType<typeof placeAgentOnHost>;
export type RecordHostSample = ReturnType<typeof recordHostSample>;
export type RemoveHost = ReturnType<typeof removeHost>;

export type HostCommand = ReportHost | PlaceAgentOnHost | RecordHostSample | RemoveHost;
