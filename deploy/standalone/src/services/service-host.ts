import type { DynamicModule, INestApplication } from '@nestjs/common';
import { loadConfig, type Env } from '@mission-control/config';
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

export type RunningService = { name: ServiceName; app: INestApplication; url: string };

/**
 * Starts each service as its own Nest application inside this process, on a loopback port the
 * system picks, so instances side by side never clash. Each keeps its own module graph, pools
 * and config, exactly as when deployed alone; only the event bus is shared, in memory.
 */
export async function startServices(
  env: Env,
  onStarted: (service: RunningService, durationMs: number) => void,
): Promise<RunningService[]> {
  const running: RunningService[] = [];
  try {
    for (const [name, module] of SUBGRAPH_SERVICES) {
      const started = performance.now();
      const app = await bootstrapService(module(env), {
        service: name,
        host: '127.0.0.1',
        port: 0,
        shutdownHooks: false,
      });
      // Each consumer on the process's shared bus, from the moment its service is up.
      await startEventHandlers(app);
      const service = { name, app, url: await app.getUrl() };
      running.push(service);
      onStarted(service, performance.now() - started);
    }
    return running;
  } catch (error) {
    await stopServices(running);
    throw error;
  }
}

/** Closes services in reverse order: consumers stop before what they read from goes away. */
export async function stopServices(services: readonly RunningService[]): Promise<void> {
  for (const service of [...services].reverse()) {
    await service.app.close();
  }
}
