import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cpuPercentBetween, cpuTimes, hostKeyIn, hostKindOf, hostSample } from './host-facts';

const core = (user: number, idle: number) => ({
  model: 'spec',
  speed: 1,
  times: { user, nice: 0, sys: 0, idle, irq: 0 },
});

describe('what a runner reports of its host', () => {
  it('takes the CPU share of all cores between two readings', () => {
    const before = cpuTimes([core(100, 900), core(100, 900)]);
    const after = cpuTimes([core(400, 1_100), core(100, 1_500)]);
    // 300 busy of 1,100 passed across both cores.
    expect(cpuPercentBetween(before, after)).toBe(27.3);
    expect(cpuPercentBetween(after, after)).toBe(0);
  });

  it('tells a container by the signs its runtime leaves', () => {
    expect(hostKindOf({ dockerEnv: false, env: {} })).toBe('SERVER');
    expect(hostKindOf({ dockerEnv: true, env: {} })).toBe('CONTAINER');
    expect(hostKindOf({ dockerEnv: false, env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' } })).toBe(
      'CONTAINER',
    );
  });

  it('keeps one host key in the work folder, and makes a new one for a folder without', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'host-key-'));
    const key = await hostKeyIn(path.join(root, 'work'));
    expect(key).toMatch(/^runner-[0-9a-f-]{36}$/);
    expect(await hostKeyIn(path.join(root, 'work'))).toBe(key);
    expect(readFileSync(path.join(root, 'work', '.host-key'), 'utf8').trim()).toBe(key);
    writeFileSync(path.join(root, 'work', '.host-key'), 'not a key\n');
    expect(await hostKeyIn(path.join(root, 'work'))).not.toBe(key);
  });

  it('samples memory and the work folder’s disk within what the server accepts', async () => {
    const sample = await hostSample(tmpdir(), cpuTimes());
    expect(sample.diskTotalBytes).toBeGreaterThan(0);
    expect(sample.diskUsedBytes).toBeGreaterThanOrEqual(0);
    expect(sample.diskUsedBytes).toBeLessThanOrEqual(sample.diskTotalBytes);
    expect(sample.memoryUsedBytes).toBeGreaterThan(0);
    expect(sample.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(sample.cpuPercent).toBeLessThanOrEqual(100);
  });
});
