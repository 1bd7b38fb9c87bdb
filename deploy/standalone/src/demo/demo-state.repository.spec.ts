import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoStateError, DemoStateRepository, type DemoState } from './demo-state.repository';

const state: DemoState = {
  version: 1,
  email: 'demo@mission-control.local',
  password: 'a-long-random-password',
  signedUp: true,
  workspaceId: 'ws-1',
  agents: [{ name: 'Atlas', agentId: 'ag-1', key: 'mca_abcdefgh_secretsecretsecretsecret' }],
  backlogSeeded: false,
  budgetId: 'budget-1',
};

describe('DemoStateRepository', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'demo-state-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('finds nothing on a first run', async () => {
    await expect(new DemoStateRepository(dataDir).load()).resolves.toBeNull();
  });

  it('keeps the state in demo.json, readable by its owner only', async () => {
    const sut = new DemoStateRepository(dataDir);
    await sut.save(state);

    expect(sut.file).toBe(join(dataDir, 'demo.json'));
    expect((await stat(sut.file)).mode & 0o777).toBe(0o600);
    await expect(new DemoStateRepository(dataDir).load()).resolves.toEqual(state);
  });

  it('tightens the mode of a file that was left readable by others', async () => {
    const sut = new DemoStateRepository(dataDir);
    await writeFile(sut.file, '{}', { mode: 0o644 });
    await sut.save(state);
    expect((await stat(sut.file)).mode & 0o777).toBe(0o600);
  });

  it('writes saves in the order they were made', async () => {
    const sut = new DemoStateRepository(dataDir);
    await Promise.all([
      sut.save({ ...state, backlogSeeded: false }),
      sut.save({ ...state, backlogSeeded: true }),
    ]);
    expect(JSON.parse(await readFile(sut.file, 'utf8'))).toMatchObject({ backlogSeeded: true });
  });

  it('reads a file written before the demo set budgets as one without a budget yet', async () => {
    const sut = new DemoStateRepository(dataDir);
    const { budgetId: _budgetId, ...older } = state;
    await writeFile(sut.file, JSON.stringify(older));
    await expect(sut.load()).resolves.toEqual({ ...state, budgetId: null });
  });

  it('refuses a file that is not a demo state, naming the bad fields', async () => {
    const sut = new DemoStateRepository(dataDir);
    await writeFile(sut.file, 'not json');
    await expect(sut.load()).rejects.toThrow(DemoStateError);

    await writeFile(sut.file, JSON.stringify({ ...state, password: 'short', agents: 'x' }));
    await expect(sut.load()).rejects.toThrow(/password, agents/);
  });
});
