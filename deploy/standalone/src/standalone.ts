import { migrateDatabase } from '@mission-control/database';
import { appsEnv, NOT_IN_STANDALONE } from './config/apps-env.config';
import type { StandaloneConfig } from './config/standalone.config';
import { defaultDataDir, openDataFolder } from './data-folder/data-folder';
import type { DemoSquad } from './demo/demo-squad';
import { startEmbeddedPostgres } from './postgres/embedded-postgres';
import type { RunningService } from './services/service-host';

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
 * once, while Postgres starts and the migrations run in processes of their own.
 */
async function loadApps() {
  const [services, frontDoor] = await Promise.all([
    import('./services/service-host.js'),
    import('./http/front-door.js'),
  ]);
  return { ...services, ...frontDoor };
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
  const apps = loadApps();
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
    const { startServices, stopServices, openFrontDoor } = await apps;
    const services: RunningService[] = [];
    cleanup.push(() => stopServices(services));
    services.push(
      ...(await startServices(env, (service, ms) =>
        progress(`${service.name} service ready (${(ms / 1000).toFixed(1)} s)`),
      )),
    );

    // Only the web server (it runs in this process and reads process.env) and the gateway hold it.
    process.env.CLIENT_ADDRESS_SECRET = folder.secrets.CLIENT_ADDRESS_SECRET;
    const door = await openFrontDoor({
      host: config.HOST,
      port: config.PORT,
      env: { ...env, CLIENT_ADDRESS_SECRET: folder.secrets.CLIENT_ADDRESS_SECRET },
      services,
    });
    cleanup.push(() => door.close());
    progress(`gateway and web app listening on ${door.url}`);

    let demo: DemoSquad | undefined;
    if (config.MC_DEMO) {
      const { startDemoSquad } = await import('./demo/demo-squad.js');
      demo = await startDemoSquad({ gatewayUrl: door.url, dataDir, log: progress });
      cleanup.push(() => demo!.stop());
      progress('demo squad at work');
    }
    return { url: door.url, dataDir, demo, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
