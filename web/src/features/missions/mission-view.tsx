'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useId, useMemo, useState } from 'react';
import ReactMarkdown from 'react-markdown';
import {
  AddCommentDocument,
  AssignMissionDocument,
  MembersDocument,
  MissionDetailDocument,
  type MissionDetailQuery,
} from '../../graphql/generated';
import { entityIdOf } from '../../lib/live/live-event';
import { useLiveEvents } from '../../lib/live/live-provider';
import { useGraphQL, useSession } from '../../lib/session/session-provider';
import { useAnnounce } from '../../ui/announcer';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { useAgents } from '../agents/use-agents';
import { COLUMN_NAMES, PRIORITY_NAMES } from '../board/board-model';
import { MissionRuns } from '../runs/mission-runs';
import { DependenciesPanel } from './dependencies-panel';
import { describeTimelineEntry, type Directory, htmlAsText, nameOf } from './mission-model';
import styles from './mission.module.css';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const when = (iso: string) => dateTime.format(new Date(iso));

/** Markdown as text and formatting only: raw HTML in it shows as the text it is. */
function Markdown({ children }: { children: string }) {
  return (
    <div className={styles.markdown}>
      <ReactMarkdown remarkPlugins={[htmlAsText]}>{children}</ReactMarkdown>
    </div>
  );
}

export function MissionView({
  workspaceId,
  missionId,
}: {
  workspaceId: string;
  missionId: string;
}) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const session = useSession();
  const key = useMemo(() => ['mission', workspaceId, missionId] as const, [workspaceId, missionId]);
  const mission = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => gql(MissionDetailDocument, { workspaceId, id: missionId }, signal),
    select: (data) => data.mission,
  });
  const agents = useAgents(workspaceId);
  const members = useQuery({
    queryKey: ['members', workspaceId],
    queryFn: ({ signal }) => gql(MembersDocument, { workspaceId }, signal),
    select: (data) => data.members,
  });
  const directory: Directory = useMemo(
    () => ({
      users: new Map((members.data ?? []).map((member) => [member.userId, member.name])),
      agents: new Map((agents.data ?? []).map((agent) => [agent.id, agent.name])),
    }),
    [members.data, agents.data],
  );

  useLiveEvents((event) => {
    const about = entityIdOf(event, 'mission');
    // A blocker that moves changes whether this mission is blocked.
    const blocker = mission.data?.dependencies.some((dependency) => dependency.id === about);
    if (!event.type.startsWith('mission.v1.') || (about !== missionId && !blocker)) {
      return;
    }
    if (about !== missionId) {
      void queryClient.invalidateQueries({ queryKey: key });
      return;
    }
    void queryClient.invalidateQueries({ queryKey: key });
    const me = session.status === 'authenticated' ? `user:${session.user?.id ?? ''}` : '';
    if (event.type === 'mission.v1.CommentAdded' && event.actor !== me) {
      const [kind = '', id = ''] = event.actor.split(':');
      announce(`New comment from ${nameOf(directory, kind, id)}`);
    }
  });

  if (mission.isPending) {
    return <p aria-busy="true">Loading the mission…</p>;
  }
  if (mission.isError) {
    return (
      <div className={styles.page}>
        <ErrorNotice
          error={mission.error}
          action={
            <p>
              <Link href={`/w/${workspaceId}/board`}>Back to the board</Link>
            </p>
          }
        />
      </div>
    );
  }
  const data = mission.data;
  return (
    <div className={styles.page}>
      <article className={styles.layout} aria-labelledby="mission-title">
        <div className={styles.main}>
          <header className={styles.header}>
            <h1 id="mission-title">{data.title}</h1>
            <div className={styles.facts}>
              <span className="badge">{COLUMN_NAMES[data.column]}</span>
              <span className="badge">{PRIORITY_NAMES[data.priority]} priority</span>
              {data.isBlocked && <span className="badge">Blocked</span>}
              {data.tags.map((tag) => (
                <span key={tag} className="tag">
                  {tag}
                </span>
              ))}
            </div>
          </header>
          <section aria-labelledby="description-heading" className="panel">
            <h2 id="description-heading">Description</h2>
            {data.description.trim() ? (
              <Markdown>{data.description}</Markdown>
            ) : (
              <p className="muted">No description.</p>
            )}
          </section>
          <CommentsSection
            workspaceId={workspaceId}
            missionId={missionId}
            comments={data.comments}
            directory={directory}
            onAdded={(comment) =>
              queryClient.setQueryData<MissionDetailQuery>(key, (old) =>
                old && !old.mission.comments.some((c) => c.id === comment.id)
                  ? { mission: { ...old.mission, comments: [...old.mission.comments, comment] } }
                  : old,
              )
            }
          />
        </div>
        <aside className={styles.side} aria-label="Mission details">
          <AssignPanel
            workspaceId={workspaceId}
            missionId={missionId}
            assigneeAgentId={data.assigneeAgentId}
            claimedBy={data.claimedBy}
            directory={directory}
            agentsError={agents.error}
            agentOptions={agents.data ?? []}
            onAssigned={(patch) =>
              queryClient.setQueryData<MissionDetailQuery>(key, (old) =>
                old ? { mission: { ...old.mission, ...patch } } : old,
              )
            }
          />
          <DependenciesPanel
            workspaceId={workspaceId}
            missionId={missionId}
            isBlocked={data.isBlocked}
            dependencies={data.dependencies}
            onChanged={(change) =>
              queryClient.setQueryData<MissionDetailQuery>(key, (old) =>
                old ? { mission: { ...old.mission, ...change } } : old,
              )
            }
          />
          <MissionRuns workspaceId={workspaceId} missionId={missionId} directory={directory} />
          <section aria-labelledby="timeline-heading" className="panel">
            <h2 id="timeline-heading">Timeline</h2>
            <ol className={styles.timeline}>
              {[...data.timeline].reverse().map((entry) => (
                <li key={entry.version}>
                  <span>{describeTimelineEntry(entry, directory)}</span>
                  <time dateTime={entry.occurredAt} className="muted">
                    {when(entry.occurredAt)}
                  </time>
                </li>
              ))}
            </ol>
          </section>
        </aside>
      </article>
    </div>
  );
}

