import { type DynamicModule, Module } from '@nestjs/common';
import { LIVE_OPTIONS, LivePush, type LiveOptions } from './live-push.service';

@Module({})
export class LiveModule {
  static forRoot(options: LiveOptions): DynamicModule {
    return {
      module: LiveModule,
      providers: [{ provide: LIVE_OPTIONS, useValue: options }, LivePush],
      exports: [LivePush],
    };
  }
}
