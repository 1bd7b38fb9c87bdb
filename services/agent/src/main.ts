import { loadConfigOrExit } from '@mission-control/config';
import { bootstrapService } from '@mission-control/platform';
import { AppModule } from './app.module';
import { agentConfigSchema } from './agent.config';

const config = loadConfigOrExit('agent', agentConfigSchema);
void bootstrapService(AppModule.forRoot(config), {
  service: 'agent',
  host: config.HOST,
  port: config.AGENT_PORT,
});
