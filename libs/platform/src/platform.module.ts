import {
  type DynamicModule,
  type InjectionToken,
  Module,
  type ModuleMetadata,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { HttpErrorFilter } from './errors/http-error.filter';
import { HealthController } from './health/health.controller';
import { READINESS_CHECKS, type ReadinessCheck } from './health/readiness-check';
import { loggerOptions } from './logging/logger-options';

export type PlatformModuleOptions = {
  service: string;
  logLevel: string;
  /** Modules whose exported providers the readiness factory needs. */
  imports?: ModuleMetadata['imports'];
  readiness: {
    inject?: (InjectionToken | OptionalFactoryDependency)[];
    useFactory: (...deps: never[]) => ReadinessCheck[];
  };
};

/** What every service gets: JSON logs with request ids, coded errors, /health and /ready. */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        LoggerModule.forRoot(loggerOptions(options.service, options.logLevel)),
        ...(options.imports ?? []),
      ],
      controllers: [HealthController],
      providers: [
        {
          provide: READINESS_CHECKS,
          useFactory: options.readiness.useFactory,
          inject: options.readiness.inject ?? [],
        },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
