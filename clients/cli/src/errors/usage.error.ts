import { MissionControlError } from '@mission-control/sdk';

/** Something wrong with what was typed, found before asking the server: exit code 2. */
export const usageError = (message: string): MissionControlError =>
  new MissionControlError({ code: 'VALIDATION_ERROR', message });
