'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import {
  type LapsedClaimAction,
  SetWorkPolicyDocument,
  WorkPolicyDocument,
} from '../../graphql/generated';
import { useGraphQL } from '../../lib/session/session-provider';
import { useAnnounce } from '../../ui/announcer';
import { ErrorNotice } from '../../ui/error-notice';
import styles from './settings.module.css';

const CHOICES: { value: LapsedClaimAction; label: string; hint: string }[] = [
  {
    value: 'REQUEUE',
    label: 'Back to To do',
    hint: 'Unassigned, and offered to the next agent that asks for work.',
  },
  {
    value: 'BLOCK',
    label: 'To Blocked',
    hint: 'Unassigned, and held there until a person moves it on.',
  },
];

/** What happens to work in progress when its agent stops answering; admins choose. */
export function WorkPolicySettings({
  workspaceId,
  isAdmin,
}: {
  workspaceId: string;
  isAdmin: boolean;
}) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const id = useId();
  const queryKey = ['work-policy', workspaceId];
  // The choice shows at once, before the server answers; an error puts the saved one back.
  const [chosen, setChosen] = useState<LapsedClaimAction | null>(null);
  const policy = useQuery({
    queryKey,
    queryFn: ({ signal }) => gql(WorkPolicyDocument, { workspaceId }, signal),
  });
  const save = useMutation({
    mutationFn: (lapsedClaims: LapsedClaimAction) =>
      gql(SetWorkPolicyDocument, { workspaceId, lapsedClaims }),
    onSettled: () => setChosen(null),
    onSuccess: ({ setWorkPolicy }) => {
      queryClient.setQueryData(queryKey, { workPolicy: setWorkPolicy });
      const choice = CHOICES.find((option) => option.value === setWorkPolicy.lapsedClaims);
      announce(`Lapsed work now goes ${choice?.label.toLowerCase() ?? ''}`);
    },
  });
  const current = chosen ?? policy.data?.workPolicy.lapsedClaims;

  return (
    <section aria-labelledby={`${id}-title`} className={`panel ${styles.section}`}>
      <h2 id={`${id}-title`}>When an agent stops answering</h2>
      <p className="muted">
        An agent that stops heartbeating and renewing its claim loses it: its run ends abandoned and
        the mission it was working on goes where you choose here.
      </p>
      {policy.isError && <ErrorNotice error={policy.error} />}
      {save.isError && <ErrorNotice error={save.error} />}
      {current === undefined ? (
        !policy.isError && <p aria-busy="true">Loading…</p>
      ) : (
        <fieldset className={styles.scopes} disabled={!isAdmin}>
          <legend>Work in progress goes</legend>
          {CHOICES.map((choice) => (
            <label key={choice.value} className={styles.scope}>
              <input
                type="radio"
                name={`${id}-lapsed`}
                value={choice.value}
                checked={current === choice.value}
                onChange={() => {
                  setChosen(choice.value);
                  save.mutate(choice.value);
                }}
              />
              <span>
                {choice.label}
                <span className="hint">{choice.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {!isAdmin && <p className="muted">Only admins can change this.</p>}
    </section>
  );
}
