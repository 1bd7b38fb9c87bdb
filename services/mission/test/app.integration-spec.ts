import { describeServiceReadiness } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { missionTestConfig } from './mission-test-kit';

describeServiceReadiness(
  'mission',
  // Outside production the service writes its SDL at boot: not over the committed file here.
  () => AppModule.forRoot(missionTestConfig({ NODE_ENV: 'production' })),
  ['postgres', 'kafka'],
);
