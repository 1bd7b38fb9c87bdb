import type { Env } from '@mission-control/config';
import { loadConfig } from '@mission-control/config';
import { migrateDatabase } from '@mission-control/database';
import { gatewayConfigSchema, subgraphUrlKey } from '@mission-control/gateway';
import type { StandaloneConfig } from './config/standalone.config';
import { defaultDataDir, openDataFolder } from './data-folder/data-folder';
import { startDemoSquad, type DemoSquad } from './demo/demo-squad';
import { defaultWebDir, openFrontDoor } from './http/front-door';
import { startEmbeddedPostgres } from './postgres/embedded-postgres';
import { startServices, stopServices, type RunningService } from './services/service-host';

export type Progress = (line: string) => void;

export type Standalone = {
  url: string;
  dataDir: string;
  /** The demo workspace's sign-in, when started with the demo. */
  demo?: DemoSquad;
  /** Postgres runs beside this process; whoever measures the instance counts it too. */
  postgresPid: number | undefined;
  stop(): Promise<void>;
};

const DATABASE = 'mission_control';

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

    const env: Env = {
      NODE_ENV: config.NODE_ENV,
      LOG_LEVEL: config.LOG_LEVEL,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '5',
      INTERNAL_AUTH_SECRET: folder.secrets.INTERNAL_AUTH_SECRET,
      IDENTITY_SIGNING_KEY: folder.secrets.IDENTITY_SIGNING_KEY,
      EVENT_BUS: 'in-process',
      ANALYTICS_SEARCH_ENGINE: 'postgres',
      ANALYTICS_METRICS_ENGINE: 'postgres',
    };
    const services: RunningService[] = [];
    cleanup.push(() => stopServices(services));
    services.push(
      ...(await startServices(env, (service, ms) =>
        progress(`${service.name} service ready (${(ms / 1000).toFixed(1)} s)`),
      )),
    );

    const origins = [`http://127.0.0.1:${config.PORT}`, `http://localhost:${config.PORT}`];
    const gatewayConfig = loadConfig(gatewayConfigSchema, {
      ...env,
      ...Object.fromEntries(
        services.map((service) => [subgraphUrlKey(service.name), `${service.url}/graphql`]),
      ),
      IDENTITY_JWKS_URL: `${services.find((s) => s.name === 'identity')!.url}/.well-known/jwks.json`,
      CORS_ORIGINS: origins.join(','),
    });
    // The web app's server reads these at run time: it reaches the graph on its own port, and
    // tells browsers to use the origin the page came from.
    process.env.GATEWAY_URL = origins[0];
    process.env.PUBLIC_GATEWAY_URL = '/';
    process.env.NEXT_TELEMETRY_DISABLED = '1';
    const door = await openFrontDoor({
      host: config.HOST,
      port: config.PORT,
      gatewayConfig,
      webDir: defaultWebDir(),
    });
    cleanup.push(() => door.close());
    progress(`gateway and web app listening on ${door.url}`);

    let demo: DemoSquad | undefined;
    if (config.MC_DEMO) {
      demo = await startDemoSquad({ gatewayUrl: door.url, dataDir, log: progress });
      cleanup.push(() => demo!.stop());
      progress('demo squad at work');
    }
    return { url: door.url, dataDir, demo, postgresPid: postgres.pid, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
