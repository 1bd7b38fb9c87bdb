import { AppError } from '@mission-control/errors';
import type { MissionRecord } from '../missions/missions.repository';
import { decodeCursor } from './board-cursor';
import { assertPageSize, columnPage, MAX_PAGE_SIZE } from './board-page';

const mission = (id: string, rank: string): MissionRecord => ({
  id,
  workspaceId: '00000000-0000-4000-8000-000000000001',
  title: `Mission ${rank}`,
  description: '',
  priority: 'medium',
  tags: [],
  column: 'todo',
  rank,
  assigneeAgentId: null,
  claimedBy: null,
  claimEpoch: 0,
  leaseExpiresAt: null,
  claimedAt: null,
  createdBy: 'u1',
  version: 1,
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

describe('page size', () => {
  it('takes 1 to 200', () => {
    expect(() => assertPageSize(1, 'perColumn')).not.toThrow();
    expect(() => assertPageSize(MAX_PAGE_SIZE, 'perColumn')).not.toThrow();
  });

  it.each([0, -1, 201, 10_000])('refuses %i with VALIDATION_ERROR naming the limit', (size) => {
    expect(() => assertPageSize(size, 'perColumn')).toThrow(AppError);
    expect(() => assertPageSize(size, 'perColumn')).toThrow('perColumn must be between 1 and 200');
  });
});

describe('columnPage', () => {
  it('ends at its last mission', () => {
    const last = mission('3f1c2b9e-8a7d-4c6b-9e5f-0a1b2c3d4e5f', 'a1');
    const page = columnPage(
      'todo',
      [mission('00000000-0000-4000-8000-00000000000a', 'a0'), last],
      7,
      true,
    );
    expect(page).toMatchObject({ totalCount: 7, hasNextPage: true });
    expect(decodeCursor(page.endCursor!, 'after')).toEqual({ rank: 'a1', id: last.id });
  });

  it('has no cursor when empty', () => {
    expect(columnPage('done', [], 0, false)).toMatchObject({ endCursor: null, hasNextPage: false });
  });
});
