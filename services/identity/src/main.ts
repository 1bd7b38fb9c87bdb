import { loadConfigOrExit } from '@mission-control/config';
import { startEventHandlers } from '@mission-control/eventing/nest';
import { bootstrapService } from '@mission-control/platform';
import { AppModule } from './app.module';
import { identityConfigSchema } from './identity.config';

const config = loadConfigOrExit('identity', identityConfigSchema);
void bootstrapService(AppModule.forRoot(config), {
  service: 'identity',
  host: config.HOST,
  port: config.IDENTITY_PORT,
}).then(startEventHandlers);
