import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaReadiness, PlatformModule } from '@mission-control/platform';
import type { GatewayConfig } from './gateway.config';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'gateway',
          logLevel: config.LOG_LEVEL,
          readiness: {
            useFactory: () => [
              new KafkaReadiness(config.KAFKA_BROKERS, config.KAFKA_CLIENT_ID ?? 'gateway'),
            ],
          },
        }),
      ],
    };
  }
}
