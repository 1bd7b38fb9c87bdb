import { loadConfigOrExit } from '@mission-control/config';
import { bootstrapService } from '@mission-control/platform';
import { AppModule } from './app.module';
import { gatewayConfigSchema } from './gateway.config';
import { gatewayHttpOptions } from './http/http-options';

const config = loadConfigOrExit('gateway', gatewayConfigSchema);
void bootstrapService(AppModule.forRoot(config), {
  service: 'gateway',
  host: config.HOST,
  port: config.GATEWAY_PORT,
  ...gatewayHttpOptions(config),
});
