import { isTransientDatabaseError, quoteSchema, sqlStateOf } from './queryable';

describe('queryable helpers', () => {
  it('reads the SQLSTATE from pg and from Prisma errors', () => {
    expect(sqlStateOf(Object.assign(new Error('dup'), { code: '23505' }))).toBe('23505');
    expect(sqlStateOf({ code: 'P2010', meta: { code: '23505' } })).toBe('23505');
    expect(
      sqlStateOf({
        code: 'P2010',
        meta: {
          driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode: '23505' } },
        },
      }),
    ).toBe('23505');
    expect(sqlStateOf(new Error('plain'))).toBeUndefined();
  });

  it('tells an unreachable database from a failing statement', () => {
    expect(isTransientDatabaseError(Object.assign(new Error('x'), { code: '57P01' }))).toBe(true);
    expect(
      isTransientDatabaseError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })),
    ).toBe(true);
    expect(isTransientDatabaseError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientDatabaseError(Object.assign(new Error('dup'), { code: '23505' }))).toBe(
      false,
    );
    expect(isTransientDatabaseError(new Error('cannot apply: mission column unknown'))).toBe(false);
  });

  it('only interpolates plain schema names', () => {
    expect(quoteSchema('mission')).toBe('"mission"');
    expect(() => quoteSchema('mission"; drop table x; --')).toThrow(/Invalid schema name/);
  });
});
