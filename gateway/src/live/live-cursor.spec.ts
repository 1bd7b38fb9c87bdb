import { AppError } from '@mission-control/errors';
import { cursorKey, decodeCursor, encodeCursor } from './live-cursor';

describe('live cursor', () => {
  it('round-trips offsets per topic partition, beyond 2^53', () => {
    const cursor = new Map([
      [cursorKey('mission.events.v1', 0), 41n],
      [cursorKey('mission.events.v1', 5), 9_007_199_254_740_993n],
      [cursorKey('agent.events.v1', 2), 0n],
    ]);
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['not base64 json', 'nope!'],
    ['an array', Buffer.from('[1]').toString('base64url')],
    ['a negative offset', Buffer.from('{"t":{"0":"-2"}}').toString('base64url')],
    ['a non-numeric partition', Buffer.from('{"t":{"x":"1"}}').toString('base64url')],
    ['a numeric offset instead of a string', Buffer.from('{"t":{"0":1}}').toString('base64url')],
  ])('refuses %s with VALIDATION_ERROR', (_case, value) => {
    let error: unknown;
    try {
      decodeCursor(value);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});
