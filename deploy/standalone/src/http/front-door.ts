import 'reflect-metadata';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import next from 'next';
import { Logger } from 'nestjs-pino';
import { configureHttp } from '@mission-control/platform';
import * as gateway from '@mission-control/gateway';

/** What the gateway answers on the shared port; the web app answers everything else. */
export const GATEWAY_PATHS = /^\/(graphql|socket\.io|health|ready)(\/|$)/;

export type FrontDoorOptions = {
  host: string;
  port: number;
  /** The gateway's configuration (subgraph URLs, secrets, limits). */
  gatewayConfig: gateway.GatewayConfig;
  /** The web app's folder, holding its production build (.next). */
  webDir: string;
};

export type FrontDoor = { app: INestApplication; url: string; close(): Promise<void> };

/**
 * One port for a person's browser: the web app's pages and, on the same origin, the graph and live
 * push (no CORS, one address to open). Next.js serves through the gateway's Express app ahead of
 * the gateway's routes, leaving it the paths it owns; socket.io and graphql-ws take their upgrades
 * on the same server.
 */
export async function openFrontDoor(options: FrontDoorOptions): Promise<FrontDoor> {
  const web = next({ dev: false, dir: options.webDir, hostname: options.host, port: options.port });
  await web.prepare();
  const handle = web.getRequestHandler();

  const server = express();
  server.use((request, response, passOn) => {
    if (GATEWAY_PATHS.test(request.path)) {
      passOn();
      return;
    }
    handle(request, response).catch(passOn);
  });
  const app = await NestFactory.create<NestExpressApplication>(
    gateway.AppModule.forRoot(options.gatewayConfig),
    new ExpressAdapter(server),
    // Open browsers hold live sockets: stopping must not wait for people to close their tabs.
    { bufferLogs: true, forceCloseConnections: true },
  );
  configureHttp(app, gateway.gatewayHttpOptions(options.gatewayConfig));
  app.useLogger(app.get(Logger));
  await app.listen(options.port, options.host);
  return {
    app,
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`,
    close: async () => {
      await app.close();
      await web.close();
    },
  };
}

/** The web app's folder, found from this package's place in the repository. */
export const defaultWebDir = () => path.resolve(__dirname, '..', '..', '..', '..', 'web');
