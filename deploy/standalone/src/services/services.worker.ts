// The services thread of `npm start` (services-thread.ts): every service, on this thread's own
// in-process bus, with the events live push reads forwarded to the gateway's thread.
import { parentPort, workerData } from 'node:worker_threads';
import { forwardToPort, processEventBus } from '@mission-control/eventing';
import { startServices } from './service-host';
import type { FromServicesThread, ServicesThreadData, ToServicesThread } from './services-thread';

async function run(): Promise<void> {
  const port = parentPort!;
  const data = workerData as ServicesThreadData;
  const tell = (message: FromServicesThread) => port.postMessage(message);
  // Before any service starts: the gateway's live push sees every event from the first one on.
  const forwarding = await forwardToPort(processEventBus(), data.liveTopics, data.busPort);
  const host = await startServices(data.env, (service, durationMs) =>
    tell({ kind: 'started', service, durationMs }),
  );
  port.on('message', (message: ToServicesThread) => {
    if (message.kind === 'stop') {
      // Ends this thread only, once every service has closed its servers and pools.
      void host
        .stop()
        .then(() => forwarding.stop())
        .then(() => process.exit(0));
    }
  });
  tell({ kind: 'ready' });
}

// A failure (to start, or to stop) is left unhandled: it ends the thread with the 'error' the
// main thread reports.
void run();
