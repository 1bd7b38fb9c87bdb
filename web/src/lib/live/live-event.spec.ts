import { entityIdOf, enumValue, parseLiveError, recoveryFor } from './live-event';

describe('live errors', () => {
  it('reads a coded error and decides how to recover', () => {
    const error = parseLiveError({ code: 'UNAUTHENTICATED', message: 'expired', retryable: true });
    expect(error).toEqual({ code: 'UNAUTHENTICATED', message: 'expired', requestId: null });
    expect(recoveryFor(error.code)).toBe('refresh-token');
    expect(recoveryFor('VALIDATION_ERROR')).toBe('resync');
    expect(recoveryFor('FORBIDDEN')).toBe('stop');
    expect(recoveryFor('INTERNAL_ERROR')).toBe('retry');
  });
});

describe('entityIdOf', () => {
  const base = {
    id: 'e',
    type: 'mission.v1.CommentAdded',
    workspaceId: 'w',
    time: 't',
    actor: 'user:u',
    position: 'p',
  };

  it('prefers the id the payload names, else strips the stream prefix of the subject', () => {
    expect(
      entityIdOf({ ...base, subject: 'mission-m1', data: { missionId: 'm1' } }, 'mission'),
    ).toBe('m1');
    expect(entityIdOf({ ...base, subject: 'mission-m2', data: null }, 'mission')).toBe('m2');
    expect(entityIdOf({ ...base, subject: 'agent-a1', data: {} }, 'agent')).toBe('a1');
  });
});

describe('enumValue', () => {
  it('reads protobuf, stored and GraphQL spellings alike', () => {
    const columns = ['IN_PROGRESS', 'DONE'] as const;
    expect(enumValue('BOARD_COLUMN_IN_PROGRESS', 'BOARD_COLUMN_', columns)).toBe('IN_PROGRESS');
    expect(enumValue('in_progress', 'BOARD_COLUMN_', columns)).toBe('IN_PROGRESS');
    expect(enumValue('DONE', 'BOARD_COLUMN_', columns)).toBe('DONE');
    expect(enumValue('BOARD_COLUMN_UNSPECIFIED', 'BOARD_COLUMN_', columns)).toBeNull();
  });
});
