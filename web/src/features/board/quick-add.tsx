'use client';

import { useMutation } from '@tanstack/react-query';
import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { type BoardColumn, CreateMissionDocument } from '../../graphql/generated';
import { useGraphQL } from '../../lib/session/session-provider';
import { ErrorNotice } from '../../ui/error-notice';
import { type BoardMission, COLUMN_NAMES } from './board-model';
import styles from './board.module.css';

/**
 * "+ Add" at the foot of a column: a one-line title, Enter creates the mission there and leaves
 * the line open for the next, Escape puts the button back.
 */
export function QuickAdd({
  workspaceId,
  column,
  onCreated,
}: {
  workspaceId: string;
  column: BoardColumn;
  onCreated: (mission: BoardMission) => void;
}) {
  const gql = useGraphQL();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const button = useRef<HTMLButtonElement>(null);
  const create = useMutation({
    mutationFn: (text: string) =>
      gql(CreateMissionDocument, { workspaceId, input: { title: text, column } }),
    onSuccess: ({ createMission }) => {
      setTitle('');
      onCreated(createMission);
    },
  });
  const name = COLUMN_NAMES[column];

  function close() {
    setOpen(false);
    setTitle('');
    create.reset();
    // The button comes back on the next render: focus it then.
    requestAnimationFrame(() => button.current?.focus());
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (!create.isPending) {
        create.mutate(title.trim());
      }
    }
  }

  if (!open) {
    return (
      <button
        ref={button}
        type="button"
        className={`button button-quiet button-small ${styles.quickAddButton}`}
        onClick={() => setOpen(true)}
      >
        <span aria-hidden="true">+</span> Add<span className="visually-hidden"> to {name}</span>
      </button>
    );
  }
  return (
    <div className={styles.quickAdd}>
      {create.isError && <ErrorNotice error={create.error} />}
      <label htmlFor={id} className="visually-hidden">
        New mission in {name}
      </label>
      <input
        id={id}
        value={title}
        onChange={(event) => setTitle(event.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => {
          if (title.trim() === '' && !create.isError) {
            setOpen(false);
          }
        }}
        maxLength={200}
        placeholder="Title, then Enter"
        aria-describedby={`${id}-hint`}
        aria-busy={create.isPending}
        // It opens because the person asked for it: typing starts at once.
        autoFocus
      />
      <span id={`${id}-hint`} className="visually-hidden">
        Enter creates the mission, Escape cancels.
      </span>
    </div>
  );
}
