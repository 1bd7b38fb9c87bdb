import { doneCollapsedKey, readDoneCollapsed, writeDoneCollapsed } from './done-collapse';

const memory = () => {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
};

describe('the Done column folded away', () => {
  it('is remembered per workspace', () => {
    const store = memory();
    expect(readDoneCollapsed(store, 'w1')).toBe(false);
    writeDoneCollapsed(store, 'w1', true);
    expect(readDoneCollapsed(store, 'w1')).toBe(true);
    expect(readDoneCollapsed(store, 'w2')).toBe(false);
    writeDoneCollapsed(store, 'w1', false);
    expect(readDoneCollapsed(store, 'w1')).toBe(false);
    expect(doneCollapsedKey('w1')).toBe('board:w1:done-collapsed');
  });

  it('stays open when the browser keeps nothing, or refuses', () => {
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(readDoneCollapsed(null, 'w1')).toBe(false);
    expect(readDoneCollapsed(refusing, 'w1')).toBe(false);
    expect(() => writeDoneCollapsed(refusing, 'w1', true)).not.toThrow();
  });
});
