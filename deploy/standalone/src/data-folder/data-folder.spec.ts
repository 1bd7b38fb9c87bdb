import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataFolderInUseError, defaultDataDir, openDataFolder } from './data-folder';

const freshDir = () => path.join(mkdtempSync(path.join(tmpdir(), 'mc-data-')), 'data');

describe('the data folder', () => {
  it('makes secrets once, readable by its owner only, and keeps them across runs', async () => {
    const dir = freshDir();
    const first = await openDataFolder(dir);
    first.release();
    const second = await openDataFolder(dir);
    second.release();

    expect(second.secrets).toEqual(first.secrets);
    expect(first.secrets.INTERNAL_AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(JSON.parse(first.secrets.IDENTITY_SIGNING_KEY)).toHaveProperty('kid');
    expect(statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(first.postgresDir).toBe(path.join(dir, 'postgres'));
  });

  it('adds the secrets a folder from an older version lacks, keeping the rest', async () => {
    const dir = freshDir();
    const first = await openDataFolder(dir);
    first.release();
    const { CLIENT_ADDRESS_SECRET: _added, ...older } = first.secrets;
    writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify(older));

    const upgraded = await openDataFolder(dir);
    upgraded.release();
    expect(upgraded.secrets).toMatchObject(older);
    expect(upgraded.secrets.CLIENT_ADDRESS_SECRET.length).toBeGreaterThanOrEqual(32);
    expect((await openDataFolder(dir)).secrets).toEqual(upgraded.secrets);
  });

  it('refuses a folder a live process holds', async () => {
    const dir = freshDir();
    await openDataFolder(dir).then((folder) => folder.release());
    // Another live process: the one that started this test.
    writeFileSync(path.join(dir, 'standalone.pid'), String(process.ppid));

    await expect(openDataFolder(dir)).rejects.toThrow(DataFolderInUseError);
    await expect(openDataFolder(dir)).rejects.toThrow(`pid ${process.ppid}`);
  });

  it('takes over the lock of a process that is gone', async () => {
    const dir = freshDir();
    const gone = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' });
    await openDataFolder(dir).then((folder) => folder.release());
    writeFileSync(path.join(dir, 'standalone.pid'), gone.stdout.trim());

    const folder = await openDataFolder(dir);

    expect(readFileSync(path.join(dir, 'standalone.pid'), 'utf8')).toBe(String(process.pid));
    folder.release();
  });

  it('defaults to the user’s data folder', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/home/ada/.data' })).toMatch(
      process.getuid?.() === 0 ? '/var/lib/mission-control' : '/home/ada/.data/mission-control',
    );
  });
});
