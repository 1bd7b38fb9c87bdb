import type { DoctorCheck } from '@mission-control/runner';
import { MissionControlError } from '@mission-control/sdk';

const MARK: Record<DoctorCheck['status'], string> = { ok: 'ok  ', failed: 'FAIL', skipped: 'skip' };

/** One line per check (`ok`, `FAIL`, `skip`), a failure's fix on the line under it. */
export function renderDoctorReport(checks: readonly DoctorCheck[]): string {
  return checks
    .map((check) => {
      const line = `${MARK[check.status]}  ${check.agent ? `${check.agent}: ` : ''}${check.check}: ${check.detail.replace(/\s*\n\s*/g, ' ')}`;
      return check.fix ? `${line}\n      fix: ${check.fix}` : line;
    })
    .map((line) => `${line}\n`)
    .join('');
}

/** Why the doctor's exit is not 0: the first failure's kind, and how many failed; null if none. */
export function doctorFailure(checks: readonly DoctorCheck[]): MissionControlError | null {
  const failed = checks.filter((check) => check.status === 'failed');
  const first = failed[0];
  if (!first) {
    return null;
  }
  const what = `${first.agent ? `${first.agent}: ` : ''}${first.check}`;
  return new MissionControlError({
    code: first.code ?? 'INTERNAL_ERROR',
    message: `${failed.length} of ${checks.length} checks failed (first: ${what})`,
  });
}
