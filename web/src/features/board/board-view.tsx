'use client';

import {
  type Announcements,
  closestCorners,
  DndContext,
  DragOverlay,
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
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  type BoardColumn,
  BoardColumnPageDocument,
  BoardDocument,
  BoardMissionCardDocument,
  MoveMissionDocument,
} from '../../graphql/generated';
import { useLiveEvents } from '../../lib/live/live-provider';
import { useGraphQL, useSession } from '../../lib/session/session-provider';
import { useAnnounce } from '../../ui/announcer';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { agentsKey, useAgents } from '../agents/use-agents';
import { BlockedBadge } from '../missions/blocked-badge';
import {
  appendPage,
  applyMissionEvent,
  BOARD_COLUMNS,
  BOARD_PAGE_SIZE,
  type BoardColumns,
  type BoardMission,
  type BoardState,
  boardStateOf,
  COLUMN_NAMES,
  columnCountLabel,
  countMissions,
  describeMissionEvent,
  locate,
  missingCards,
  perColumnFor,
  placeMission,
  planMove,
  PRIORITY_NAMES,
  withColumns,
} from './board-model';
import {
  type BoardFilter,
  filterColumns,
  filterFromQuery,
  isFiltered,
  queryWithFilter,
  tagsOf,
  unfilteredIndex,
} from './board-filter';
import { BoardFilters } from './board-filters';
import { readDoneCollapsed, writeDoneCollapsed } from './done-collapse';
import styles from './board.module.css';
import { NewMissionButton } from './new-mission-button';
import { QuickAdd } from './quick-add';

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
  optimistic: BoardState;
};

