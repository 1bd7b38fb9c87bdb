import { AppError } from '@mission-control/errors';
import { throughputRange, utilisationRange } from './metrics-query';

const ws = 'ws-1';
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
};

describe('metrics ranges', () => {
  it('accepts a range and returns it scoped to the workspace', () => {
    expect(throughputRange(ws, day(0), day(30), 'day')).toEqual({
      workspaceId: ws,
      from: day(0),
      to: day(30),
      interval: 'day',
    });
    expect(utilisationRange(ws, day(0), day(366))).toMatchObject({ workspaceId: ws });
  });

  it('refuses from at or after to, and invalid times', () => {
    expect(codeOf(() => throughputRange(ws, day(1), day(1), 'day'))).toBe('VALIDATION_ERROR');
    expect(codeOf(() => utilisationRange(ws, day(2), day(1)))).toBe('VALIDATION_ERROR');
    expect(codeOf(() => utilisationRange(ws, new Date('nope'), day(1)))).toBe('VALIDATION_ERROR');
  });

  it('refuses more than 1000 buckets and more than 366 days of utilisation', () => {
    expect(codeOf(() => throughputRange(ws, day(0), day(41), 'hour'))).toBe(undefined);
    expect(codeOf(() => throughputRange(ws, day(0), day(42), 'hour'))).toBe('VALIDATION_ERROR');
    expect(codeOf(() => utilisationRange(ws, day(0), day(367)))).toBe('VALIDATION_ERROR');
  });
});
