import { batchOf, RequestBatch } from './request-batch';

describe('RequestBatch', () => {
  it('loads the keys asked for together in one call, each answered with its own value', async () => {
    const load = jest.fn((keys: string[]) =>
      Promise.resolve(new Map(keys.map((key) => [key, `v-${key}`]))),
    );
    const sut = new RequestBatch(load);
    const answers = await Promise.all([sut.get('a'), sut.get('b'), sut.get('a')]);
    expect(answers).toEqual(['v-a', 'v-b', 'v-a']);
    expect(load).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledWith(['a', 'b']);
  });

  it('answers undefined for a key the load did not find', async () => {
    const sut = new RequestBatch(() => Promise.resolve(new Map([['a', 1]])));
    await expect(sut.get('zz')).resolves.toBeUndefined();
  });

  it('starts a new batch for keys asked for after one was loaded', async () => {
    const load = jest.fn((keys: string[]) =>
      Promise.resolve(new Map(keys.map((key) => [key, key]))),
    );
    const sut = new RequestBatch(load);
    await sut.get('a');
    await sut.get('b');
    expect(load.mock.calls).toEqual([[['a']], [['b']]]);
  });

  it('fails every key of a batch whose load failed', async () => {
    const sut = new RequestBatch<string>(() => Promise.reject(new Error('down')));
    await expect(Promise.all([sut.get('a'), sut.get('b')])).rejects.toThrow('down');
  });

  it('keeps one batch per request and name', () => {
    const load = () => Promise.resolve(new Map<string, number>());
    const request = {};
    expect(batchOf(request, 'x', load)).toBe(batchOf(request, 'x', load));
    expect(batchOf(request, 'y', load)).not.toBe(batchOf(request, 'x', load));
    expect(batchOf({}, 'x', load)).not.toBe(batchOf(request, 'x', load));
  });
});
