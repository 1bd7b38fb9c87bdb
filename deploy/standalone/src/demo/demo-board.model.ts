/** What the demo reads from the API: the board, the roster and budgets, in the schema's own values. */

export const BOARD_COLUMNS = [
  'BACKLOG',
  'TODO',
  'IN_PROGRESS',
  'REVIEW',
  'DONE',
  'BLOCKED',
] as const;
export type BoardColumn = (typeof BOARD_COLUMNS)[number];

export const MISSION_PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const;
export type MissionPriority = (typeof MISSION_PRIORITIES)[number];

export type AgentStatus = 'INACTIVE' | 'IDLE' | 'BUSY' | 'OFFLINE' | 'ERROR';

/** A card as the board query returns it, flattened: the list keeps column and rank order. */
export type BoardMission = {
  id: string;
  title: string;
  column: BoardColumn;
  priority: MissionPriority;
  tags: readonly string[];
  assigneeAgentId: string | null;
  claimedBy: string | null;
  updatedAt: string;
};

export type RosterAgent = {
  id: string;
  name: string;
  status: AgentStatus;
  capabilities: readonly string[];
};

export type BudgetStanding = 'OK' | 'WARNING' | 'EXCEEDED' | 'RESUMED';

/** A budget as the commander looks at it; `agentId` null: it counts every run of the workspace. */
export type BudgetView = {
  id: string;
  name: string;
  agentId: string | null;
  standing: BudgetStanding;
};

const PRIORITY_WEIGHT: Record<MissionPriority, number> = { URGENT: 3, HIGH: 2, MEDIUM: 1, LOW: 0 };

/** Most urgent first; equal priorities keep their board order (Array#sort is stable). */
export const byUrgency = (missions: readonly BoardMission[]): BoardMission[] =>
  [...missions].sort((a, b) => PRIORITY_WEIGHT[b.priority] - PRIORITY_WEIGHT[a.priority]);

/** Cards someone still has to finish; BLOCKED cards wait for a person and count as open. */
export const isOpen = (mission: BoardMission): boolean => mission.column !== 'DONE';

/** Cards an agent can move forward (a person parked BLOCKED ones). */
export const isWorkable = (mission: BoardMission): boolean =>
  mission.column !== 'DONE' && mission.column !== 'BLOCKED';

export function assertNever(value: never, what: string): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