export function BoardView({ workspaceId }: { workspaceId: string }) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const session = useSession();
  const boardKey = useMemo(() => ['board', workspaceId] as const, [workspaceId]);
  const board = useQuery({
    queryKey: boardKey,
    queryFn: async ({ signal }) => {
      // Fetched again, the board keeps as many missions per column as it already showed.
      const perColumn = perColumnFor(queryClient.getQueryData<BoardState>(boardKey));
      return boardStateOf((await gql(BoardDocument, { workspaceId, perColumn }, signal)).board);
    },
  });
  const agents = useAgents(workspaceId);
  const agentNames = useMemo(
    () => new Map((agents.data ?? []).map((agent) => [agent.id, agent.name])),
    [agents.data],
  );
  const serverColumns = board.data?.columns ?? null;
  // The filter lives in the URL, so a filtered board can be shared and survives a reload.
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filter = useMemo(() => filterFromQuery(searchParams), [searchParams]);
  const setFilter = (next: BoardFilter) =>
    router.replace(`${pathname}${queryWithFilter(searchParams.toString(), next)}`, {
      scroll: false,
    });
  const shownColumns = useMemo(
    () => (serverColumns ? filterColumns(serverColumns, filter) : null),
    [serverColumns, filter],
  );
  const [dragColumns, setDragColumns] = useState<BoardColumns | null>(null);
  const [draggedId, setDraggedId] = useState<string | null>(null);
  const [moveError, setMoveError] = useState<unknown>(null);
  // The board is drawn in the browser only (after its query), so reading storage here is safe.
  const [doneCollapsed, setDoneCollapsed] = useState(() =>
    typeof window === 'undefined' ? false : readDoneCollapsed(window.localStorage, workspaceId),
  );
  const toggleDone = () => {
    writeDoneCollapsed(window.localStorage, workspaceId, !doneCollapsed);
    setDoneCollapsed(!doneCollapsed);
  };
  // What is on screen: the shown cards, as dragged while a drag goes on.
  const columns = dragColumns ?? shownColumns;

  const updateBoard = useCallback(
    (update: (state: BoardState) => BoardState) =>
      queryClient.setQueryData<BoardState>(boardKey, (old) => (old ? update(old) : old)),
    [queryClient, boardKey],
  );

  // One request per column at a time, whether the sentinel or the button asked.
  const loadingColumns = useRef(new Set<BoardColumn>());
  const [loading, setLoading] = useState<ReadonlySet<BoardColumn>>(new Set());
  const [pageErrors, setPageErrors] = useState<Partial<Record<BoardColumn, unknown>>>({});
  const loadMore = useCallback(
    async (column: BoardColumn) => {
      const paging = queryClient.getQueryData<BoardState>(boardKey)?.paging[column];
      if (!paging?.hasNextPage || loadingColumns.current.has(column)) {
        return;
      }
      loadingColumns.current.add(column);
      setLoading(new Set(loadingColumns.current));
      setPageErrors(({ [column]: _cleared, ...rest }) => rest);
      try {
        const { boardColumn } = await gql(BoardColumnPageDocument, {
          workspaceId,
          column,
          first: BOARD_PAGE_SIZE,
          after: paging.endCursor,
        });
        // A board fetched again meanwhile starts over: this page no longer follows it.
        updateBoard((state) =>
          state.paging[column].endCursor === paging.endCursor
            ? appendPage(state, boardColumn)
            : state,
        );
      } catch (error) {
        setPageErrors((errors) => ({ ...errors, [column]: error }));
      } finally {
        loadingColumns.current.delete(column);
        setLoading(new Set(loadingColumns.current));
      }
    },
    [gql, queryClient, boardKey, workspaceId, updateBoard],
  );

  // Cards counted but never loaded that moved into view: fetched one by one, then shown.
  const fetchingCards = useRef(new Set<string>());
  const fetchCard = (missionId: string) => {
    if (fetchingCards.current.has(missionId)) {
      return;
    }
    fetchingCards.current.add(missionId);
    gql(BoardMissionCardDocument, { workspaceId, id: missionId })
      .then(({ mission }) => updateBoard((state) => placeMission(state, mission)))
      .catch(() => queryClient.invalidateQueries({ queryKey: boardKey }))
      .finally(() => fetchingCards.current.delete(missionId));
  };

  const move = useMutation({
    mutationFn: ({ missionId, column, afterId, beforeId }: MoveVariables) =>
      gql(MoveMissionDocument, { workspaceId, missionId, column, afterId, beforeId }),
    onMutate: async ({ optimistic }) => {
      await queryClient.cancelQueries({ queryKey: boardKey });
      const previous = queryClient.getQueryData<BoardState>(boardKey);
      queryClient.setQueryData<BoardState>(boardKey, optimistic);
      setDragColumns(null);
      return { previous };
    },
    // Where it was dropped, even past the loaded part of its column: the person is looking at it.
    onSuccess: ({ moveMission }) =>
      updateBoard((current) => placeMission(current, moveMission, 'always')),
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
    const before = queryClient.getQueryData<BoardState>(boardKey);
    if (!before) {
      return;
    }
    const next = applyMissionEvent(before, event);
    if (next === 'refetch') {
      void queryClient.invalidateQueries({ queryKey: boardKey });
    } else if (next !== 'unchanged') {
      queryClient.setQueryData<BoardState>(boardKey, next);
      missingCards(next).forEach(fetchCard);
    }
    const mine =
      session.status === 'authenticated' && event.actor === `user:${session.user?.id ?? ''}`;
    const message = mine ? null : describeMissionEvent(before.columns, event);
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
    const source = columns;
    const found = source ? locate(source, String(id)) : null;
    return found && source ? source[found.column][found.index]!.title : 'The mission';
  };
  const placeOf = (id: UniqueIdentifier) => {
    const source = columns;
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

  function onDragStart({ active }: DragStartEvent) {
    setMoveError(null);
    setDragColumns(shownColumns);
    setDraggedId(String(active.id));
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

  function onDragEnd(event: DragEndEvent) {
    setDraggedId(null);
    const drop = dropOf(event);
    if (drop) {
      // The dragged layout stays on screen until the optimistic board replaces it (onMutate).
      move.mutate(drop);
    } else {
      setDragColumns(null);
    }
  }

  function dropOf({ active, over }: DragEndEvent): MoveVariables | null {
    const dragged = dragColumns;
    if (!over || !dragged || !serverColumns || !board.data) {
      return null;
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
    // Dropped among the shown cards: placed next to the same neighbours among all of them.
    const plan =
      final &&
      planMove(
        serverColumns,
        missionId,
        final.column,
        unfilteredIndex(
          serverColumns,
          missionId,
          final.column,
          placed[final.column][final.index - 1]?.id ?? null,
          placed[final.column][final.index + 1]?.id ?? null,
        ),
      );
    if (!final || !plan) {
      return null;
    }
    return {
      missionId,
      column: final.column,
      afterId: plan.afterId,
      beforeId: plan.beforeId,
      optimistic: withColumns(board.data, plan.columns),
    };
  }

  // Shown where the person made it, even past the loaded part of its column.
  const onCreated = (mission: BoardMission) => {
    updateBoard((current) => placeMission(current, mission, 'always'));
    announce(`Mission created: ${mission.title}`);
  };

  const total = board.data ? countMissions(board.data) : 0;
  const shownCount = shownColumns
    ? BOARD_COLUMNS.reduce((sum, column) => sum + shownColumns[column].length, 0)
    : 0;
  const draggedAt = columns && draggedId ? locate(columns, draggedId) : null;
  const dragged = draggedAt && columns ? columns[draggedAt.column][draggedAt.index] : undefined;

  return (
    <div className={styles.page}>
      <div className="page-header">
        <div className={styles.heading}>
          <h1>Board</h1>
          {columns && <p className="muted">{total === 1 ? '1 mission' : `${total} missions`}</p>}
        </div>
        <NewMissionButton workspaceId={workspaceId} onCreated={onCreated} />
      </div>
      {columns && total > 0 && (
        <BoardFilters
          filter={filter}
          agents={agents.data ?? []}
          tags={serverColumns ? tagsOf(serverColumns) : []}
          shown={shownCount}
          total={total}
          onChange={setFilter}
        />
      )}
      {moveError !== null && <ErrorNotice error={moveError} />}
      {board.isPending && <p aria-busy="true">Loading the board…</p>}
      {board.isError && <ErrorNotice error={board.error} />}
      {columns && total === 0 && <EmptyState>No missions yet — create one.</EmptyState>}
      {columns && board.data && (
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
          onDragCancel={() => {
            setDragColumns(null);
            setDraggedId(null);
          }}
        >
          <div className={styles.columns} data-done-collapsed={doneCollapsed || undefined}>
            {BOARD_COLUMNS.map((column) => (
              <BoardColumnView
                key={column}
                column={column}
                missions={columns[column]}
                countLabel={columnCountLabel(board.data, column)}
                hasNextPage={board.data.paging[column].hasNextPage}
                totalCount={board.data.paging[column].totalCount}
                loading={loading.has(column)}
                error={pageErrors[column]}
                onLoadMore={() => void loadMore(column)}
                agentNames={agentNames}
                workspaceId={workspaceId}
                onCreated={onCreated}
                filtered={isFiltered(filter)}
                collapse={
                  column === 'DONE' ? { collapsed: doneCollapsed, toggle: toggleDone } : undefined
                }
              />
            ))}
          </div>
          <DragOverlay>
            {dragged && (
              <DraggedCard
                mission={dragged}
                assignee={
                  dragged.assigneeAgentId
                    ? (agentNames.get(dragged.assigneeAgentId) ?? 'Unknown agent')
                    : null
                }
              />
            )}
          </DragOverlay>
        </DndContext>
      )}
    </div>
  );
}

function BoardColumnView({
  column,
  missions,
  countLabel,
  hasNextPage,
  totalCount,
  loading,
  error,
  onLoadMore,
  agentNames,
  workspaceId,
  onCreated,
  collapse,
  filtered,
}: {
  column: BoardColumn;
  missions: BoardMission[];
  /** "20 of 1,240" while part of the column is loaded. */
  countLabel: string;
  hasNextPage: boolean;
  totalCount: number;
  loading: boolean;
  error: unknown;
  onLoadMore: () => void;
  agentNames: Map<string, string>;
  workspaceId: string;
  onCreated: (mission: BoardMission) => void;
  /** For a column that folds away (Done). */
  collapse?: { collapsed: boolean; toggle: () => void };
  filtered: boolean;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: columnDropId(column) });
  // The column scrolls on its own: the sentinel watches for the end of this box, not the page.
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  const dropZoneRef = useCallback(
    (node: HTMLDivElement | null) => {
      setNodeRef(node);
      setScroller(node);
    },
    [setNodeRef],
  );
  const name = COLUMN_NAMES[column];
  const heading = (
    <h2 className={styles.columnHeading}>
      <span>{name}</span>
      <span className="visually-hidden"> · </span>
      <span className={styles.count}>{countLabel}</span>
    </h2>
  );
  const dropZoneId = `board-${column}-cards`;
  if (collapse?.collapsed) {
    // Folded: still a place to drop a card, at the end of the column.
    return (
      <section
        aria-label={name}
        className={`${styles.column} ${styles.collapsed}`}
        data-column={column}
      >
        <div className={styles.columnHead}>
          {heading}
          <CollapseToggle name={name} collapse={collapse} controls={dropZoneId} />
        </div>
        <div ref={dropZoneRef} className={`${styles.dropZone} ${isOver ? styles.over : ''}`}>
          <p className={styles.emptyColumn}>Hidden</p>
        </div>
      </section>
    );
  }
  return (
    <section aria-label={name} className={styles.column} data-column={column}>
      {collapse ? (
        <div className={styles.columnHead}>
          {heading}
          <CollapseToggle name={name} collapse={collapse} controls={dropZoneId} />
        </div>
      ) : (
        heading
      )}
      <SortableContext
        id={columnDropId(column)}
        items={missions.map((mission) => mission.id)}
        strategy={verticalListSortingStrategy}
      >
        <div
          ref={dropZoneRef}
          id={dropZoneId}
          className={`${styles.dropZone} ${isOver ? styles.over : ''}`}
        >
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
                runner={
                  mission.activeRun
                    ? (agentNames.get(mission.activeRun.agentId) ?? 'An agent')
                    : null
                }
                workspaceId={workspaceId}
              />
            ))}
          </ol>
          {missions.length === 0 && (totalCount === 0 || (filtered && !hasNextPage)) && (
            <p className={styles.emptyColumn}>
              {totalCount === 0 ? 'No missions' : 'None match the filters'}
            </p>
          )}
          {hasNextPage && (
            <div className={styles.more}>
              {!loading && error === undefined && (
                <LoadMoreSentinel root={scroller} onVisible={onLoadMore} loaded={missions.length} />
              )}
              {error !== undefined && <ErrorNotice error={error} />}
              <button
                type="button"
                className="button button-small"
                onClick={onLoadMore}
                disabled={loading}
              >
                {loading ? (
                  'Loading…'
                ) : (
                  <>
                    Load more<span className="visually-hidden"> {name} missions</span>
                  </>
                )}
              </button>
            </div>
          )}
        </div>
      </SortableContext>
      <QuickAdd workspaceId={workspaceId} column={column} onCreated={onCreated} />
    </section>
  );
}

