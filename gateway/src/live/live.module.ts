import {
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
  Module,
} from '@nestjs/common';
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

  /** Options that need providers of other modules (the edge authenticator). */
  static forRootAsync(
    options: Pick<ModuleMetadata, 'imports'> &
      Pick<FactoryProvider<LiveOptions>, 'inject' | 'useFactory'>,
  ): DynamicModule {
    return {
      module: LiveModule,
      imports: options.imports ?? [],
      providers: [
        { provide: LIVE_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        LivePush,
      ],
      exports: [LivePush],
    };
  }
}
