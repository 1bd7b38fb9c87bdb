import { z } from 'zod';
import {
  McpAddCommentDocument,
  McpCreateMissionDocument,
  McpMissionDetailDocument,
  McpSearchDocument,
} from '../graphql/generated';
import { defineTool } from './tool-definition';
import { toolResult } from './tool-result';
import * as s from './tool-schemas';

export const addComment = defineTool({
  name: 'add_comment',
  title: 'Comment on a mission',
  description:
    'Adds a Markdown comment to a mission (the one you hold unless missionId says); @name mentions notify people.',
  input: z.object({
    body: z.string().trim().min(1).max(20_000).describe('Markdown'),
    missionId: s.missionId.optional(),
  }),
  async run(input, { graph, work }) {
    const { addComment: comment } = await graph.request(McpAddCommentDocument, {
      workspaceId: await work.workspaceId(),
      missionId: await work.missionId(input.missionId),
      body: input.body,
    });
    return toolResult(`Comment ${comment.id} added to mission ${comment.missionId}.`, { comment });
  },
});

/** The line a sub-task's description starts with: the board has no parent link of its own. */
export const parentLine = (parent: { id: string; title: string }) =>
  `Sub-task of mission ${parent.id} (“${parent.title}”).`;

export const createMission = defineTool({
  name: 'create_mission',
  title: 'Create a sub-task',
  description:
    'Creates a mission as a sub-task of a parent mission (the one you hold unless parentMissionId says), in the same workspace, its description naming the parent. Needs the create_missions permission.',
  input: z.object({
    title: z.string().trim().min(1).max(200),
    description: z.string().trim().max(50_000).optional().describe('Markdown'),
    priority: s.priority.optional().describe('MEDIUM when left out'),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
    column: s.boardColumn.optional().describe('BACKLOG when left out; TODO makes it available'),
    parentMissionId: s.missionId
      .optional()
      .describe('The parent; the mission you hold when left out'),
  }),
  async run({ parentMissionId, description, ...input }, { graph, work }) {
    const workspaceId = await work.workspaceId();
    const { mission: parent } = await graph.request(McpMissionDetailDocument, {
      workspaceId,
      id: await work.missionId(parentMissionId),
    });
    const { createMission: mission } = await graph.request(McpCreateMissionDocument, {
      workspaceId,
      input: {
        ...input,
        description: [parentLine(parent), description].filter(Boolean).join('\n\n'),
      },
    });
    return toolResult(
      `Created mission ${mission.id} “${mission.title}” in ${mission.column}, a sub-task of ${parent.id}.`,
      { mission, parentMissionId: parent.id },
    );
  },
});

export const search = defineTool({
  name: 'search',
  title: 'Search missions and comments',
  description:
    'Full-text search over the workspace’s missions and comments, best matches first; matched words are wrapped in <mark>.',
  input: z.object({
    query: z.string().trim().min(1).max(500),
    kinds: z
      .array(z.enum(['MISSION', 'COMMENT']))
      .min(1)
      .optional(),
    columns: z.array(s.boardColumn).min(1).optional(),
    first: z.int().min(1).max(50).default(10),
  }),
  annotations: { readOnlyHint: true },
  async run({ query, kinds, columns, first }, { graph, work }) {
    const { search: results } = await graph.request(McpSearchDocument, {
      workspaceId: await work.workspaceId(),
      query,
      filters: kinds || columns ? { kinds, columns } : undefined,
      first,
    });
    const lines = results.hits.map(
      (hit) =>
        `- ${hit.kind.toLowerCase()} in mission ${hit.missionId} “${hit.title}”` +
        (hit.column ? ` (${hit.column})` : ''),
    );
    return toolResult(
      [`${results.total} match${results.total === 1 ? '' : 'es'} for “${query}”.`, ...lines].join(
        '\n',
      ),
      { ...results },
    );
  },
});

export const MISSION_TOOLS = [addComment, createMission, search];
