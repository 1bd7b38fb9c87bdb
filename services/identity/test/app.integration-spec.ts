import { loadConfig } from '@mission-control/config';
import { describeServiceReadiness } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { identityConfigSchema } from '../src/identity.config';

describeServiceReadiness('identity', () => AppModule.forRoot(loadConfig(identityConfigSchema)), [
  'postgres',
  'kafka',
]);
