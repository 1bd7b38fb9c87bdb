import { isId, validId } from './id-argument';

describe('validId', () => {
  const id = '7d3f2f8e-2a4b-4c1d-9e8f-0a1b2c3d4e5f';

  it('passes a UUID, null and an absent optional argument through', () => {
    expect(validId.transform(id, { data: 'missionId' })).toBe(id);
    expect(validId.transform(null, { data: 'agentId' })).toBeNull();
    expect(validId.transform(undefined, { data: 'afterId' })).toBeUndefined();
  });

  it.each(['xyz', '', ' ', `${id} `, id.replace(/-/g, ''), "1' OR '1'='1", '../../etc'])(
    'refuses %j with a VALIDATION_ERROR naming the argument',
    (value) => {
      expect(() => validId.transform(value, { data: 'agentId' })).toThrow(
        expect.objectContaining({
          code: 'VALIDATION_ERROR',
          message: 'agentId: must be a valid id (a UUID)',
          details: { fields: [{ path: 'agentId', message: 'must be a valid id (a UUID)' }] },
        }),
      );
    },
  );

  it('says what an id is', () => {
    expect(isId(id)).toBe(true);
    expect(isId(42)).toBe(false);
  });
});
