import 'reflect-metadata';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';

/**
 * JSON bodies up to this size are read (Express's default is 100 kB). The largest request the
 * API accepts is a run's log chunk of 262,144 characters: as UTF-8 and JSON-escaped (terminal
 * colours are control characters) it can take several times that.
 */
export const JSON_BODY_LIMIT = '2mb';

export type HttpOptions = {
  /** Browsers of other origins allowed to call this server (the gateway's, for the web app). */
  cors?: CorsOptions;
  /** Proxy hops in front whose X-Forwarded-For to believe for `request.ip` (Express trust proxy). */
  trustProxy?: number;
};

export type BootstrapOptions = HttpOptions & {
  service: string;
  port: number;
  host: string;
  /** False when the caller owns the process's signals (standalone mode closes every app in order). */
  shutdownHooks?: boolean;
};

/** What every server of ours sets on its HTTP layer, before it starts (tests do the same). */
export function configureHttp(app: INestApplication, options: HttpOptions): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.set('trust proxy', options.trustProxy ?? 0);
  express.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  if (options.cors) {
    app.enableCors(options.cors);
  }
}

/** Starts a service's HTTP server with structured logs and graceful shutdown on SIGTERM. */
export async function bootstrapService(
  module: Type<unknown> | DynamicModule,
  options: BootstrapOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true });
  configureHttp(app, options);
  const logger = app.get(Logger);
  app.useLogger(logger);
  if (options.shutdownHooks !== false) {
    app.enableShutdownHooks();
  }
  await app.listen(options.port, options.host);
  logger.log(`${options.service} listening on ${await app.getUrl()}`, 'Bootstrap');
  return app;
}
