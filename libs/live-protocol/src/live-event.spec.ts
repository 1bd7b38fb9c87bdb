import { parseLiveError, parseLiveEvent } from './live-event';

describe('parseLiveEvent', () => {
  const event = {
    id: 'e1',
    type: 'mission.v1.MissionMoved',
    subject: 'm1',
    workspaceId: 'w1',
    time: '2025-01-01T00:00:00Z',
    actor: 'user:u1',
    data: { missionId: 'm1', toColumn: 'BOARD_COLUMN_DONE', rank: 'a1' },
    position: 'p1',
  };

  it('accepts a pushed event', () => {
    expect(parseLiveEvent(event)).toEqual(event);
  });

  it('keeps an event of a type the gateway could not decode, without data', () => {
    expect(parseLiveEvent({ ...event, data: null })?.data).toBeNull();
    expect(parseLiveEvent({ ...event, data: [1, 2] })?.data).toBeNull();
  });

  it('rejects payloads that are not events', () => {
    expect(parseLiveEvent(null)).toBeNull();
    expect(parseLiveEvent('event')).toBeNull();
    expect(parseLiveEvent({ ...event, position: 3 })).toBeNull();
  });
});

describe('parseLiveError', () => {
  it('reads a coded error', () => {
    expect(
      parseLiveError({ code: 'UNAUTHENTICATED', message: 'expired', requestId: 'r1' }),
    ).toEqual({ code: 'UNAUTHENTICATED', message: 'expired', requestId: 'r1' });
  });

  it('falls back to a generic error for anything else', () => {
    expect(parseLiveError(undefined)).toEqual({
      code: 'INTERNAL_ERROR',
      message: 'Live updates failed',
      requestId: null,
    });
    expect(parseLiveError({ code: 7 }).code).toBe('INTERNAL_ERROR');
  });
});
