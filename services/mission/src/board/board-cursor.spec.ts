import { AppError } from '@mission-control/errors';
import { decodeCursor, encodeCursor } from './board-cursor';

const id = '3f1c2b9e-8a7d-4c6b-9e5f-0a1b2c3d4e5f';

const refusal = (cursor: string): unknown => {
  try {
    decodeCursor(cursor, 'after');
  } catch (error) {
    return error;
  }
  return null;
};

describe('board cursor', () => {
  it('gives back the rank and id it was made from, for ranks of every case and length', () => {
    for (const rank of ['a0', 'Zz', 'a0V', `b${'z'.repeat(300)}`]) {
      expect(decodeCursor(encodeCursor({ rank, id }), 'after')).toEqual({ rank, id });
    }
  });

  it('is opaque and URL-safe: neither the rank nor the id shows through', () => {
    const cursor = encodeCursor({ rank: 'a0V', id });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('a0V');
    expect(cursor).not.toContain(id);
  });

  it.each([
    ['an empty string', ''],
    ['not base64url', 'not a cursor!'],
    ['base64url of no JSON', Buffer.from('a0V').toString('base64url')],
    ['a JSON object', Buffer.from(JSON.stringify({ rank: 'a0', id })).toString('base64url')],
    [
      'a rank of other characters',
      Buffer.from(JSON.stringify(['a0;--', id])).toString('base64url'),
    ],
    ['an empty rank', Buffer.from(JSON.stringify(['', id])).toString('base64url')],
    ['an id that is no UUID', Buffer.from(JSON.stringify(['a0', 'm1'])).toString('base64url')],
    ['too many parts', Buffer.from(JSON.stringify(['a0', id, 'x'])).toString('base64url')],
    ['a huge string', 'A'.repeat(5000)],
  ])('refuses %s with VALIDATION_ERROR naming the argument', (_what, cursor) => {
    const error = refusal(cursor);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { fields: [{ path: 'after' }] },
    });
  });
});