type Comment = MissionDetailQuery['mission']['comments'][number];

function CommentsSection({
  workspaceId,
  missionId,
  comments,
  directory,
  onAdded,
}: {
  workspaceId: string;
  missionId: string;
  comments: Comment[];
  directory: Directory;
  onAdded: (comment: Comment) => void;
}) {
  const gql = useGraphQL();
  const announce = useAnnounce();
  const id = useId();
  const [body, setBody] = useState('');
  const add = useMutation({
    mutationFn: (text: string) => gql(AddCommentDocument, { workspaceId, missionId, body: text }),
    onSuccess: ({ addComment }) => {
      onAdded(addComment);
      setBody('');
      announce('Comment added');
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (body.trim()) {
      add.mutate(body);
    }
  }

  return (
    // Unlabelled on purpose: the only control named like "Comment" is the field to write one.
    <section className="panel">
      <h2>Comments</h2>
      {comments.length === 0 ? (
        <EmptyState>No comments yet — start the conversation.</EmptyState>
      ) : (
        <ol className={styles.comments}>
          {comments.map((comment) => (
            <li key={comment.id} id={`comment-${comment.id}`} className={styles.comment}>
              <p className={styles.commentMeta}>
                <strong>{nameOf(directory, comment.authorKind, comment.author)}</strong>
                {comment.authorKind === 'agent' && <span className="tag">agent</span>}
                <time dateTime={comment.createdAt} className="muted">
                  {when(comment.createdAt)}
                </time>
              </p>
              <Markdown>{comment.body}</Markdown>
            </li>
          ))}
        </ol>
      )}
      <form onSubmit={submit} className={`stack ${styles.commentForm}`}>
        {add.isError && <ErrorNotice error={add.error} />}
        <div className="field">
          <label htmlFor={`${id}-body`}>Comment</label>
          <textarea
            id={`${id}-body`}
            value={body}
            onChange={(event) => setBody(event.target.value)}
            rows={3}
            required
            aria-describedby={`${id}-hint`}
          />
          <span id={`${id}-hint`} className="hint">
            Markdown is supported; mention an agent with @name.
          </span>
        </div>
        <div>
          <button type="submit" className="button button-primary" disabled={add.isPending}>
            {add.isPending ? 'Adding…' : 'Add comment'}
          </button>
        </div>
      </form>
    </section>
  );
}

function AssignPanel({
  workspaceId,
  missionId,
  assigneeAgentId,
  claimedBy,
  directory,
  agentOptions,
  agentsError,
  onAssigned,
}: {
  workspaceId: string;
  missionId: string;
  assigneeAgentId: string | null;
  claimedBy: string | null;
  directory: Directory;
  agentOptions: { id: string; name: string }[];
  agentsError: unknown;
  onAssigned: (patch: { assigneeAgentId: string | null; claimedBy: string | null }) => void;
}) {
  const gql = useGraphQL();
  const announce = useAnnounce();
  const id = useId();
  const assign = useMutation({
    mutationFn: (agentId: string | null) =>
      gql(AssignMissionDocument, { workspaceId, missionId, agentId }),
    onSuccess: ({ assignMission }) => {
      onAssigned(assignMission);
      announce(
        assignMission.assigneeAgentId
          ? `Assigned to ${nameOf(directory, 'agent', assignMission.assigneeAgentId)}`
          : 'Unassigned',
      );
    },
  });
  return (
    <section aria-labelledby={`${id}-heading`} className="panel">
      <h2 id={`${id}-heading`}>Assignment</h2>
      <div className="field">
        <label htmlFor={`${id}-assignee`}>Assignee</label>
        <select
          id={`${id}-assignee`}
          value={assigneeAgentId ?? ''}
          disabled={assign.isPending}
          onChange={(event) => assign.mutate(event.target.value || null)}
        >
          <option value="">Unassigned</option>
          {agentOptions.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name}
            </option>
          ))}
        </select>
      </div>
      {claimedBy && (
        <p className="muted">
          Claimed by{' '}
          <Link href={`/w/${workspaceId}/agents/${claimedBy}`}>
            {nameOf(directory, 'agent', claimedBy)}
          </Link>
        </p>
      )}
      {agentOptions.length === 0 && !agentsError && (
        <p className="hint">
          No agents yet — <Link href={`/w/${workspaceId}/agents`}>register one</Link>.
        </p>
      )}
      {agentsError !== null && agentsError !== undefined && <ErrorNotice error={agentsError} />}
      {assign.isError && <ErrorNotice error={assign.error} />}
    </section>
  );
}
