import { loadConfigOrExit } from '@mission-control/config';
import { startEventHandlers } from '@mission-control/eventing/nest';
import { bootstrapService } from '@mission-control/platform';
import { AppModule } from './app.module';
import { agentConfigSchema } from './agent.config';

const config = loadConfigOrExit('agent', agentConfigSchema);
void bootstrapService(AppModule.forRoot(config), {
  service: 'agent',
  host: config.HOST,
  port: config.AGENT_PORT,
}).then(startEventHandlers);
