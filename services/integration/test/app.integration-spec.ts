import { loadConfig } from '@mission-control/config';
import { describeServiceReadiness } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { integrationConfigSchema } from '../src/integration.config';

describeServiceReadiness(
  'integration',
  () => AppModule.forRoot(loadConfig(integrationConfigSchema)),
  ['postgres', 'kafka'],
);
