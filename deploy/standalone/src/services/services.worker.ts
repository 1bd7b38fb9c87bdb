// The services thread of `npm start` (services-thread.ts): every service, on this thread's own
// in-process bus, with the events live push reads forwarded to the gateway's thread.
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigValidationError } from '@mission-control/config';
import { forwardToPort, processEventBus } from '@mission-control/eventing';
import { startServices } from './service-host';
import type { FromServicesThread, ServicesThreadData, ToServicesThread } from './services-thread';

const port = parentPort!;
const tell = (message: FromServicesThread) => port.postMessage(message);

async function run(): Promise<void> {
  const data = workerData as ServicesThreadData;
  // Before any service starts: the gateway's live push sees every event from the first one on.
  const forwarding = await forwardToPort(processEventBus(), data.liveTopics, data.busPort);
  const host = await startServices(data.env, (service, durationMs) =>
    tell({ kind: 'started', service, durationMs }),
  );
  port.on('message', (message: ToServicesThread) => {
    if (message.kind === 'stop') {
      // Ends this thread only, once every service has closed its servers and pools. A failure to
      // stop is left unhandled: it ends the thread with the 'error' the main thread reports.
      void host
        .stop()
        .then(() => forwarding.stop())
        .then(() => process.exit(0));
    }
  });
  tell({ kind: 'ready' });
}

run().catch((error: unknown) => {
  // Told as what it was, so that a refused setting stops the process as one in the main thread
  // would (exit 78, naming the key).
  tell({
    kind: 'failed',
    message: error instanceof Error ? error.message : String(error),
    issues: error instanceof ConfigValidationError ? [...error.issues] : undefined,
  });
  process.exit(1);
});
