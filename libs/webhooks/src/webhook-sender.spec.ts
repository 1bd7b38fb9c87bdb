import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { retryAfterMs, sendWebhook } from './webhook-sender';
import { newWebhookSecret, signWebhook } from './webhook-signature';

type Received = { headers: IncomingMessage['headers']; body: string };

describe('sending a webhook', () => {
  let server: Server;
  let url: string;
  let answer: (res: import('node:http').ServerResponse) => void;
  const received: Received[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        answer(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wake`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  beforeEach(() => {
    received.length = 0;
    answer = (res) => res.writeHead(204).end();
  });

  it('posts a body the receiver verifies with the Standard Webhooks library', async () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: 'agent.wake', data: { reason: 'assigned' } });
    const headers = signWebhook({ secret, id: 'msg_1', timestamp: new Date(), body });

    const outcome = await sendWebhook({ url, body, headers, timeoutMs: 2_000, allowPrivate: true });

    expect(outcome).toEqual({ kind: 'response', status: 204, retryAfterMs: null });
    const [request] = received;
    expect(request?.headers['content-type']).toBe('application/json');
    expect(
      new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>),
    ).toEqual({ type: 'agent.wake', data: { reason: 'assigned' } });
  });

  it('reports the status and Retry-After of a refusal', async () => {
    answer = (res) => res.writeHead(429, { 'retry-after': '7' }).end('slow down');

    await expect(
      sendWebhook({ url, body: '{}', headers: {}, timeoutMs: 2_000, allowPrivate: true }),
    ).resolves.toEqual({ kind: 'response', status: 429, retryAfterMs: 7_000 });
  });

  it('gives up on a receiver that does not answer in time', async () => {
    answer = () => undefined;

    await expect(
      sendWebhook({ url, body: '{}', headers: {}, timeoutMs: 200, allowPrivate: true }),
    ).resolves.toEqual({ kind: 'timeout', timeoutMs: 200 });
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    await expect(
      sendWebhook({
        url: `http://127.0.0.1:${port}/`,
        body: '{}',
        headers: {},
        timeoutMs: 2_000,
        allowPrivate: true,
      }),
    ).resolves.toEqual({ kind: 'network-error', message: 'connection refused' });
  });

  it('does not connect to a private address unless allowed', async () => {
    const outcome = await sendWebhook({
      url,
      body: '{}',
      headers: {},
      timeoutMs: 2_000,
      allowPrivate: false,
    });

    expect(outcome.kind).toBe('blocked');
    expect(received).toHaveLength(0);
  });

  it('refuses a name that resolves to a private address', async () => {
    const pointsInside = ((
      _host: string,
      _options: unknown,
      callback: (...args: unknown[]) => void,
    ) =>
      callback(null, [
        { address: '127.0.0.1', family: 4 },
      ])) as unknown as typeof import('node:dns').lookup;
    const outcome = await sendWebhook({
      url: url.replace('127.0.0.1', 'wake.example.com'),
      resolve: pointsInside,
      body: '{}',
      headers: {},
      timeoutMs: 2_000,
      allowPrivate: false,
    });

    expect(outcome).toEqual({
      kind: 'blocked',
      message: 'wake.example.com resolves to a loopback, private or link-local address',
    });
    expect(received).toHaveLength(0);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('30')).toBe(30_000);
    expect(retryAfterMs(new Date(61_000).toUTCString(), 1_000)).toBe(60_000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(undefined)).toBeNull();
  });
});
