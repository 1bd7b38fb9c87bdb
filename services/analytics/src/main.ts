import { loadConfigOrExit } from '@mission-control/config';
import { bootstrapService } from '@mission-control/platform';
import { AppModule } from './app.module';
import { analyticsConfigSchema } from './analytics.config';

const config = loadConfigOrExit('analytics', analyticsConfigSchema);
void bootstrapService(AppModule.forRoot(config), {
  service: 'analytics',
  host: config.HOST,
  port: config.ANALYTICS_PORT,
});
