'use client';

import { useId } from 'react';
import type { MissionPriority } from '../../graphql/generated';
import { type BoardFilter, isFiltered, NO_FILTER, shownLabel, UNASSIGNED } from './board-filter';
import { PRIORITIES, PRIORITY_NAMES } from './board-model';
import styles from './board.module.css';

/** The filters above the board; what they pick goes to the URL through `onChange`. */
export function BoardFilters({
  filter,
  agents,
  tags,
  shown,
  total,
  onChange,
}: {
  filter: BoardFilter;
  agents: readonly { id: string; name: string }[];
  /** The tags of the loaded missions. */
  tags: readonly string[];
  shown: number;
  total: number;
  onChange: (filter: BoardFilter) => void;
}) {
  const id = useId();
  const filtered = isFiltered(filter);
  // A filter from a shared link may name what this board does not hold (yet): still shown.
  const tagChoices = filter.tag && !tags.includes(filter.tag) ? [filter.tag, ...tags] : tags;
  const agentChoices =
    filter.assignee &&
    filter.assignee !== UNASSIGNED &&
    !agents.some((a) => a.id === filter.assignee)
      ? [{ id: filter.assignee, name: 'Unknown agent' }, ...agents]
      : agents;
  return (
    <search aria-label="Filter the board" className={styles.filters}>
      <div className={styles.filter}>
        <label htmlFor={`${id}-assignee`}>Assignee</label>
        <select
          id={`${id}-assignee`}
          value={filter.assignee ?? ''}
          onChange={(event) => onChange({ ...filter, assignee: event.target.value || null })}
        >
          <option value="">Anyone</option>
          <option value={UNASSIGNED}>Unassigned</option>
          {agentChoices.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name}
            </option>
          ))}
        </select>
      </div>
      <div className={styles.filter}>
        <label htmlFor={`${id}-priority`}>Priority</label>
        <select
          id={`${id}-priority`}
          value={filter.priority ?? ''}
          onChange={(event) =>
            onChange({
              ...filter,
              priority: (event.target.value || null) as MissionPriority | null,
            })
          }
        >
          <option value="">Any</option>
          {PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {PRIORITY_NAMES[priority]}
            </option>
          ))}
        </select>
      </div>
      <div className={styles.filter}>
        <label htmlFor={`${id}-tag`}>Tag</label>
        <select
          id={`${id}-tag`}
          value={filter.tag ?? ''}
          onChange={(event) => onChange({ ...filter, tag: event.target.value || null })}
        >
          <option value="">Any</option>
          {tagChoices.map((tag) => (
            <option key={tag} value={tag}>
              {tag}
            </option>
          ))}
        </select>
      </div>
      {filtered && (
        <>
          <p className={styles.shown} role="status">
            {shownLabel(shown, total)}
          </p>
          <button type="button" className="button button-small" onClick={() => onChange(NO_FILTER)}>
            Clear filters
          </button>
        </>
      )}
    </search>
  );
}
