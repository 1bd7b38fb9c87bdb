import { loadConfigOrExit } from '@mission-control/config';
import { bootstrapService } from '@mission-control/platform';
import { AppModule } from './app.module';
import { integrationConfigSchema } from './integration.config';

const config = loadConfigOrExit('integration', integrationConfigSchema);
void bootstrapService(AppModule.forRoot(config), {
  service: 'integration',
  host: config.HOST,
  port: config.INTEGRATION_PORT,
});
