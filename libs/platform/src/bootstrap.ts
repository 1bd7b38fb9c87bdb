import 'reflect-metadata';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';

export type BootstrapOptions = { service: string; port: number; host?: string };

/** Starts a service's HTTP server with structured logs and graceful shutdown on SIGTERM. */
export async function bootstrapService(
  module: Type<unknown> | DynamicModule,
  options: BootstrapOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true });
  app.disable('x-powered-by');
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  await app.listen(options.port, options.host ?? '127.0.0.1');
  logger.log(`${options.service} listening on ${await app.getUrl()}`, 'Bootstrap');
  return app;
}
