import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isMissionControlError } from '@mission-control/sdk';
import { ConfigStore, configDir } from './cli-config';

describe('the config file', () => {
  const dir = () => path.join(mkdtempSync(path.join(tmpdir(), 'mc-config-')), 'nested');

  it('lives in MC_CONFIG_DIR, else XDG_CONFIG_HOME, else ~/.config', () => {
    expect(configDir({ MC_CONFIG_DIR: '/tmp/x', XDG_CONFIG_HOME: '/xdg', HOME: '/home/a' })).toBe(
      '/tmp/x',
    );
    expect(configDir({ XDG_CONFIG_HOME: '/xdg', HOME: '/home/a' })).toBe('/xdg/mission-control');
    expect(configDir({ HOME: '/home/a' })).toBe('/home/a/.config/mission-control');
  });

  it('is empty before the first sign-in', () => {
    expect(new ConfigStore(dir()).load()).toEqual({});
  });

  it('is written readable by its owner only, and read back', () => {
    const sut = new ConfigStore(dir());
    const config = {
      gatewayUrl: 'http://127.0.0.1:4000',
      auth: { kind: 'agent' as const, agentKey: 'mca_secret', agentId: 'a', workspaceId: 'w' },
    };
    sut.save(config);
    expect(statSync(sut.file).mode & 0o777).toBe(0o600);
    expect(statSync(sut.dir).mode & 0o777).toBe(0o700);
    expect(sut.load()).toEqual(config);
    // Rewritten in place: still 0600 and nothing left beside it.
    sut.update((current) => ({ ...current, workspace: { id: 'w', name: 'Apollo' } }));
    expect(statSync(sut.file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(sut.file, 'utf8'))).toMatchObject({
      workspace: { name: 'Apollo' },
    });
  });

  it('says which file to fix when it is not JSON', () => {
    const sut = new ConfigStore(dir());
    sut.save({});
    writeFileSync(sut.file, '{ not json');
    let thrown: unknown;
    try {
      sut.load();
    } catch (error) {
      thrown = error;
    }
    expect(isMissionControlError(thrown, 'VALIDATION_ERROR')).toBe(true);
    expect((thrown as Error).message).toContain(sut.file);
  });
});
