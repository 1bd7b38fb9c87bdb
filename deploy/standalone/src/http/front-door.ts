import 'reflect-metadata';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import next from 'next';
import { Logger } from 'nestjs-pino';
import { loadConfig, type Env } from '@mission-control/config';
import { configureHttp } from '@mission-control/platform';
import * as gateway from '@mission-control/gateway';
import type { ServiceAddress } from '../services/service-host';
import { keepNativeDate } from './native-date';

/** The process's Date before the web server loads (see keepNativeDate). */
const NATIVE_DATE = Date;

/** What the gateway answers on the shared port; the web app answers everything else. */
export const GATEWAY_PATHS = /^\/(graphql|socket\.io|api\/v1|mcp|health|ready)(\/|$)/;

export type FrontDoorOptions = {
  host: string;
  port: number;
  /** What every app of the process shares (the operator's settings, secrets, bus). */
  env: Env;
  /** The subgraphs the gateway routes to. */
  services: readonly ServiceAddress[];
  /** The web app's folder, holding its production build (.next); the repository's by default. */
  webDir?: string;
};

/** The topics the gateway's live push reads (LIVE_TOPICS), as its own configuration has them. */
export function liveTopicsOf(env: Env): string[] {
  return loadConfig(gateway.gatewayConfigSchema, env).LIVE_TOPICS;
}

export type FrontDoor = { app: INestApplication; url: string; close(): Promise<void> };

/**
 * One port for a person's browser: the web app's pages and, on the same origin, the graph and live
 * push (no CORS, one address to open). Next.js serves through the gateway's Express app ahead of
 * the gateway's routes, leaving it the paths it owns; socket.io and graphql-ws take their upgrades
 * on the same server.
 */
export async function openFrontDoor(options: FrontDoorOptions): Promise<FrontDoor> {
  const missing = gateway.SUBGRAPH_NAMES.filter(
    (name) => !options.services.some((service) => service.name === name),
  );
  if (missing.length > 0) {
    // The gateway would route them to their default addresses, outside this process.
    throw new Error(`standalone mode does not run the subgraph(s) ${missing.join(', ')}`);
  }
  const origins = [`http://127.0.0.1:${options.port}`, `http://localhost:${options.port}`];
  const gatewayConfig = loadConfig(gateway.gatewayConfigSchema, {
    ...options.env,
    ...Object.fromEntries(
      options.services.map((service) => [
        gateway.subgraphUrlKey(service.name),
        `${service.url}/graphql`,
      ]),
    ),
    IDENTITY_JWKS_URL: `${options.services.find((s) => s.name === 'identity')!.url}/.well-known/jwks.json`,
    // Its own origins, and any the operator adds (this machine under another name, a proxy).
    CORS_ORIGINS: [...origins, options.env.CORS_ORIGINS].filter(Boolean).join(','),
  });
  // The web app's server reads these at run time: it reaches the graph on its own port, and
  // tells browsers to use the origin the page came from.
  process.env.GATEWAY_URL = origins[0];
  process.env.PUBLIC_GATEWAY_URL = '/';
  process.env.NEXT_TELEMETRY_DISABLED = '1';

  const web = next({
    dev: false,
    dir: options.webDir ?? path.resolve(__dirname, '..', '..', '..', '..', 'web'),
    hostname: options.host,
    port: options.port,
  });
  await web.prepare();
  keepNativeDate(NATIVE_DATE);
  const handle = web.getRequestHandler();

  const server = express();
  server.use((request, response, passOn) => {
    if (GATEWAY_PATHS.test(request.path)) {
      passOn();
      return;
    }
    // Nothing stands in front of this port unless TRUST_PROXY_HOPS says so: a caller's own
    // X-Forwarded-For would pass for its address in the login limits the web app signs for.
    if (gatewayConfig.TRUST_PROXY_HOPS === 0) {
      delete request.headers['x-forwarded-for'];
    }
    handle(request, response).catch(passOn);
  });
  const app = await NestFactory.create<NestExpressApplication>(
    gateway.AppModule.forRoot(gatewayConfig),
    new ExpressAdapter(server),
    // Open browsers hold live sockets: stopping must not wait for people to close their tabs.
    { bufferLogs: true, forceCloseConnections: true },
  );
  configureHttp(app, gateway.gatewayHttpOptions(gatewayConfig));
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
