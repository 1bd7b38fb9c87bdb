import type { AgentAdapter } from './adapter';
import { claudeCodeAdapter } from './claude-code.adapter';
import { codexAdapter } from './codex.adapter';
import { commandAdapter } from './command.adapter';
import { openClawAdapter } from './openclaw/openclaw.adapter';

/** The adapters a runner's configuration may name, each building from its own options. */
export const ADAPTERS = {
  command: (options: unknown) => commandAdapter(options as Parameters<typeof commandAdapter>[0]),
  'claude-code': (options: unknown) =>
    claudeCodeAdapter(options as Parameters<typeof claudeCodeAdapter>[0]),
  codex: (options: unknown) => codexAdapter(options as Parameters<typeof codexAdapter>[0]),
  openclaw: (options: unknown) => openClawAdapter(options as Parameters<typeof openClawAdapter>[0]),
} satisfies Record<string, (options: unknown) => AgentAdapter>;

export type AdapterName = keyof typeof ADAPTERS;

export const ADAPTER_NAMES = Object.keys(ADAPTERS) as AdapterName[];

/** The named adapter with its options (validated by the adapter: a bad option throws). */
export function createAdapter(name: AdapterName, options: unknown): AgentAdapter {
  return ADAPTERS[name](options ?? {});
}
