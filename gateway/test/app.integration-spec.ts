import { loadConfig } from '@mission-control/config';
import { describeServiceReadiness } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { gatewayConfigSchema } from '../src/gateway.config';

describeServiceReadiness('gateway', () => AppModule.forRoot(loadConfig(gatewayConfigSchema)), [
  'kafka',
]);
