'use client';

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId } from 'react';
import {
  type BoardColumn,
  CreateMissionDocument,
  type MissionPriority,
} from '../../graphql/generated';
import { useGraphQL } from '../../lib/session/session-provider';
import { ErrorNotice } from '../../ui/error-notice';
import {
  BOARD_COLUMNS,
  type BoardMission,
  COLUMN_NAMES,
  parseTags,
  PRIORITIES,
  PRIORITY_NAMES,
} from './board-model';
import styles from './board.module.css';
import { formText } from '../../lib/forms/form-text';

/** The whole new-mission form, shown in the board's "New mission" dialog. */
export function CreateMissionForm({
  workspaceId,
  onCreated,
  onCancel,
}: {
  workspaceId: string;
  onCreated: (mission: BoardMission) => void;
  onCancel: () => void;
}) {
  const gql = useGraphQL();
  const id = useId();
  const create = useMutation({
    mutationFn: (input: {
      title: string;
      description: string;
      priority: MissionPriority;
      tags: string[];
      column: BoardColumn;
    }) => gql(CreateMissionDocument, { workspaceId, input }),
    onSuccess: ({ createMission }) => onCreated(createMission),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    create.mutate({
      title: formText(data, 'title').trim(),
      description: formText(data, 'description'),
      priority: formText(data, 'priority') as MissionPriority,
      tags: parseTags(formText(data, 'tags')),
      column: formText(data, 'column') as BoardColumn,
    });
  }

  return (
    <form onSubmit={submit} className={styles.createForm}>
      {create.isError && (
        <div className={styles.wide}>
          <ErrorNotice error={create.error} />
        </div>
      )}
      <div className={`field ${styles.title}`}>
        <label htmlFor={`${id}-title`}>Title</label>
        <input id={`${id}-title`} name="title" required maxLength={200} data-autofocus />
      </div>
      <div className="field">
        <label htmlFor={`${id}-priority`}>Priority</label>
        <select id={`${id}-priority`} name="priority" defaultValue="MEDIUM">
          {PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {PRIORITY_NAMES[priority]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-column`}>Column</label>
        <select id={`${id}-column`} name="column" defaultValue="BACKLOG">
          {BOARD_COLUMNS.map((column) => (
            <option key={column} value={column}>
              {COLUMN_NAMES[column]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-tags`}>Tags</label>
        <input
          id={`${id}-tags`}
          name="tags"
          aria-describedby={`${id}-tags-hint`}
          placeholder="frontend, urgent"
        />
        <span id={`${id}-tags-hint`} className="visually-hidden">
          Separate tags with commas
        </span>
      </div>
      <div className={`field ${styles.wide}`}>
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea
          id={`${id}-description`}
          name="description"
          rows={2}
          aria-describedby={`${id}-description-hint`}
        />
        <span id={`${id}-description-hint`} className="hint">
          Markdown is supported.
        </span>
      </div>
      <div className={styles.submit}>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create mission'}
        </button>
      </div>
    </form>
  );
}
