import type { DynamicModule } from '@nestjs/common';
import { describeServiceReadiness } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { identityTestConfig } from './identity-test-kit';

let root: DynamicModule;
beforeAll(async () => {
  root = AppModule.forRoot(await identityTestConfig());
});

describeServiceReadiness('identity', () => root, ['postgres', 'kafka']);
