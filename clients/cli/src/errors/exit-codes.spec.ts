import { MissionControlError } from '@mission-control/sdk';
import { EXIT_CODES, errorLine, exitCodeOf } from './exit-codes';

describe('exit codes', () => {
  it('gives every coded error its own exit code, and anything else 1', () => {
    expect(exitCodeOf(new MissionControlError({ code: 'VALIDATION_ERROR', message: 'x' }))).toBe(2);
    expect(exitCodeOf(new MissionControlError({ code: 'UNAUTHENTICATED', message: 'x' }))).toBe(3);
    expect(exitCodeOf(new MissionControlError({ code: 'FORBIDDEN', message: 'x' }))).toBe(4);
    expect(exitCodeOf(new MissionControlError({ code: 'NOT_FOUND', message: 'x' }))).toBe(5);
    expect(exitCodeOf(new MissionControlError({ code: 'CONFLICT', message: 'x' }))).toBe(6);
    expect(exitCodeOf(new MissionControlError({ code: 'LIMIT_EXCEEDED', message: 'x' }))).toBe(7);
    expect(exitCodeOf(new MissionControlError({ code: 'NETWORK_ERROR', message: 'x' }))).toBe(8);
    expect(exitCodeOf(new MissionControlError({ code: 'INTERNAL_ERROR', message: 'x' }))).toBe(1);
    expect(exitCodeOf(new Error('boom'))).toBe(1);
    const codes = Object.entries(EXIT_CODES).filter(([code]) => code !== 'INTERNAL_ERROR');
    expect(new Set(codes.map(([, exit]) => exit)).size).toBe(codes.length);
  });

  it('says what went wrong in one line with the request id', () => {
    const error = new MissionControlError({
      code: 'FORBIDDEN',
      message: 'Missing permission\ncreate_missions',
      requestId: 'req-42',
    });
    expect(errorLine(error)).toBe(
      'mc: FORBIDDEN: Missing permission create_missions (request id req-42)',
    );
    expect(errorLine(new MissionControlError({ code: 'NETWORK_ERROR', message: 'down' }))).toBe(
      'mc: NETWORK_ERROR: down',
    );
    expect(errorLine(new Error('disk full'))).toBe('mc: disk full');
  });
});
