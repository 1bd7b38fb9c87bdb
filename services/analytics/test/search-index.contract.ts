import { randomUUID } from 'node:crypto';
import type { Column } from '../src/common/board-column';
import {
  commentDocumentId,
  missionDocumentId,
  type CommentDocument,
  type MissionDocument,
} from '../src/search/search-document';
import type { SearchIndex, VersionedDocument } from '../src/search/search-index.port';
import { searchCriteria, type SearchInput } from '../src/search/search-query';

/** An adapter under test, and how to let go of what it holds. */
export type SearchIndexUnderTest = { index: SearchIndex; close(): Promise<void> };

const day = (d: number, hour = 12) => new Date(Date.UTC(2025, 5, d, hour));

type MissionSeed = {
  title: string;
  description?: string;
  tags?: string[];
  column?: Column;
  assigneeAgentId?: string | null;
  at?: Date;
  version?: number;
};

/** One workspace's documents, written as the projections write them. */
class Workspace {
  readonly id = randomUUID();

  mission(seed: MissionSeed, missionId: string = randomUUID()): VersionedDocument {
    const at = (seed.at ?? day(1)).toISOString();
    const document: MissionDocument = {
      kind: 'mission',
      workspaceId: this.id,
      missionId,
      title: seed.title,
      description: seed.description ?? '',
      tags: seed.tags ?? [],
      tagText: seed.tags ?? [],
      column: seed.column ?? 'backlog',
      priority: 'medium',
      assigneeAgentId: seed.assigneeAgentId ?? null,
      claimedBy: null,
      createdBy: 'user-1',
      createdAt: at,
      updatedAt: at,
    };
    return { id: missionDocumentId(missionId), version: seed.version ?? 1, document };
  }

  /** A comment carries its mission's facts at the mission's version. */
  comment(
    mission: VersionedDocument,
    body: string,
    at: Date,
    commentId: string = randomUUID(),
  ): VersionedDocument {
    const facts = mission.document as MissionDocument;
    const document: CommentDocument = {
      kind: 'comment',
      workspaceId: facts.workspaceId,
      missionId: facts.missionId,
      commentId,
      missionTitle: facts.title,
      body,
      author: 'user-2',
      tags: facts.tags,
      column: facts.column,
      priority: facts.priority,
      assigneeAgentId: facts.assigneeAgentId,
      createdAt: at.toISOString(),
    };
    return { id: commentDocumentId(commentId), version: mission.version, document };
  }
}

const missionIdOf = (document: VersionedDocument) => document.document.missionId;
const commentIdOf = (document: VersionedDocument) =>
  document.document.kind === 'comment' ? document.document.commentId : null;

/**
 * What every search adapter must do alike (ARCHITECTURE rule 9): the same documents in, the
 * same observable results out. `makeIndex` gives a ready index, shared by the suite's tests;
 * each test writes into workspaces of its own.
 */
