import { PresenceThrottle } from './agent-presence';

describe('PresenceThrottle', () => {
  it('makes an agent due once per interval, each agent on its own', () => {
    let now = 0;
    const sut = new PresenceThrottle(20_000, 100, () => now);
    expect(sut.due('a')).toBe(true);
    expect(sut.due('a')).toBe(false);
    expect(sut.due('b')).toBe(true);
    now = 19_999;
    expect(sut.due('a')).toBe(false);
    now = 20_000;
    expect(sut.due('a')).toBe(true);
  });

  it('forgets the agents seen longest ago past its size', () => {
    const sut = new PresenceThrottle(20_000, 2, () => 0);
    sut.due('a');
    sut.due('b');
    sut.due('c');
    expect(sut.due('a')).toBe(true);
    expect(sut.due('c')).toBe(false);
  });
});
