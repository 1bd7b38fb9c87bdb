import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigValidationError } from '@mission-control/config';
import { startServicesThread, type ServicesThreadOptions } from './services-thread';

/** Stand-ins for services.worker.js: each behaves as the real thread does at one turn of its life. */
const SCRIPTS = {
  // Starts, then stops when told.
  healthy: `
    const { parentPort } = require('node:worker_threads');
    parentPort.postMessage({ kind: 'started', service: { name: 'identity', url: 'http://127.0.0.1:1' }, durationMs: 5 });
    parentPort.postMessage({ kind: 'ready' });
    parentPort.on('message', (m) => { if (m.kind === 'stop') process.exit(0); });`,
  // Refuses a setting while starting.
  refused: `
    const { parentPort } = require('node:worker_threads');
    parentPort.postMessage({ kind: 'failed', message: 'Invalid configuration',
      issues: [{ key: 'AGENT_HEARTBEATS_PER_MINUTE', message: 'expected number' }] });
    process.exit(1);`,
  // Starts, then dies of an error nothing handled.
  crashing: `
    const { parentPort } = require('node:worker_threads');
    parentPort.postMessage({ kind: 'ready' });
    setTimeout(() => { throw new Error('the mission service fell over'); }, 50);`,
};

describe('the services thread, as the main thread sees it', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'services-thread-'));
  const script = (name: keyof typeof SCRIPTS) => {
    const file = path.join(dir, `${name}.js`);
    writeFileSync(file, SCRIPTS[name]);
    return file;
  };
  const options = (name: keyof typeof SCRIPTS, onLost = jest.fn()): ServicesThreadOptions => ({
    env: {},
    liveTopics: ['mission.events.v1'],
    onStarted: jest.fn(),
    onLost,
    script: script(name),
  });

  it('hands over the services it started, and stops the thread when asked', async () => {
    const started = options('healthy');
    const host = await startServicesThread(started);

    expect(host.services).toEqual([{ name: 'identity', url: 'http://127.0.0.1:1' }]);
    expect(started.onStarted).toHaveBeenCalledWith(host.services[0], 5);
    await host.stop();
    expect(started.onLost).not.toHaveBeenCalled();
  });

  it('fails to start with the refused setting named, as a configuration error', async () => {
    const failure = await startServicesThread(options('refused')).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ConfigValidationError);
    expect((failure as Error).message).toMatch(/AGENT_HEARTBEATS_PER_MINUTE \(expected number\)/);
  });

  it('reports a thread that dies while the instance runs', async () => {
    const lost = new Promise<Error>((resolve) => {
      void startServicesThread(options('crashing', jest.fn(resolve)));
    });

    expect((await lost).message).toMatch(/the mission service fell over/);
  });
});
