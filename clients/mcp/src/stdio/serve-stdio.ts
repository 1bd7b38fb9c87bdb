import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isMissionControlError } from '@mission-control/sdk';
import type { MissionControlGraph } from '../graph/mission-control-graph';
import { sdkGraph } from '../graph/sdk-graph';
import { heartbeat } from '../presence/agent-presence';
import { createMissionControlMcpServer } from '../server/mission-control-mcp.server';
import { CurrentWork } from '../work/current-work';
import type { StdioConfig } from './stdio-config';

export type StdioServing = {
  close(): Promise<void>;
  /** Settles once the session is over: the client closed stdin, or `close` was called. */
  closed: Promise<void>;
};

/** Heartbeats for the agent as long as the server runs; failures go to stderr (stdout is the protocol's). */
function keepPresence(graph: MissionControlGraph, intervalMs: number): () => void {
  const work = new CurrentWork(graph);
  const beat = () =>
    heartbeat(graph, work).catch((error: unknown) => {
      const reason = isMissionControlError(error)
        ? `${error.code}: ${error.message}`
        : String(error);
      process.stderr.write(`mission-control-mcp: heartbeat failed: ${reason}\n`);
    });
  void beat();
  const timer = setInterval(() => void beat(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Where the protocol is read and written: this process's stdin and stdout unless given. */
export type StdioStreams = { stdin?: Readable; stdout?: Writable };

/** Serves Mission Control's MCP tools over stdin and stdout. */
export async function serveStdio(
  config: StdioConfig,
  streams: StdioStreams = {},
): Promise<StdioServing> {
  const stdin = streams.stdin ?? process.stdin;
  const graph = sdkGraph({ url: config.url, ...config.credentials });
  const server = createMissionControlMcpServer({
    graph,
    runDefaults: Object.fromEntries(
      Object.entries(config.runDefaults).filter(([, value]) => value !== undefined),
    ),
  });
  const stopPresence = keepPresence(graph, config.heartbeatMs);
  const transport = new StdioServerTransport(stdin, streams.stdout ?? process.stdout);
  await server.connect(transport);
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      stopPresence();
      await server.close();
    })();
    return closed;
  };
  const ended = new Promise<void>((resolve) => {
    // The client closing our stdin is the end of the session.
    stdin.once('end', resolve);
    stdin.once('close', resolve);
  });
  return { close, closed: ended.then(close) };
}
