import { loadConfigOrExit } from '@mission-control/config';
import { startEventHandlers } from '@mission-control/eventing/nest';
import { bootstrapService } from '@mission-control/platform';
import { AppModule } from './app.module';
import { missionConfigSchema } from './mission.config';

const config = loadConfigOrExit('mission', missionConfigSchema);
void bootstrapService(AppModule.forRoot(config), {
  service: 'mission',
  host: config.HOST,
  port: config.MISSION_PORT,
}).then(startEventHandlers);
