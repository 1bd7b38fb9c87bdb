import path from 'node:path';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { ConfigValidationError, type Env } from '@mission-control/config';
import { processEventBus, publishFromPort } from '@mission-control/eventing';
import type { OnServiceStarted, ServiceAddress, ServiceHost } from './service-host';

/** What the services thread is started with. */
export type ServicesThreadData = {
  env: Env;
  /** Topics this thread's live push reads, forwarded from the services' bus. */
  liveTopics: string[];
  busPort: MessagePort;
};

/** What the services thread tells this one. */
export type FromServicesThread =
  | { kind: 'started'; service: ServiceAddress; durationMs: number }
  | { kind: 'ready' }
  /** It could not start; `issues` when a setting was refused (errors lose their class in between). */
  | { kind: 'failed'; message: string; issues?: ConfigValidationError['issues'] };

export type ToServicesThread = { kind: 'stop' };

export type ServicesThreadOptions = {
  env: Env;
  liveTopics: readonly string[];
  onStarted: OnServiceStarted;
  /** The thread ended while the instance was running (an error it could not handle). */
  onLost: (reason: Error) => void;
  /** What the thread runs: services.worker.js beside this file unless a test says otherwise. */
  script?: string;
};

const WORKER_SCRIPT = path.join(__dirname, 'services.worker.js');

/**
 * Runs the services in a second thread of this process (services.worker.ts), so that on a
 * machine of two cores or more they and the gateway in front of them each have a core: a board
 * read is about half gateway, half service. Their events reach this thread's bus for live push.
 */
export function startServicesThread(options: ServicesThreadOptions): Promise<ServiceHost> {
  const bus = new MessageChannel();
  const stopReceiving = publishFromPort(bus.port1, processEventBus());
  const data: ServicesThreadData = {
    env: options.env,
    liveTopics: [...options.liveTopics],
    busPort: bus.port2,
  };
  const worker = new Worker(options.script ?? WORKER_SCRIPT, {
    workerData: data,
    transferList: [bus.port2],
  });
  const services: ServiceAddress[] = [];
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  let stopping = false;

  const stop = async () => {
    stopping = true;
    // Nothing to tell a thread that has already ended.
    worker.postMessage({ kind: 'stop' } satisfies ToServicesThread);
    await exited;
    stopReceiving();
    bus.port1.close();
  };

  return new Promise<ServiceHost>((resolve, reject) => {
    let ready = false;
    let ended = false;
    const lost = (reason: Error) => {
      if (ended) {
        return;
      }
      ended = true;
      stopReceiving();
      bus.port1.close();
      if (!ready) {
        reject(reason);
      } else if (!stopping) {
        options.onLost(reason);
      }
    };
    worker.on('message', (message: FromServicesThread) => {
      if (message.kind === 'started') {
        services.push(message.service);
        options.onStarted(message.service, message.durationMs);
      } else if (message.kind === 'ready') {
        ready = true;
        resolve({ services, stop });
      } else {
        lost(
          message.issues ? new ConfigValidationError(message.issues) : new Error(message.message),
        );
      }
    });
    worker.on('error', lost);
    worker.on('exit', (code) => {
      if (!stopping || !ready) {
        lost(new Error(`the services thread exited (${code})`));
      }
    });
  });
}
