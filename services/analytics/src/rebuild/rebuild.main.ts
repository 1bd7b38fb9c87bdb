import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@mission-control/config';
import { projectionsConfigSchema } from '../analytics.config';
import { RebuildCliModule } from './rebuild-cli.module';
import { RebuildRefusedError, RebuildService } from './rebuild.service';

// npm run analytics:rebuild — reads the same environment as the service.
async function main(): Promise<void> {
  const config = loadConfigOrExit('analytics', projectionsConfigSchema);
  const app = await NestFactory.createApplicationContext(RebuildCliModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    const rebuild = app.get(RebuildService);
    rebuild.assertSupported();
    const write = (line: string) => process.stdout.write(`${line}\n`);
    write(
      `analytics rebuild: ${config.AGENT_EVENTS_TOPIC}, ${config.MISSION_EVENTS_TOPIC} → ` +
        `${config.ELASTICSEARCH_URL} (${config.ELASTICSEARCH_INDEX_PREFIX}), ` +
        `${config.INFLUX_URL} (${config.INFLUX_DATABASE})`,
    );
    await rebuild.rebuild(write);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof RebuildRefusedError
      ? `analytics rebuild refused (${error.reason}): ${error.message}\n`
      : `analytics rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
