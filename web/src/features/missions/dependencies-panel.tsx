'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useId, useState } from 'react';
import {
  AddMissionDependencyDocument,
  type MissionDependencyFragment,
  MissionPickerDocument,
  RemoveMissionDependencyDocument,
} from '../../graphql/generated';
import { useGraphQL } from '../../lib/session/session-provider';
import { useAnnounce } from '../../ui/announcer';
import { ErrorNotice } from '../../ui/error-notice';
import { COLUMN_NAMES } from '../board/board-model';
import styles from './mission.module.css';

export type DependencyChange = { isBlocked: boolean; dependencies: MissionDependencyFragment[] };

/**
 * "Blocked by" (PRODUCT M4): the missions this one waits for, each linked, with a way to add one
 * (picked from the workspace's missions) and to remove one. While any is not done, the mission is
 * blocked and no agent is offered it.
 */
export function DependenciesPanel({
  workspaceId,
  missionId,
  isBlocked,
  dependencies,
  onChanged,
}: {
  workspaceId: string;
  missionId: string;
  isBlocked: boolean;
  dependencies: MissionDependencyFragment[];
  onChanged: (change: DependencyChange) => void;
}) {
  const gql = useGraphQL();
  const announce = useAnnounce();
  const id = useId();
  const [blockerId, setBlockerId] = useState('');
  const candidates = useQuery({
    queryKey: ['mission-picker', workspaceId],
    queryFn: ({ signal }) => gql(MissionPickerDocument, { workspaceId }, signal),
    select: (data) =>
      data.board.columns.flatMap((column) =>
        column.missions.map((mission) => ({ ...mission, column: column.column })),
      ),
  });
  const add = useMutation({
    mutationFn: (blocker: string) =>
      gql(AddMissionDependencyDocument, { workspaceId, missionId, blockerId: blocker }),
    onSuccess: ({ addMissionDependency }) => {
      onChanged(addMissionDependency);
      setBlockerId('');
      announce('Blocker added');
    },
  });
  const remove = useMutation({
    mutationFn: (blocker: string) =>
      gql(RemoveMissionDependencyDocument, { workspaceId, missionId, blockerId: blocker }),
    onSuccess: ({ removeMissionDependency }) => {
      onChanged(removeMissionDependency);
      announce('Blocker removed');
    },
  });

  const taken = new Set([missionId, ...dependencies.map((dependency) => dependency.id)]);
  const options = (candidates.data ?? []).filter((mission) => !taken.has(mission.id));
  const unfinished = dependencies.filter((dependency) => dependency.column !== 'DONE').length;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    remove.reset();
    if (blockerId) {
      add.mutate(blockerId);
    }
  }

  return (
    <section aria-labelledby={`${id}-heading`} className="panel">
      <h2 id={`${id}-heading`}>Blocked by</h2>
      {isBlocked ? (
        <p>
          <span className="badge">Blocked</span> Waits for {unfinished}{' '}
          {unfinished === 1 ? 'mission' : 'missions'} not done yet: no agent is offered it until
          then.
        </p>
      ) : dependencies.length > 0 ? (
        <p className="muted">Everything it waits for is done.</p>
      ) : (
        <p className="muted">It waits for no other mission.</p>
      )}
      {dependencies.length > 0 && (
        <ul className={styles.dependencies}>
          {dependencies.map((dependency) => (
            <li key={dependency.id}>
              <Link href={`/w/${workspaceId}/missions/${dependency.id}`}>{dependency.title}</Link>
              <span className="badge">{COLUMN_NAMES[dependency.column]}</span>
              <button
                type="button"
                className="button"
                disabled={remove.isPending}
                aria-label={`Remove blocker ${dependency.title}`}
                onClick={() => {
                  add.reset();
                  remove.mutate(dependency.id);
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor={`${id}-blocker`}>Add a blocker</label>
          <select
            id={`${id}-blocker`}
            value={blockerId}
            disabled={candidates.isPending}
            onChange={(event) => setBlockerId(event.target.value)}
          >
            <option value="">Choose a mission…</option>
            {options.map((mission) => (
              <option key={mission.id} value={mission.id}>
                {mission.title} ({COLUMN_NAMES[mission.column]})
              </option>
            ))}
          </select>
          <span className="hint">This mission will wait until the one you choose is done.</span>
        </div>
        <div>
          <button
            type="submit"
            className="button button-primary"
            disabled={!blockerId || add.isPending}
          >
            {add.isPending ? 'Adding…' : 'Add blocker'}
          </button>
        </div>
      </form>
      {candidates.isError && <ErrorNotice error={candidates.error} />}
      {add.isError && <ErrorNotice error={add.error} />}
      {remove.isError && <ErrorNotice error={remove.error} />}
    </section>
  );
}
