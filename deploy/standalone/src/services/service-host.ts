import type { DynamicModule, INestApplication } from '@nestjs/common';
import { loadConfig, type Env } from '@mission-control/config';
import { processEventBus } from '@mission-control/eventing';
import { startEventHandlers } from '@mission-control/eventing/nest';
import { bootstrapService } from '@mission-control/platform';
import * as agent from '@mission-control/agent';
import * as analytics from '@mission-control/analytics';
import * as identity from '@mission-control/identity';
import * as mission from '@mission-control/mission';

/**
 * Every subgraph the gateway composes, in the order they start: identity first, since the others'
 * callers arrive with its tokens. (The integration service has no graph or consumers yet.)
 */
const SUBGRAPH_SERVICES = [
  ['identity', (env) => identity.AppModule.forRoot(loadConfig(identity.identityConfigSchema, env))],
  ['agent', (env) => agent.AppModule.forRoot(loadConfig(agent.agentConfigSchema, env))],
  ['mission', (env) => mission.AppModule.forRoot(loadConfig(mission.missionConfigSchema, env))],
  [
    'analytics',
    (env) => analytics.AppModule.forRoot(loadConfig(analytics.analyticsConfigSchema, env)),
  ],
] as const satisfies readonly (readonly [string, (env: Env) => DynamicModule])[];

export type ServiceName = (typeof SUBGRAPH_SERVICES)[number][0];

/** Where the gateway reaches one service. */
export type ServiceAddress = { name: ServiceName; url: string };

/** The services of the instance, wherever they run, and how to stop them. */
export type ServiceHost = { services: ServiceAddress[]; stop(): Promise<void> };

export type OnServiceStarted = (service: ServiceAddress, durationMs: number) => void;

/**
 * Starts each service as its own Nest application in this thread, on a loopback port the system
 * picks, so instances side by side never clash. Each keeps its own module graph, pools and
 * config, exactly as when deployed alone; only the event bus is shared, in memory.
 */
export async function startServices(env: Env, onStarted: OnServiceStarted): Promise<ServiceHost> {
  const running: { address: ServiceAddress; app: INestApplication }[] = [];
  // What the first services publish is not delivered until the later ones' consumers have it.
  const releaseSettlement = processEventBus().holdSettlement();
  // In reverse order: consumers stop before what they read from goes away.
  const stop = async () => {
    for (const { app } of running.splice(0).reverse()) {
      await app.close();
    }
  };
  try {
    for (const [name, module] of SUBGRAPH_SERVICES) {
      const started = performance.now();
      const app = await bootstrapService(module(env), {
        service: name,
        host: '127.0.0.1',
        port: 0,
        shutdownHooks: false,
      });
      // Each consumer on the shared bus, from the moment its service is up.
      await startEventHandlers(app);
      const address = { name, url: await app.getUrl() };
      running.push({ address, app });
      onStarted(address, performance.now() - started);
    }
    return { services: running.map(({ address }) => address), stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    releaseSettlement();
  }
}
