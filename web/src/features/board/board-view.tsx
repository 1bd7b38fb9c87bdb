'use client';

import {
  type Announcements,
  closestCorners,
  DndContext,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
  KeyboardSensor,
  PointerSensor,
  type UniqueIdentifier,
  useDroppable,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import {
  arrayMove,
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import {
  type BoardColumn,
  BoardDocument,
  type BoardQuery,
  MoveMissionDocument,
} from '../../graphql/generated';
import { useLiveEvents } from '../../lib/live/live-provider';
import { useGraphQL, useSession } from '../../lib/session/session-provider';
import { useAnnounce } from '../../ui/announcer';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { agentsKey, useAgents } from '../agents/use-agents';
import {
  applyMissionEvent,
  BOARD_COLUMNS,
  type BoardColumns,
  type BoardMission,
  COLUMN_NAMES,
  columnsOf,
  countMissions,
  describeMissionEvent,
  locate,
  planMove,
  PRIORITY_NAMES,
  toBoard,
  upsertByRank,
} from './board-model';
import styles from './board.module.css';
import { CreateMissionForm } from './create-mission-form';

const COLUMN_ID_PREFIX = 'column:';
const columnDropId = (column: BoardColumn) => `${COLUMN_ID_PREFIX}${column}`;

/** The column a drag target stands for: a column itself, or the column of the card under it. */
function containerOf(columns: BoardColumns, id: UniqueIdentifier): BoardColumn | null {
  const key = String(id);
  if (key.startsWith(COLUMN_ID_PREFIX)) {
    const column = key.slice(COLUMN_ID_PREFIX.length);
    return (BOARD_COLUMNS as readonly string[]).includes(column) ? (column as BoardColumn) : null;
  }
  return locate(columns, key)?.column ?? null;
}

type MoveVariables = {
  missionId: string;
  column: BoardColumn;
  afterId: string | null;
  beforeId: string | null;
  optimistic: BoardColumns;
};

export function BoardView({ workspaceId }: { workspaceId: string }) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const session = useSession();
  const boardKey = useMemo(() => ['board', workspaceId] as const, [workspaceId]);
  const board = useQuery({
    queryKey: boardKey,
    queryFn: ({ signal }) => gql(BoardDocument, { workspaceId }, signal),
  });
  const agents = useAgents(workspaceId);
  const agentNames = useMemo(
    () => new Map((agents.data ?? []).map((agent) => [agent.id, agent.name])),
    [agents.data],
  );
  const serverColumns = useMemo(
    () => (board.data ? columnsOf(board.data.board) : null),
    [board.data],
  );
  const [dragColumns, setDragColumns] = useState<BoardColumns | null>(null);
  const [moveError, setMoveError] = useState<unknown>(null);
  const columns = dragColumns ?? serverColumns;

  const updateBoard = (update: (columns: BoardColumns) => BoardColumns) =>
    queryClient.setQueryData<BoardQuery>(boardKey, (old) =>
      old ? { board: toBoard(workspaceId, update(columnsOf(old.board))) } : old,
    );

  const move = useMutation({
    mutationFn: ({ missionId, column, afterId, beforeId }: MoveVariables) =>
      gql(MoveMissionDocument, { workspaceId, missionId, column, afterId, beforeId }),
    onMutate: async ({ optimistic }) => {
      await queryClient.cancelQueries({ queryKey: boardKey });
      const previous = queryClient.getQueryData<BoardQuery>(boardKey);
      queryClient.setQueryData<BoardQuery>(boardKey, {
        board: toBoard(workspaceId, optimistic),
      });
      return { previous };
    },
    onSuccess: ({ moveMission }) => updateBoard((current) => upsertByRank(current, moveMission)),
    onError: (error, _variables, context) => {
      if (context?.previous) {
        queryClient.setQueryData(boardKey, context.previous);
      }
      setMoveError(error);
      announce('The move failed; the mission is back where it was.');
      // Whatever changed meanwhile is fetched again rather than guessed.
      void queryClient.invalidateQueries({ queryKey: boardKey });
    },
  });

  useLiveEvents((event) => {
    if (event.type === 'agent.v1.AgentRegistered' || event.type === 'agent.v1.AgentUpdated') {
      void queryClient.invalidateQueries({ queryKey: agentsKey(workspaceId) });
      return;
    }
    if (!event.type.startsWith('mission.v1.')) {
      return;
    }
    const current = queryClient.getQueryData<BoardQuery>(boardKey);
    if (!current) {
      return;
    }
    const before = columnsOf(current.board);
    const next = applyMissionEvent(before, event);
    if (next === 'refetch') {
      void queryClient.invalidateQueries({ queryKey: boardKey });
    } else if (next !== 'unchanged') {
      queryClient.setQueryData<BoardQuery>(boardKey, { board: toBoard(workspaceId, next) });
    }
    const mine =
      session.status === 'authenticated' && event.actor === `user:${session.user?.id ?? ''}`;
    const message = mine ? null : describeMissionEvent(before, event);
    if (message) {
      announce(message);
    }
  });

  const sensors = useSensors(
    // A short distance keeps a click on the handle from starting a drag.
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const titleOf = (id: UniqueIdentifier) => {
    const source = columns ?? serverColumns;
    const found = source ? locate(source, String(id)) : null;
    return found && source ? source[found.column][found.index]!.title : 'The mission';
  };
  const placeOf = (id: UniqueIdentifier) => {
    const source = dragColumns ?? serverColumns;
    if (!source) {
      return '';
    }
    const column = containerOf(source, id);
    if (!column) {
      return '';
    }
    const found = locate(source, String(id));
    return found
      ? `${COLUMN_NAMES[column]}, position ${found.index + 1} of ${source[column].length}`
      : COLUMN_NAMES[column];
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${titleOf(active.id)}, in ${placeOf(active.id)}.`,
    onDragOver: ({ active, over }) =>
      over
        ? `${titleOf(active.id)} is over ${placeOf(over.id)}.`
        : `${titleOf(active.id)} is not over a column.`,
    onDragEnd: ({ active, over }) =>
      over
        ? `${titleOf(active.id)} dropped in ${placeOf(active.id)}.`
        : `${titleOf(active.id)} was put back.`,
    onDragCancel: ({ active }) => `Moving ${titleOf(active.id)} was cancelled.`,
  };

  function onDragStart(_event: DragStartEvent) {
    setMoveError(null);
    setDragColumns(serverColumns);
  }

  // Crossing into another column moves the card there at once, so it can be placed precisely.
  function onDragOver({ active, over }: DragOverEvent) {
    if (!over) {
      return;
    }
    setDragColumns((current) => {
      if (!current) {
        return current;
      }
      const from = containerOf(current, active.id);
      const to = containerOf(current, over.id);
      if (!from || !to || from === to) {
        return current;
      }
      const overIndex = current[to].findIndex((mission) => mission.id === String(over.id));
      const translated = active.rect.current.translated;
      const below = translated !== null && translated.top > over.rect.top + over.rect.height / 2;
      const index = overIndex >= 0 ? overIndex + (below ? 1 : 0) : current[to].length;
      return planMove(current, String(active.id), to, index)?.columns ?? current;
    });
  }

  function onDragEnd({ active, over }: DragEndEvent) {
    const dragged = dragColumns;
    setDragColumns(null);
    if (!over || !dragged || !serverColumns) {
      return;
    }
    const missionId = String(active.id);
    let placed = dragged;
    const at = locate(dragged, missionId);
    const to = containerOf(dragged, over.id);
    if (at && to === at.column && !String(over.id).startsWith(COLUMN_ID_PREFIX)) {
      const overIndex = dragged[to].findIndex((mission) => mission.id === String(over.id));
      if (overIndex >= 0 && overIndex !== at.index) {
        placed = { ...dragged, [to]: arrayMove(dragged[to], at.index, overIndex) };
      }
    }
    const final = locate(placed, missionId);
    if (!final) {
      return;
    }
    const plan = planMove(serverColumns, missionId, final.column, final.index);
    if (!plan) {
      return;
    }
    move.mutate({
      missionId,
      column: final.column,
      afterId: plan.afterId,
      beforeId: plan.beforeId,
      optimistic: plan.columns,
    });
  }

  const total = columns ? countMissions(columns) : 0;

  return (
    <div className={styles.page}>
      <div className="page-header">
        <h1>Board</h1>
        {columns && <p className="muted">{total === 1 ? '1 mission' : `${total} missions`}</p>}
      </div>
      <CreateMissionForm
        workspaceId={workspaceId}
        onCreated={(mission) => {
          updateBoard((current) => upsertByRank(current, mission));
          announce(`Mission created: ${mission.title}`);
        }}
      />
      {moveError !== null && <ErrorNotice error={moveError} />}
      {board.isPending && <p aria-busy="true">Loading the board…</p>}
      {board.isError && <ErrorNotice error={board.error} />}
      {columns && total === 0 && <EmptyState>No missions yet — create one.</EmptyState>}
      {columns && (
        <DndContext
          sensors={sensors}
          collisionDetection={closestCorners}
          accessibility={{
            announcements,
            screenReaderInstructions: {
              draggable:
                'To move a mission, press Space or Enter on its move handle, use the arrow keys to move it within and between columns, then Space or Enter to drop it, or Escape to cancel.',
            },
          }}
          onDragStart={onDragStart}
          onDragOver={onDragOver}
          onDragEnd={onDragEnd}
          onDragCancel={() => setDragColumns(null)}
        >
          <div className={styles.columns}>
            {BOARD_COLUMNS.map((column) => (
              <BoardColumnView
                key={column}
                column={column}
                missions={columns[column]}
                agentNames={agentNames}
                workspaceId={workspaceId}
              />
            ))}
          </div>
        </DndContext>
      )}
    </div>
  );
}

function BoardColumnView({
  column,
  missions,
  agentNames,
  workspaceId,
}: {
  column: BoardColumn;
  missions: BoardMission[];
  agentNames: Map<string, string>;
  workspaceId: string;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: columnDropId(column) });
  const name = COLUMN_NAMES[column];
  return (
    <section aria-label={name} className={styles.column} data-column={column}>
      <h2 className={styles.columnHeading}>
        <span>{name}</span>
        <span className={styles.count} aria-hidden="true">
          {missions.length}
        </span>
      </h2>
      <SortableContext
        id={columnDropId(column)}
        items={missions.map((mission) => mission.id)}
        strategy={verticalListSortingStrategy}
      >
        <div ref={setNodeRef} className={`${styles.dropZone} ${isOver ? styles.over : ''}`}>
          <ol aria-label={name} className={styles.cards}>
            {missions.map((mission) => (
              <MissionCard
                key={mission.id}
                mission={mission}
                assignee={
                  mission.assigneeAgentId
                    ? (agentNames.get(mission.assigneeAgentId) ?? 'Unknown agent')
                    : null
                }
                workspaceId={workspaceId}
              />
            ))}
          </ol>
          {missions.length === 0 && <p className={styles.emptyColumn}>No missions</p>}
        </div>
      </SortableContext>
    </section>
  );
}

function MissionCard({
  mission,
  assignee,
  workspaceId,
}: {
  mission: BoardMission;
  assignee: string | null;
  workspaceId: string;
}) {
  const {
    attributes,
    listeners,
    setNodeRef,
    setActivatorNodeRef,
    transform,
    transition,
    isDragging,
  } = useSortable({ id: mission.id });
  return (
    <li
      ref={setNodeRef}
      aria-label={mission.title}
      className={`${styles.card} ${isDragging ? styles.dragging : ''}`}
      style={{ transform: CSS.Translate.toString(transform), transition }}
    >
      <div className={styles.cardTop}>
        <Link href={`/w/${workspaceId}/missions/${mission.id}`} className={styles.cardTitle}>
          {mission.title}
        </Link>
        <button
          type="button"
          ref={setActivatorNodeRef}
          {...attributes}
          {...listeners}
          className={styles.handle}
          aria-label={`Move ${mission.title}`}
        >
          <svg aria-hidden="true" viewBox="0 0 12 18" width="10" height="15">
            {[3, 9].map((x) =>
              [3, 9, 15].map((y) => <circle key={`${x}-${y}`} cx={x} cy={y} r="1.6" />),
            )}
          </svg>
        </button>
      </div>
      <div className={styles.meta}>
        <span className={`${styles.priority} ${styles[`priority${mission.priority}`]}`}>
          <span className="visually-hidden">Priority: </span>
          {PRIORITY_NAMES[mission.priority]}
        </span>
        {mission.tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}
          </span>
        ))}
      </div>
      <p className={styles.assignee}>
        <span className="visually-hidden">Assignee: </span>
        {assignee ?? 'Unassigned'}
      </p>
    </li>
  );
}
