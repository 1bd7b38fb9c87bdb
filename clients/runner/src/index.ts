export * from './adapters/adapter';
export * from './adapters/adapter.registry';
export * from './adapters/command.adapter';
export * from './adapters/claude-code.adapter';
export * from './adapters/codex.adapter';
export * from './adapters/openclaw/openclaw.adapter';
export * from './adapters/openclaw/openclaw.error';
export * from './adapters/openclaw/openclaw-event.parser';
export {
  OPENCLAW_PROTOCOL,
  OpenClawGatewayClient,
  type OpenClawConnectOptions,
} from './adapters/openclaw/openclaw-gateway.client';
export type { HelloOk, SessionRow } from './adapters/openclaw/openclaw-frames';
export * from './config/runner.config';
export * from './process/process-tree';
export * from './work/mission-prompt';
export * from './work/work-folder';
export {
  executeRun,
  type ExecutionSettings,
  type RunReport,
  type RunnerEvent,
} from './runner/run-executor';
export { AgentWorker } from './runner/agent-worker';
export * from './runner/runner';
export * from './host/host-facts';
export { HostReporter, type HostReporterOptions } from './host/host-reporter';
export * from './doctor/runner-doctor';
