import { loadConfig } from '@mission-control/config';
import { describeServiceReadiness } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { missionConfigSchema } from '../src/mission.config';

describeServiceReadiness('mission', () => AppModule.forRoot(loadConfig(missionConfigSchema)), [
  'postgres',
  'kafka',
]);
