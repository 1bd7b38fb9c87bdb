import { loadConfig } from '@mission-control/config';
import { describeServiceReadiness, testRunId } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { gatewayConfigSchema } from '../src/gateway.config';
import { INTERNAL_SECRET, writeFixtureSupergraph } from './support/test-subgraphs';

let supergraphPath: string;
beforeAll(async () => {
  supergraphPath = await writeFixtureSupergraph(['identity']);
});

describeServiceReadiness(
  'gateway',
  () =>
    AppModule.forRoot(
      loadConfig(gatewayConfigSchema, {
        ...process.env,
        INTERNAL_AUTH_SECRET: INTERNAL_SECRET,
        GATEWAY_SUPERGRAPH_PATH: supergraphPath,
        LIVE_TOPICS: `${testRunId()}.identity.events.v1`,
      }),
    ),
  ['kafka', 'supergraph', 'live'],
);
