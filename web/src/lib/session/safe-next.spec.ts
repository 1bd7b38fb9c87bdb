import { safeNext } from './safe-next';

describe('safeNext', () => {
  it('follows paths inside the app only', () => {
    expect(safeNext('/w/1/board')).toBe('/w/1/board');
    expect(safeNext('//evil.example')).toBe('/workspaces');
    expect(safeNext('/\\evil.example')).toBe('/workspaces');
    expect(safeNext('https://evil.example')).toBe('/workspaces');
    expect(safeNext(null)).toBe('/workspaces');
  });
});
