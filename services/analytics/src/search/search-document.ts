import type { Column, Priority } from '../common/board-column';

export type SearchHitKind = 'mission' | 'comment';

/** The facts of a mission every document about it carries (comments too, for the filters). */
type MissionFacts = {
  workspaceId: string;
  missionId: string;
  /** Filters only; a mission's tags are searched through `tagText`. */
  tags: string[];
  column: Column;
  priority: Priority;
  assigneeAgentId: string | null;
};

export type MissionDocument = MissionFacts & {
  kind: 'mission';
  title: string;
  description: string;
  tagText: string[];
  claimedBy: string | null;
  createdBy: string;
  /** ISO 8601; created for missions, written for comments: what the date filters mean. */
  createdAt: string;
  updatedAt: string;
};

export type CommentDocument = MissionFacts & {
  kind: 'comment';
  commentId: string;
  body: string;
  /** Shown with the hit, never searched: a comment matches by what it says. */
  missionTitle: string;
  author: string;
  createdAt: string;
};

export type SearchDocument = MissionDocument | CommentDocument;

/** Document ids are deterministic so a replay overwrites rather than duplicates. */
export const missionDocumentId = (missionId: string): string => `mission:${missionId}`;
export const commentDocumentId = (commentId: string): string => `comment:${commentId}`;

// Only core analyzers exist on the engines we run (no analysis-common): `standard` it is.
export const SEARCH_INDEX_MAPPINGS = {
  dynamic: 'strict',
  properties: {
    kind: { type: 'keyword' },
    workspaceId: { type: 'keyword' },
    missionId: { type: 'keyword' },
    commentId: { type: 'keyword' },
    title: { type: 'text', analyzer: 'standard' },
    description: { type: 'text', analyzer: 'standard' },
    tagText: { type: 'text', analyzer: 'standard' },
    body: { type: 'text', analyzer: 'standard' },
    missionTitle: { type: 'text', index: false },
    tags: { type: 'keyword' },
    column: { type: 'keyword' },
    priority: { type: 'keyword' },
    assigneeAgentId: { type: 'keyword' },
    claimedBy: { type: 'keyword' },
    createdBy: { type: 'keyword' },
    author: { type: 'keyword' },
    createdAt: { type: 'date' },
    updatedAt: { type: 'date' },
  },
} as const;
