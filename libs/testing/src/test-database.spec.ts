import { withDatabase } from './test-database';

describe('withDatabase', () => {
  it('swaps only the database, keeping credentials, host and options', () => {
    expect(
      withDatabase(
        'postgresql://mc:s%40cret@db.internal:6543/mission_control?sslmode=require',
        'mc_test_1',
      ),
    ).toBe('postgresql://mc:s%40cret@db.internal:6543/mc_test_1?sslmode=require');
  });

  it('adds a database to a URL that names none', () => {
    expect(withDatabase('postgresql://postgres@127.0.0.1:5432', 'postgres')).toBe(
      'postgresql://postgres@127.0.0.1:5432/postgres',
    );
  });
});
