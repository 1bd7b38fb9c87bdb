import { AppError } from '@mission-control/errors';
import { decodeHostCursor, encodeHostCursor } from './hosts-page';

describe('host page cursors', () => {
  it('gives back the host it was made from', () => {
    const host = { hostname: 'build-01 ✓', id: '0193a0c4-0000-7000-8000-0000000000b1' };

    expect(decodeHostCursor(encodeHostCursor(host))).toEqual(host);
  });

  it.each(['', 'nonsense', Buffer.from('["a","not-an-id"]').toString('base64url')])(
    'refuses %j as VALIDATION_ERROR',
    (cursor) => {
      expect(() => decodeHostCursor(cursor)).toThrow(AppError);
      try {
        decodeHostCursor(cursor);
      } catch (error) {
        expect((error as AppError).code).toBe('VALIDATION_ERROR');
      }
    },
  );
});
