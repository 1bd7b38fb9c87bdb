import type { BoardColumn } from '../../graphql/generated';
import { enumValue } from '../../lib/live/live-event';
import { BOARD_COLUMNS, COLUMN_NAMES, PRIORITIES, PRIORITY_NAMES } from '../board/board-model';

export type TimelineEntry = {
  type: string;
  actorKind: string;
  actorId: string;
  data: Record<string, unknown>;
};

/** Display names of the people and agents of a workspace, by id. */
export type Directory = { users: Map<string, string>; agents: Map<string, string> };

export function nameOf(directory: Directory, kind: string, id: string): string {
  switch (kind) {
    case 'agent':
      return directory.agents.get(id) ?? 'An agent';
    case 'user':
      return directory.users.get(id) ?? 'Someone';
    case 'system':
      return 'Mission Control';
    default:
      return 'Someone';
  }
}

const columnName = (value: unknown): string | null => {
  const column: BoardColumn | null = enumValue(value, 'BOARD_COLUMN_', BOARD_COLUMNS);
  return column ? COLUMN_NAMES[column] : null;
};

/** One line of a mission's history, in words: "Ada moved it to Review". */
export function describeTimelineEntry(entry: TimelineEntry, directory: Directory): string {
  const who = nameOf(directory, entry.actorKind, entry.actorId);
  const { data } = entry;
  switch (entry.type) {
    case 'mission.v1.MissionCreated': {
      const column = columnName(data.column);
      return column && column !== COLUMN_NAMES.BACKLOG
        ? `${who} created it in ${column}`
        : `${who} created it`;
    }
    case 'mission.v1.MissionMoved': {
      const to = columnName(data.toColumn);
      const from = columnName(data.fromColumn);
      if (to && from && to === from) {
        return `${who} reordered it within ${to}`;
      }
      return to ? `${who} moved it to ${to}` : `${who} moved it`;
    }
    case 'mission.v1.MissionAssigned': {
      const { agentId } = data;
      return typeof agentId === 'string' && agentId !== ''
        ? `${who} assigned it to ${nameOf(directory, 'agent', agentId)}`
        : `${who} unassigned it`;
    }
    case 'mission.v1.MissionClaimed':
      return `${who} claimed it`;
    case 'mission.v1.MissionReleased': {
      const agent =
        typeof data.agentId === 'string' ? nameOf(directory, 'agent', data.agentId) : 'Its agent';
      // The workspace's work policy may hold lapsed work in Blocked instead of offering it again.
      const where =
        columnName(data.toColumn) === COLUMN_NAMES.BLOCKED
          ? 'it went to Blocked for a person to look at'
          : 'it is back in the queue';
      switch (data.reason) {
        case 'lease_expired':
          return `${agent}’s claim lapsed (no sign of life); ${where}`;
        case 'agent_offline':
          return `${agent} went offline; ${where}`;
        default:
          return `${agent} gave it back`;
      }
    }
    case 'mission.v1.MissionUpdated': {
      const priority = enumValue(data.priority, 'PRIORITY_', PRIORITIES);
      return priority
        ? `${who} edited it (priority ${PRIORITY_NAMES[priority].toLowerCase()})`
        : `${who} edited it`;
    }
    case 'mission.v1.CommentAdded':
      return `${who} commented`;
    case 'mission.v1.MissionDependencyAdded':
      return `${who} added a blocker`;
    case 'mission.v1.MissionDependencyRemoved':
      return `${who} removed a blocker`;
    case 'mission.v1.MissionBecameReady':
      return 'Nothing blocks it any more: it is ready';
    default: {
      const name = entry.type.split('.').pop() ?? entry.type;
      return `${who}: ${name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`;
    }
  }
}

type MarkdownNode = { type: string; value?: unknown; children?: MarkdownNode[] };

/**
 * A remark plugin that turns raw HTML in markdown into plain text: people see what was written,
 * and nothing in it is ever interpreted as markup.
 */
export function htmlAsText() {
  const walk = (node: MarkdownNode): void => {
    if (node.type === 'html') {
      node.type = 'text';
    }
    node.children?.forEach(walk);
  };
  return (tree: MarkdownNode) => walk(tree);
}
