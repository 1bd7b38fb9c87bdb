import { z } from 'zod';
import { assertNever, defineCommand, type Decider } from '@mission-control/eventing';
import { domainEvent, missionV1, type DomainEvent } from '@mission-control/proto';

/** What happens to work in progress whose claim lapsed: offered again, or held for a person. */
export const LAPSED_CLAIM_ACTIONS = ['requeue', 'block'] as const;
export type LapsedClaimAction = (typeof LAPSED_CLAIM_ACTIONS)[number];

export type WorkPolicy = { lapsedClaims: LapsedClaimAction };

/** A workspace that never set a policy: lapsed work goes back to To do. */
export const DEFAULT_WORK_POLICY: WorkPolicy = { lapsedClaims: 'requeue' };

export const setWorkPolicy = defineCommand(
  'SetWorkPolicy',
  z.object({ lapsedClaims: z.enum(LAPSED_CLAIM_ACTIONS) }),
);
export type WorkPolicyCommand = ReturnType<typeof setWorkPolicy>;
export type WorkPolicyEvent = Extract<DomainEvent, { type: 'mission.v1.WorkPolicySet' }>;

export const workPolicyStreamId = (workspaceId: string): string => `work-policy-${workspaceId}`;

const ACTION = {
  requeue: missionV1.LapsedClaimAction.REQUEUE,
  block: missionV1.LapsedClaimAction.BLOCK,
};

/** Unspecified (an event older than the field) reads as the default. */
export const fromProtoAction = (value: missionV1.LapsedClaimAction): LapsedClaimAction =>
  value === missionV1.LapsedClaimAction.BLOCK ? 'block' : 'requeue';

/** A workspace's work policy (stream `work-policy-<workspace>`): setting what it is already is no event. */
export const workPolicyDecider: Decider<WorkPolicyCommand, WorkPolicyEvent, WorkPolicy> = {
  initialState: DEFAULT_WORK_POLICY,

  decide(command, state) {
    switch (command.type) {
      case 'SetWorkPolicy':
        return command.data.lapsedClaims === state.lapsedClaims
          ? []
          : [
              domainEvent('mission.v1.WorkPolicySet', {
                lapsedClaims: ACTION[command.data.lapsedClaims],
              }),
            ];
      default:
        return assertNever(command.type, 'command');
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'mission.v1.WorkPolicySet':
        return { ...state, lapsedClaims: fromProtoAction(event.data.lapsedClaims) };
      default:
        return assertNever(event.type, 'event');
    }
  },
};
