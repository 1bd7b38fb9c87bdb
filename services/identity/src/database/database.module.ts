import { type DynamicModule, Module } from '@nestjs/common';
import type { DatabaseOptions } from '@mission-control/database';
import { PrismaService } from './prisma.service';

@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: PrismaService, useFactory: () => new PrismaService(options) }],
      exports: [PrismaService],
    };
  }
}
