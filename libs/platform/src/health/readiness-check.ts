/** One engine a service needs before it can take traffic; `check` rejects when it is unreachable. */
export type ReadinessCheck = {
  readonly name: string;
  check(): Promise<void>;
  /** Releases connections the check holds; called on shutdown. */
  close?(): Promise<void>;
};

export type ReadinessReport = {
  ready: boolean;
  checks: Record<string, { status: 'up' | 'down'; latencyMs: number; error?: string }>;
};

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

const timeout = (ms: number, name: string) =>
  new Promise<never>((_, reject) => {
    setTimeout(() => reject(new Error(`${name} did not answer within ${ms} ms`)), ms).unref();
  });

/** Runs every check concurrently, each bounded, so one hung engine cannot hang the probe. */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs = 2_000,
): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map((item) => runOne(item, timeoutMs)));
  const report: ReadinessReport = { ready: true, checks: {} };
  checks.forEach((item, index) => {
    const result = results[index]!;
    report.checks[item.name] = result;
    report.ready &&= result.status === 'up';
  });
  return report;
}

async function runOne(
  item: ReadinessCheck,
  timeoutMs: number,
): Promise<ReadinessReport['checks'][string]> {
  const started = performance.now();
  try {
    await Promise.race([item.check(), timeout(timeoutMs, item.name)]);
    return { status: 'up', latencyMs: elapsed(started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'down', latencyMs: elapsed(started), error: message };
  }
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 10) / 10;