export function describeSearchIndexContract(
  name: string,
  makeIndex: () => Promise<SearchIndexUnderTest>,
): void {
  describe(`search index contract: ${name}`, () => {
    let underTest: SearchIndexUnderTest;
    const index = () => underTest.index;

    const write = async (...documents: VersionedDocument[]) => {
      await index().upsert(documents);
      await index().refresh();
    };
    const search = (workspace: Workspace, input: SearchInput) =>
      index().search(searchCriteria(workspace.id, input));
    const found = async (workspace: Workspace, input: SearchInput) =>
      (await search(workspace, input)).hits.map((hit) => hit.commentId ?? hit.missionId).sort();

    beforeAll(async () => {
      underTest = await makeIndex();
      await underTest.index.ensureIndex();
    });
    afterAll(() => underTest?.close());

    describe('with a small board', () => {
      const ws = new Workspace();
      const agent = 'agent-rover-1';
      const moon = ws.mission({
        title: 'Land on the moon',
        description: 'Descend carefully with the lunar module',
        tags: ['apollo'],
        at: day(2),
      });
      const rover = ws.mission({
        title: 'Refuel the rover',
        description: 'Carry fuel cells across the crater',
        tags: ['rover'],
        column: 'done',
        assigneeAgentId: agent,
        at: day(10),
        version: 3,
      });
      const landed = ws.comment(moon, 'The eagle has landed near Tranquility', day(3));

      beforeAll(() => write(moon, rover, landed));

      it('finds a mission by a word of its description, highlighted with <mark>', async () => {
        const results = await search(ws, { query: 'lunar' });
        expect(results.total).toBe(1);
        expect(results.hits).toEqual([
          expect.objectContaining({
            kind: 'mission',
            missionId: missionIdOf(moon),
            commentId: null,
            title: 'Land on the moon',
            column: 'backlog',
          }),
        ]);
        expect(results.hits[0]!.score).toBeGreaterThan(0);
        expect(results.hits[0]!.highlights).toEqual([
          {
            field: 'description',
            fragments: ['Descend carefully with the <mark>lunar</mark> module'],
          },
        ]);
      });

      it('finds a comment by its body, with its mission’s title and column', async () => {
        const results = await search(ws, { query: 'tranquility' });
        expect(results.total).toBe(1);
        expect(results.hits).toEqual([
          {
            kind: 'comment',
            missionId: missionIdOf(moon),
            commentId: commentIdOf(landed),
            title: 'Land on the moon',
            column: 'backlog',
            score: expect.any(Number) as number,
            highlights: [
              { field: 'body', fragments: ['The eagle has landed near <mark>Tranquility</mark>'] },
            ],
          },
        ]);
      });

      it('does not search a comment by its mission’s title', async () => {
        expect(await found(ws, { query: 'moon' })).toEqual([missionIdOf(moon)]);
      });

      it('highlights a title and a tag whole', async () => {
        const [hit] = (await search(ws, { query: 'rover' })).hits;
        // Elasticsearch does not keep the fields in the order they were asked for.
        const byField = [...(hit?.highlights ?? [])].sort((a, b) => a.field.localeCompare(b.field));
        expect(byField).toEqual([
          { field: 'tags', fragments: ['<mark>rover</mark>'] },
          { field: 'title', fragments: ['Refuel the <mark>rover</mark>'] },
        ]);
      });

      it('matches the word being typed by its prefix', async () => {
        expect(await found(ws, { query: 'tranq' })).toEqual([commentIdOf(landed)]);
        expect(await found(ws, { query: 'lun' })).toEqual([missionIdOf(moon)]);
        const [hit] = (await search(ws, { query: 'cra' })).hits;
        expect(hit?.highlights).toEqual([
          { field: 'description', fragments: ['Carry fuel cells across the <mark>crater</mark>'] },
        ]);
      });

      it('honours each filter', async () => {
        expect(await found(ws, { query: 'crater', columns: ['done'] })).toEqual([
          missionIdOf(rover),
        ]);
        expect(await found(ws, { query: 'crater', columns: ['backlog', 'todo'] })).toEqual([]);
        expect(await found(ws, { query: 'eagle', kinds: ['mission'] })).toEqual([]);
        expect(await found(ws, { query: 'eagle', kinds: ['comment'] })).toEqual([
          commentIdOf(landed),
        ]);
        expect(await found(ws, { query: 'rover moon', tags: ['Rover'] })).toEqual([
          missionIdOf(rover),
        ]);
        expect(await found(ws, { query: 'rover moon tranquility', tags: ['apollo'] })).toEqual(
          [missionIdOf(moon), commentIdOf(landed)].sort(),
        );
        expect(await found(ws, { query: 'rover moon', agentId: agent })).toEqual([
          missionIdOf(rover),
        ]);
        expect(await found(ws, { query: 'rover moon', from: day(1), to: day(5) })).toEqual([
          missionIdOf(moon),
        ]);
        expect(await found(ws, { query: 'rover moon', from: day(10, 0) })).toEqual([
          missionIdOf(rover),
        ]);
        // `to` is exclusive, `from` inclusive: at the moon's own creation time.
        expect(await found(ws, { query: 'moon', to: day(2) })).toEqual([]);
        expect(await found(ws, { query: 'moon', from: day(2) })).toEqual([missionIdOf(moon)]);
      });

      it('never returns another workspace’s documents', async () => {
        const other = new Workspace();
        const twin = other.mission({
          title: 'Land on the moon',
          description: 'Descend carefully with the lunar module',
          tags: ['apollo'],
          at: day(2),
        });
        await write(twin, other.comment(twin, 'The eagle has landed near Tranquility', day(3)));

        const mine = await search(ws, { query: 'lunar tranquility moon' });
        expect(mine.total).toBe(2);
        expect(mine.hits.map((hit) => hit.commentId ?? hit.missionId).sort()).toEqual(
          [missionIdOf(moon), commentIdOf(landed)].sort(),
        );
        expect(await found(other, { query: 'crater rover' })).toEqual([]);
      });
    });

    it('ignores a redelivered or older version of a document', async () => {
      const ws = new Workspace();
      const missionId = randomUUID();
      const current = ws.mission({ title: 'Survey the ridge', version: 3 }, missionId);
      await write(current);

      // An older state arriving late, and the same version again with different content.
      await write(ws.mission({ title: 'Survey the canyon', version: 2 }, missionId));
      await write(ws.mission({ title: 'Survey the valley', version: 3 }, missionId));

      expect(await found(ws, { query: 'ridge' })).toEqual([missionId]);
      expect(await found(ws, { query: 'canyon valley' })).toEqual([]);
      expect((await search(ws, { query: 'survey' })).total).toBe(1);

      await write(ws.mission({ title: 'Survey the valley', version: 4 }, missionId));
      expect(await found(ws, { query: 'ridge' })).toEqual([]);
      expect(await found(ws, { query: 'valley' })).toEqual([missionId]);
    });

    it('moves a comment’s mission fields with its mission, never back', async () => {
      const ws = new Workspace();
      const missionId = randomUUID();
      const commentId = randomUUID();
      const created = ws.mission({ title: 'Fix the hatch', tags: ['eva'], version: 1 }, missionId);
      const before = ws.comment(created, 'Seal is cracked', day(4), commentId);
      await write(created, before);

      const moved = ws.mission(
        {
          title: 'Fix the hatch',
          tags: ['eva'],
          column: 'done',
          assigneeAgentId: 'agent-9',
          version: 2,
        },
        missionId,
      );
      await write(moved, ws.comment(moved, 'Seal is cracked', day(4), commentId));
      // A redelivery of the first state changes nothing.
      await write(created, before);

      const [hit] = (await search(ws, { query: 'seal', columns: ['done'], agentId: 'agent-9' }))
        .hits;
      expect(hit).toMatchObject({ kind: 'comment', commentId, column: 'done' });
      expect(await found(ws, { query: 'seal', columns: ['backlog'] })).toEqual([]);
    });

    it('puts the better match first and counts every match', async () => {
      const ws = new Workspace();
      const inDescription = ws.mission({
        title: 'Point the dish',
        description: 'Then calibrate the antenna array',
        at: day(5),
      });
      const inTitle = ws.mission({ title: 'Calibrate the antenna', at: day(1) });
      const inBoth = ws.mission({
        title: 'Antenna checks',
        description: 'Calibrate before launch',
        at: day(3),
      });
      await write(inDescription, inTitle, inBoth);

      const results = await search(ws, { query: 'calibrate antenna' });
      expect(results.total).toBe(3);
      const order = results.hits.map((hit) => hit.missionId);
      expect(order.indexOf(missionIdOf(inTitle))).toBeLessThan(
        order.indexOf(missionIdOf(inDescription)),
      );
      const scores = results.hits.map((hit) => hit.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);

      const first = await search(ws, { query: 'calibrate antenna', first: 1 });
      expect(first.total).toBe(3);
      expect(first.hits.map((hit) => hit.missionId)).toEqual([order[0]]);
    });
  });
}
