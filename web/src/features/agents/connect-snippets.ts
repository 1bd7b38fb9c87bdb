/** Where and how an agent just given a key connects, for the snippets shown beside the key. */
export type ConnectTarget = {
  /** The gateway's absolute URL, no trailing slash. */
  gatewayUrl: string;
  agentName: string;
  key: string;
};

export type ConnectSnippet = {
  id: 'claude-code' | 'codex' | 'runner' | 'shell';
  label: string;
  /** What to do with it, in a sentence. */
  hint: string;
  code: string;
};

/** The gateway's absolute URL from the app's setting, which may be relative (one-port installs). */
export function absoluteGatewayUrl(configured: string, pageOrigin: string): string {
  return new URL(configured || '/', pageOrigin).toString().replace(/\/+$/, '');
}

/** A name safe as an MCP server's and a file's: lower-case letters, digits and dashes. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'agent';
}

/** Single-quoted for a POSIX shell, whatever the text holds. */
const shellQuoted = (text: string) => `'${text.replaceAll("'", `'"'"'`)}'`;

/**
 * The ways to connect, each filled in with this agent's key: Claude Code and Codex load the MCP
 * server at /mcp (the key is its bearer), the runner runs agent CLIs for it, and a shell script
 * exchanges the key for a token and heartbeats.
 */
export function connectSnippets({ gatewayUrl, agentName, key }: ConnectTarget): ConnectSnippet[] {
  const server = `mission-control-${slugOf(agentName)}`;
  const mcp = `${gatewayUrl}/mcp`;
  return [
    {
      id: 'claude-code',
      label: 'Claude Code',
      hint: 'Run once in the project the agent works in; Claude Code then has Mission Control’s tools (next_mission, append_log, finish_run…).',
      code: `claude mcp add --transport http ${server} ${mcp} \\\n  --header ${shellQuoted(`Authorization: Bearer ${key}`)}`,
    },
    {
      id: 'codex',
      label: 'Codex',
      hint: 'Add to ~/.codex/config.toml, and export the key where Codex starts.',
      code: [
        `# ~/.codex/config.toml`,
        `[mcp_servers.${server}]`,
        `url = "${mcp}"`,
        `bearer_token_env_var = "MC_AGENT_KEY"`,
        ``,
        `# in the shell that starts Codex`,
        `export MC_AGENT_KEY=${shellQuoted(key)}`,
      ].join('\n'),
    },
    {
      id: 'runner',
      label: 'Runner',
      hint: 'On the host that runs the agent’s CLI: the runner waits for work, runs the CLI for each mission and reports its log, usage and outcome.',
      code: [
        `# runner.yaml`,
        `gatewayUrl: ${gatewayUrl}`,
        `agents:`,
        `  - name: ${slugOf(agentName)}`,
        `    key: env:MC_AGENT_KEY`,
        `    adapter: claude-code`,
        ``,
        `export MC_AGENT_KEY=${shellQuoted(key)}`,
        `npx mc runner --config runner.yaml`,
      ].join('\n'),
    },
    {
      id: 'shell',
      label: 'Shell',
      hint: 'The key is exchanged for a short-lived token; the agent then heartbeats and asks for work (see the API docs).',
      code: [
        `GATEWAY=${gatewayUrl}`,
        `TOKEN=$(curl -s "$GATEWAY/api/v1/auth/agent-token" -H 'content-type: application/json' \\`,
        `  -d ${shellQuoted(JSON.stringify({ key }))} | jq -r .accessToken)`,
        `curl -s -X POST "$GATEWAY/api/v1/heartbeat" -H "authorization: Bearer $TOKEN" \\`,
        `  -H 'content-type: application/json' -d '{"status": "IDLE"}'`,
      ].join('\n'),
    },
  ];
}
