import {
  Controller,
  Get,
  HttpStatus,
  Inject,
  type OnApplicationShutdown,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '@mission-control/auth';
import { Logger } from 'nestjs-pino';
import { READINESS_CHECKS, type ReadinessCheck, runReadinessChecks } from './readiness-check';

// Probes come from the orchestrator, never with a principal.
@Public()
@Controller()
export class HealthController implements OnApplicationShutdown {
  constructor(
    @Inject(READINESS_CHECKS) private readonly checks: readonly ReadinessCheck[],
    private readonly logger: Logger,
  ) {}

  /** Liveness: the process serves HTTP. Never depends on an engine, so a slow database does not get pods killed. */
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  /** Readiness: every engine this service needs answers. Errors are logged, not returned. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response) {
    const report = await runReadinessChecks(this.checks);
    const checks: Record<string, { status: 'up' | 'down'; latencyMs: number }> = {};
    for (const [name, { status, latencyMs, error }] of Object.entries(report.checks)) {
      checks[name] = { status, latencyMs };
      if (error) {
        this.logger.warn({ check: name, error }, 'readiness check failed');
      }
    }
    response.status(report.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: report.ready ? 'ready' : 'not_ready', checks };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.checks.map((item) => item.close?.() ?? Promise.resolve()));
  }
}
