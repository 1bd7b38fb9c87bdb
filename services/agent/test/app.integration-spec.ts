import { loadConfig } from '@mission-control/config';
import { describeServiceReadiness } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { agentConfigSchema } from '../src/agent.config';

describeServiceReadiness('agent', () => AppModule.forRoot(loadConfig(agentConfigSchema)), [
  'postgres',
  'kafka',
]);
