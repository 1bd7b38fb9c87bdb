import type { MissionDocument } from '../search/search-document';
import type { CommentState, MissionState } from './mission-state';
import { ProjectionRun } from './projection-run';

const doc = (title: string) => ({ title }) as MissionDocument;
const comment = (commentId: string, missionId = 'm-1'): CommentState => ({
  commentId,
  missionId,
  workspaceId: 'ws',
  author: 'u',
  body: commentId,
  createdAt: new Date(0),
});

describe('ProjectionRun', () => {
  it('keeps the newest version of each document of a run', () => {
    const run = new ProjectionRun('c');
    run.index({ id: 'mission:1', version: 2, document: doc('two') });
    run.index({ id: 'mission:1', version: 1, document: doc('one') });
    run.index({ id: 'mission:2', version: 1, document: doc('other') });
    run.index({ id: 'mission:1', version: 3, document: doc('three') });
    expect(run.pendingDocuments.map((entry) => [entry.id, entry.version])).toEqual([
      ['mission:1', 3],
      ['mission:2', 1],
    ]);
  });

  it('tells a state not read yet from one read and absent, and writes back only changes', () => {
    const run = new ProjectionRun('c');
    expect(run.mission('m-1')).toBeUndefined();
    run.rememberMission('m-1', null);
    expect(run.mission('m-1')).toBeNull();
    const state = { missionId: 'm-2', version: 1 } as MissionState;
    run.rememberMission('m-2', state);
    expect(run.changedMissionStates).toEqual([]);
    run.changeMission({ ...state, version: 2 });
    expect(run.changedMissionStates).toEqual([{ ...state, version: 2 }]);
  });

  it('adds the comments of this run to those read later, and to those read before', () => {
    const run = new ProjectionRun('c');
    run.addComment(comment('c-new'));
    run.addComment(comment('c-other', 'm-2'));
    expect(run.rememberComments('m-1', [comment('c-old')]).map((c) => c.commentId)).toEqual([
      'c-old',
      'c-new',
    ]);
    run.addComment(comment('c-newer'));
    expect(run.comments('m-1')?.map((c) => c.commentId)).toEqual(['c-old', 'c-new', 'c-newer']);
    expect(run.addedCommentStates.map((c) => c.commentId)).toEqual(['c-new', 'c-other', 'c-newer']);
  });
});