function CollapseToggle({
  name,
  collapse,
  controls,
}: {
  name: string;
  collapse: { collapsed: boolean; toggle: () => void };
  controls: string;
}) {
  return (
    <button
      type="button"
      className="button button-quiet button-small"
      aria-expanded={!collapse.collapsed}
      aria-controls={collapse.collapsed ? undefined : controls}
      onClick={collapse.toggle}
    >
      {collapse.collapsed ? 'Show' : 'Hide'}
      <span className="visually-hidden"> {name} missions</span>
    </button>
  );
}

/**
 * Asks for the next page when it comes within reach of the end of the column's scroll box. Made
 * again after each page (`loaded`), so a page that leaves it still in view asks for another.
 */
function LoadMoreSentinel({
  root,
  onVisible,
  loaded,
}: {
  root: HTMLElement | null;
  onVisible: () => void;
  loaded: number;
}) {
  const target = useRef<HTMLDivElement>(null);
  const latest = useRef(onVisible);
  useEffect(() => {
    latest.current = onVisible;
  });
  useEffect(() => {
    const element = target.current;
    if (!element || !root || typeof IntersectionObserver === 'undefined') {
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          latest.current();
        }
      },
      { root, rootMargin: '0px 0px 240px 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [root, loaded]);
  return <div ref={target} className={styles.sentinel} aria-hidden="true" />;
}

function MissionCard({
  mission,
  assignee,
  runner,
  workspaceId,
}: {
  mission: BoardMission;
  assignee: string | null;
  /** Who runs it now, when a run is going on. */
  runner: string | null;
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
      <CardFace
        mission={mission}
        assignee={assignee}
        running={
          mission.activeRun && (
            <Link
              href={`/w/${workspaceId}/runs/${mission.activeRun.id}`}
              className={styles.running}
              aria-label={`Running, by ${runner}`}
            >
              <span aria-hidden="true" className={styles.pulse} />
              <span>Running · {runner}</span>
            </Link>
          )
        }
        title={
          <Link href={`/w/${workspaceId}/missions/${mission.id}`} className={styles.cardTitle}>
            {mission.title}
          </Link>
        }
        handle={
          <button
            type="button"
            ref={setActivatorNodeRef}
            {...attributes}
            {...listeners}
            className={styles.handle}
            aria-label={`Move ${mission.title}`}
          >
            <HandleIcon />
          </button>
        }
      />
    </li>
  );
}

/**
 * The card under the pointer while it is dragged. Drawn above the board, so the scroll box of a
 * column does not clip it on its way to another; the card itself stays in the list as a ghost.
 */
function DraggedCard({ mission, assignee }: { mission: BoardMission; assignee: string | null }) {
  return (
    <div className={`${styles.card} ${styles.lifted}`} aria-hidden="true">
      <CardFace
        mission={mission}
        assignee={assignee}
        running={
          mission.activeRun && (
            <span className={styles.running}>
              <span className={styles.pulse} />
              Running
            </span>
          )
        }
        title={<span className={styles.cardTitle}>{mission.title}</span>}
        handle={
          <span className={styles.handle}>
            <HandleIcon />
          </span>
        }
      />
    </div>
  );
}

function CardFace({
  mission,
  assignee,
  running,
  title,
  handle,
}: {
  mission: BoardMission;
  assignee: string | null;
  running: ReactNode;
  title: ReactNode;
  handle: ReactNode;
}) {
  return (
    <>
      <div className={styles.cardTop}>
        {title}
        {handle}
      </div>
      <div className={styles.meta}>
        <span className={`${styles.priority} ${styles[`priority${mission.priority}`]}`}>
          <span className="visually-hidden">Priority: </span>
          {PRIORITY_NAMES[mission.priority]}
        </span>
        <BlockedBadge missionId={mission.id} />
        {mission.tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}
          </span>
        ))}
      </div>
      <div className={styles.cardBottom}>
        <p className={styles.assignee}>
          <span className="visually-hidden">Assignee: </span>
          {assignee ?? 'Unassigned'}
        </p>
        {running}
      </div>
    </>
  );
}

function HandleIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 12 18" width="10" height="15">
      {[3, 9].map((x) => [3, 9, 15].map((y) => <circle key={`${x}-${y}`} cx={x} cy={y} r="1.6" />))}
    </svg>
  );
}
