import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { textOf } from '../../src/adapters/openclaw/openclaw-gateway.client';
import { FIXTURES } from './fixtures';

/**
 * One step of a recorded exchange (test/fixtures/openclaw/*.frames): `S <frame>` the gateway
 * sends, byte for byte as written; `C <frame>` the client must send next; `! close <code>
 * <reason>` the gateway hangs up. `#` lines are notes.
 */
export type Step =
  | { kind: 'send'; text: string }
  | { kind: 'expect'; text: string; frame: unknown }
  | { kind: 'close'; code: number; reason: string };

export function readExchange(name: string): Step[] {
  const file = path.join(FIXTURES, 'openclaw', name.endsWith('.frames') ? name : `${name}.frames`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line): Step => {
      const body = line.slice(2);
      if (line.startsWith('S ')) {
        return { kind: 'send', text: body };
      }
      if (line.startsWith('C ')) {
        return { kind: 'expect', text: body, frame: JSON.parse(body) as unknown };
      }
      const close = /^! close (\d+) ?(.*)$/.exec(line);
      if (close) {
        return { kind: 'close', code: Number(close[1]), reason: close[2] ?? '' };
      }
      throw new Error(`${file}: a line that is not S, C, ! close or #: ${line}`);
    });
}

/**
 * Where a client's frame differs from the recorded one (null: it matches). The recording's "…"
 * stands for any value, as in the protocol's documentation; objects need exactly the same keys.
 */
export function differs(expected: unknown, actual: unknown, at = '$'): string | null {
  if (expected === '…') {
    return actual === undefined ? `${at} is missing` : null;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    }
    for (const [index, item] of expected.entries()) {
      const found = differs(item, actual[index], `${at}[${index}]`);
      if (found) {
        return found;
      }
    }
    return null;
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) {
      return `${at}: expected an object, got ${JSON.stringify(actual)}`;
    }
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      const found = differs(
        (expected as Record<string, unknown>)[key],
        (actual as Record<string, unknown>)[key],
        `${at}.${key}`,
      );
      if (found) {
        return found;
      }
    }
    return null;
  }
  return expected === actual
    ? null
    : `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

type Received = { at: number; path: string; text: string; frame: unknown };

/**
 * An OpenClaw-style gateway on 127.0.0.1 (a real WebSocket server, a random port) that replays
 * recorded exchanges: each connection to a URL from `url(...)` plays the next exchange of its
 * list, sending the gateway's frames as recorded and checking each frame the client sends
 * against the recording. Whatever does not match ends up in `problems`.
 */
export class FakeOpenClawGateway {
  readonly problems: string[] = [];
  readonly received: Received[] = [];
  private readonly plans = new Map<string, { exchanges: string[]; served: number }>();
  private readonly sockets = new Set<WebSocket>();

  private constructor(
    private readonly server: WebSocketServer,
    readonly port: number,
    private readonly delayMs: number,
  ) {
    server.on('connection', (socket, request) => this.serve(socket, request.url ?? '/'));
  }

  /** Frames the gateway sends follow each other `delayMs` apart (5 ms), as a stream would. */
  static async start(options: { delayMs?: number } = {}): Promise<FakeOpenClawGateway> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const { port } = server.address() as AddressInfo;
    return new FakeOpenClawGateway(server, port, options.delayMs ?? 5);
  }

  /** A URL whose connections play these exchanges in turn (the last one again after that). */
  url(...exchanges: string[]): string {
    const at = `/${this.plans.size + 1}`;
    for (const name of exchanges) {
      readExchange(name);
    }
    this.plans.set(at, { exchanges, served: 0 });
    return `ws://127.0.0.1:${this.port}${at}`;
  }

  /** The frames clients sent to a URL, of one method. */
  requests(url: string, method: string): Received[] {
    const at = new URL(url).pathname;
    return this.received.filter(
      (each) => each.path === at && (each.frame as { method?: string } | null)?.method === method,
    );
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) {
      socket.terminate();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: WebSocket, at: string): void {
    this.sockets.add(socket);
    const plan = this.plans.get(at);
    if (!plan) {
      this.problems.push(`a connection to ${at}, which no test planned`);
      socket.close(1008, 'no such path');
      return;
    }
    const name = plan.exchanges[Math.min(plan.served, plan.exchanges.length - 1)]!;
    plan.served += 1;
    const steps = readExchange(name);
    const inbox: Received[] = [];
    let waiting: ((received: Received | null) => void) | null = null;
    let done = false;
    socket.on('message', (data) => {
      const text = textOf(data);
      let frame: unknown = null;
      try {
        frame = JSON.parse(text);
      } catch {
        // kept as text: it is a problem below
      }
      const received = { at: Date.now(), path: at, text, frame };
      this.received.push(received);
      if (waiting) {
        const wake = waiting;
        waiting = null;
        wake(received);
      } else if (done) {
        this.problems.push(`${name}: the client sent a frame after the exchange ended: ${text}`);
      } else {
        inbox.push(received);
      }
    });
    socket.on('close', () => {
      this.sockets.delete(socket);
      waiting?.(null);
      waiting = null;
    });
    const next = () =>
      new Promise<Received | null>((resolve) => {
        const first = inbox.shift();
        if (first) {
          resolve(first);
        } else if (socket.readyState !== WebSocket.OPEN) {
          resolve(null);
        } else {
          waiting = resolve;
        }
      });
    void (async () => {
      for (const [index, step] of steps.entries()) {
        if (socket.readyState !== WebSocket.OPEN) {
          return;
        }
        switch (step.kind) {
          case 'send':
            socket.send(step.text);
            if (this.delayMs > 0 && steps[index + 1]?.kind === 'send') {
              await new Promise((resolve) => setTimeout(resolve, this.delayMs));
            }
            break;
          case 'expect': {
            const received = await next();
            if (!received) {
              return;
            }
            const found = differs(step.frame, received.frame);
            if (found) {
              this.problems.push(`${name}, step ${index + 1}: ${found}`);
              socket.close(1008, 'not the recorded frame');
              return;
            }
            break;
          }
          case 'close':
            socket.close(step.code, step.reason);
            return;
        }
      }
      done = true;
      for (const left of inbox.splice(0)) {
        this.problems.push(
          `${name}: the client sent a frame after the exchange ended: ${left.text}`,
        );
      }
    })();
  }
}

/** A ws:// URL where nothing listens (a port taken and let go of). */
export async function deadGatewayUrl(): Promise<string> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `ws://127.0.0.1:${port}/`;
}
