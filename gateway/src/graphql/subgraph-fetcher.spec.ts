import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { subgraphFetcher } from './subgraph-fetcher';

type Seen = { method?: string; headers: IncomingMessage['headers']; body: string };

describe('subgraph fetcher', () => {
  let server: Server;
  let url: string;
  let pool: Agent;
  const seen: Seen[] = [];
  let answer: { status: number; type: string; body: string } = {
    status: 200,
    type: 'application/json',
    body: '{"data":{"me":{"id":"u1"}}}',
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({
          method: request.method,
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
        });
        response.writeHead(answer.status, {
          'content-type': answer.type,
          'cache-control': 'private, max-age=5',
        });
        response.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    pool = new Agent({ keepAliveTimeout: 1_000 });
  });

  afterAll(async () => {
    await pool.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the method, headers and body Apollo gives it, and answers like fetch', async () => {
    const fetcher = subgraphFetcher(pool);
    const response = await fetcher(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' },
      body: '{"query":"{ me { id } }"}',
    });
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      headers: { 'x-request-id': 'req-1', 'content-type': 'application/json' },
      body: '{"query":"{ me { id } }"}',
    });
    expect(response.ok).toBe(true);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('private, max-age=5');
    expect(await response.json()).toEqual({ data: { me: { id: 'u1' } } });
  });

  it('reports an error status as not ok, with its body readable as text', async () => {
    answer = { status: 503, type: 'text/plain', body: 'down for maintenance' };
    const response = await subgraphFetcher(pool)(url, { method: 'POST', body: '{}' });
    expect(response.ok).toBe(false);
    expect(response.status).toBe(503);
    expect(response.statusText).toBe('Service Unavailable');
    expect(await response.text()).toBe('down for maintenance');
  });

  it('rejects when the subgraph cannot be reached', async () => {
    const closed = await new Promise<string>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(`http://127.0.0.1:${port}/graphql`));
      });
    });
    await expect(subgraphFetcher(pool)(closed, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});
