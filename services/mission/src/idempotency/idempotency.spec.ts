import { AppError } from '@mission-control/errors';
import { idempotencyKeyOf, requestHash } from './idempotency';

describe('idempotency keys', () => {
  it('takes a printable key of 8–200 characters, and none', () => {
    expect(idempotencyKeyOf('0193a0c4-0000-7000-8000-00000000000a')).toBe(
      '0193a0c4-0000-7000-8000-00000000000a',
    );
    expect(idempotencyKeyOf(undefined)).toBeNull();
    for (const bad of ['short', 'with space inside', 'x'.repeat(201), 'tab\there12']) {
      expect(() => idempotencyKeyOf(bad)).toThrow(AppError);
    }
  });

  it('hashes the same input alike whatever its key order, and tells inputs and operations apart', () => {
    const a = requestHash('appendRunLog', { runId: 'r', lines: [{ stream: 'stdout', text: 'x' }] });
    const b = requestHash('appendRunLog', { lines: [{ text: 'x', stream: 'stdout' }], runId: 'r' });
    expect(a).toBe(b);
    expect(requestHash('appendRunLog', { runId: 'r', lines: [] })).not.toBe(a);
    expect(
      requestHash('finishRun', { runId: 'r', lines: [{ stream: 'stdout', text: 'x' }] }),
    ).not.toBe(a);
    expect(requestHash('op', { a: 1, b: undefined })).toBe(requestHash('op', { a: 1 }));
  });
});
