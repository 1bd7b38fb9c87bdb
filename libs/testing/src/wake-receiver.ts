import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** How the receiver answers one POST: an HTTP status, or `'hang'` to never answer it. */
export type WakeAnswer = number | 'hang';

/** A wake POST's body as the agent service sends it (Standard Webhooks' type, timestamp, data). */
export type WakeBody = {
  type: string;
  timestamp: string;
  data: { workspaceId: string; agentId: string; reason: string; missionId: string };
};

/** One POST the receiver got. */
export type ReceivedWake = {
  /** The last segment of the URL it was sent to: `urlOf(agentId)`. */
  agentId: string;
  webhookId: string;
  /** Whether its signature verified with the secret the receiver trusts for the agent. */
  verified: boolean;
  /** Null when the body is not JSON. */
  body: WakeBody | null;
  at: number;
  answered: number | 'hung';
};

/**
 * Agents' wake endpoints as agents would run them, on 127.0.0.1: one URL per agent, each POST
 * verified with the standardwebhooks library and the secret trusted for that agent, and answered
 * as the test scripted it.
 */
export class WakeReceiver {
  /** Every POST, in the order they arrived. */
  readonly received: ReceivedWake[] = [];
  private readonly secrets = new Map<string, string>();
  private readonly answers = new Map<string, WakeAnswer[]>();
  private attempts: WakeAnswer[] = [];
  private server: Server | undefined;
  private base = '';

  /** @param status what a POST nothing scripted is answered */
  constructor(private readonly status = 200) {}

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const agentId = (req.url ?? '').split('/').pop() ?? '';
        const webhookId = String(req.headers['webhook-id']);
        const text = Buffer.concat(chunks).toString();
        const answer = this.answerFor(agentId, webhookId);
        this.received.push({
          agentId,
          webhookId,
          verified: this.verifies(agentId, text, req.headers as Record<string, string>),
          body: parsed(text),
          at: Date.now(),
          answered: answer === 'hang' ? 'hung' : answer,
        });
        if (answer !== 'hang') {
          res.writeHead(answer).end();
        }
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wake`;
    return this;
  }

  urlOf(agentId: string): string {
    return `${this.base}/${agentId}`;
  }

  /** From now on, `agentId`'s POSTs verify only with `secret`; with none trusted, none verify. */
  trust(agentId: string, secret: string): void {
    this.secrets.set(agentId, secret);
  }

  /** The next answers to `agentId`'s POSTs, one each, in order; before `answerAttempts`. */
  answer(agentId: string, ...answers: WakeAnswer[]): void {
    this.answers.set(agentId, answers);
  }

  /** How each webhook id's first, second… attempt is answered, for every agent, from now on. */
  answerAttempts(...answers: WakeAnswer[]): void {
    this.attempts = answers;
  }

  of(agentId: string): ReceivedWake[] {
    return this.received.filter((wake) => wake.agentId === agentId);
  }

  /** The POSTs to `agentId` that were answered 2xx. */
  delivered(agentId: string): ReceivedWake[] {
    return this.of(agentId).filter(
      (wake) => typeof wake.answered === 'number' && wake.answered >= 200 && wake.answered < 300,
    );
  }

  /** Stops listening, dropping the connections of POSTs left hanging. */
  close(): Promise<void> {
    const server = this.server;
    if (!server) {
      return Promise.resolve();
    }
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  private answerFor(agentId: string, webhookId: string): WakeAnswer {
    const scripted = this.answers.get(agentId)?.shift();
    if (scripted !== undefined) {
      return scripted;
    }
    const attempt = this.received.filter((wake) => wake.webhookId === webhookId).length;
    return this.attempts[attempt] ?? this.status;
  }

  private verifies(agentId: string, text: string, headers: Record<string, string>): boolean {
    const secret = this.secrets.get(agentId);
    if (!secret) {
      return false;
    }
    try {
      new Webhook(secret).verify(text, headers);
      return true;
    } catch {
      return false;
    }
  }
}

function parsed(text: string): WakeBody | null {
  try {
    return JSON.parse(text) as WakeBody;
  } catch {
    return null;
  }
}
