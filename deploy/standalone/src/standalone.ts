import { migrateDatabase } from '@mission-control/database';
import { appsEnv, NOT_IN_STANDALONE } from './config/apps-env.config';
import type { StandaloneConfig } from './config/standalone.config';
import { defaultDataDir, openDataFolder } from './data-folder/data-folder';
import type { DemoSquad } from './demo/demo-squad';
import { startEmbeddedPostgres } from './postgres/embedded-postgres';
import type { OnServiceStarted } from './services/service-host';

export type Progress = (line: string) => void;

export type Standalone = {
  url: string;
  dataDir: string;
  /** The demo workspace's sign-in, when started with the demo. */
  demo?: DemoSquad;
  stop(): Promise<void>;
};

const DATABASE = 'mission_control';

/**
 * The services, the gateway and the web server take seconds of CPU to load: loading starts at
 * once, while Postgres starts and the migrations run in processes of their own. With the services
 * in a thread of their own, this one loads only what it runs.
 */
async function loadApps(servicesThread: boolean) {
  const [services, frontDoor] = await Promise.all([
    servicesThread ? import('./services/services-thread.js') : import('./services/service-host.js'),
    import('./http/front-door.js'),
  ]);
  return { services, ...frontDoor };
}

/**
 * Everything on one machine from one command: Postgres from the data folder, migrations, every
 * service and the gateway in this process on the in-process event bus, search and metrics in
 * Postgres, and the web app on the same port. Each step reports as it finishes. Whatever started
 * stops again if a later step fails.
 */
export async function startStandalone(
  config: StandaloneConfig,
  progress: Progress,
): Promise<Standalone> {
  const cleanup: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const step of cleanup.splice(0).reverse()) {
      await step();
    }
  };
  const apps = loadApps(config.MC_SERVICES_THREAD);
  // Awaited once Postgres is up; a failure before that must not also surface as unhandled.
  apps.catch(() => undefined);
  try {
    const dataDir = config.MC_DATA_DIR ?? defaultDataDir();
    const folder = await openDataFolder(dataDir);
    cleanup.push(() => folder.release());
    progress(`data folder ${dataDir}`);

    const postgres = await startEmbeddedPostgres({
      dir: folder.postgresDir,
      password: folder.secrets.POSTGRES_PASSWORD,
      log: progress,
    });
    cleanup.push(() => postgres.stop());
    progress('Postgres started');

    const databaseUrl = postgres.databaseUrl(DATABASE);
    await migrateDatabase(databaseUrl, { log: (line) => progress(`migrations ${line.trim()}`) });

    const { env, ignored } = appsEnv(config, {
      DATABASE_URL: databaseUrl,
      INTERNAL_AUTH_SECRET: folder.secrets.INTERNAL_AUTH_SECRET,
      IDENTITY_SIGNING_KEY: folder.secrets.IDENTITY_SIGNING_KEY,
    });
    if (ignored.length > 0) {
      const reasons = ignored.map((key) => `${key} (${NOT_IN_STANDALONE[key]})`);
      progress(`not used in standalone mode: ${reasons.join('; ')}`);
    }
    const { services, openFrontDoor, liveTopicsOf } = await apps;
    const onStarted: OnServiceStarted = (service, ms) =>
      progress(`${service.name} service ready (${(ms / 1000).toFixed(1)} s)`);
    const host =
      'startServicesThread' in services
        ? await services.startServicesThread({
            env,
            liveTopics: liveTopicsOf(env),
            onStarted,
            // Half an instance would answer with errors: it stops, for its supervisor to restart.
            onLost: (reason) => {
              progress(`the services stopped unexpectedly: ${reason.message}`);
              void stop().finally(() => process.exit(70));
            },
          })
        : await services.startServices(env, onStarted);
    cleanup.push(() => host.stop());

    // Only the web server (it runs in this process and reads process.env) and the gateway hold it.
    process.env.CLIENT_ADDRESS_SECRET = folder.secrets.CLIENT_ADDRESS_SECRET;
    const door = await openFrontDoor({
      host: config.HOST,
      port: config.PORT,
      env: { ...env, CLIENT_ADDRESS_SECRET: folder.secrets.CLIENT_ADDRESS_SECRET },
      services: host.services,
    });
    cleanup.push(() => door.close());
    progress(`gateway and web app listening on ${door.url}`);

    let demo: DemoSquad | undefined;
    if (config.MC_DEMO) {
      const { startDemoSquad } = await import('./demo/demo-squad.js');
      demo = await startDemoSquad({
        gatewayUrl: door.url,
        dataDir,
        log: progress,
        paceMs: config.MC_DEMO_PACE_MS,
      });
      cleanup.push(() => demo!.stop());
      progress('demo squad at work');
    }
    return { url: door.url, dataDir, demo, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
