export const SUB_AGENT_SETTINGS = Symbol('SUB_AGENT_SETTINGS');

/** Sub-agents (from the AGENT_SUB_AGENT_* settings). */
export type SubAgentSettings = {
  /** The longest time to live a sub-agent may be spawned with. */
  maxTtlSeconds: number;
  /** Sub-agents in service one parent may have at once. */
  maxLiveChildren: number;
  /** How often each replica looks for sub-agents to end. */
  sweepIntervalMs: number;
};

/** Who ends sub-agents: the server, for a time to live that ran out or a parent that stopped. */
export const SUB_AGENT_SWEEPER = { kind: 'system', id: 'agent-sub-agent-sweeper' } as const;
