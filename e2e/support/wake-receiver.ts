import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One POST a wake receiver got, and whether it verified with the secret it was given. */
export type ReceivedWake = {
  webhookId: string;
  verified: boolean;
  /** The parsed body, whatever it is. */
  body: { type?: string; data?: { agentId?: string; reason?: string; missionId?: string } };
  at: number;
};

/**
 * An agent's wake endpoint as an agent would run one, on 127.0.0.1: it verifies each POST with
 * the standardwebhooks library and the secret it was told, and answers what `answer` says (204).
 */
export class WakeReceiver {
  readonly received: ReceivedWake[] = [];
  secret: string | null = null;
  answer: () => number = () => 204;
  private server: Server | undefined;
  url = '';

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let verified = false;
        if (this.secret) {
          try {
            new Webhook(this.secret).verify(text, req.headers as Record<string, string>);
            verified = true;
          } catch {
            verified = false;
          }
        }
        let body: ReceivedWake['body'] = {};
        try {
          body = JSON.parse(text) as ReceivedWake['body'];
        } catch {
          body = {};
        }
        this.received.push({
          webhookId: String(req.headers['webhook-id']),
          verified,
          body,
          at: Date.now(),
        });
        res.writeHead(this.answer()).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/wake`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
