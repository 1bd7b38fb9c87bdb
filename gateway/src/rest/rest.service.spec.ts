import type { Principal } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import type { Request, Response } from 'express';
import type { PinoLogger } from 'nestjs-pino';
import type { GatewayContext } from '../graphql/gateway-context';
import type { OperationResult, SupergraphServer } from '../graphql/supergraph-server';
import { restRoutes } from './rest.routes';
import { RestService } from './rest.service';

const agent: Principal = {
  kind: 'agent',
  subject: 'a1',
  workspaceId: 'w1',
  role: null,
  scopes: null,
};

type Sent = { status?: number; body?: unknown; headers: Record<string, string> };

function fakeResponse(): { response: Response; sent: Sent } {
  const sent: Sent = { headers: {} };
  const response = {
    setHeader: (name: string, value: string) => {
      sent.headers[name] = value;
      return response;
    },
    status: (status: number) => {
      sent.status = status;
      return response;
    },
    json: (body: unknown) => {
      sent.body = body;
      return response;
    },
  };
  return { response: response as unknown as Response, sent };
}

function setUp(options: {
  principal?: Principal | null;
  admit?: () => Promise<never>;
  result?: OperationResult;
}) {
  const operations: { query: string; variables: Record<string, unknown> }[] = [];
  const errors: unknown[] = [];
  const supergraph = {
    admit: (_request: unknown, requestId: string): Promise<GatewayContext> =>
      options.admit
        ? options.admit()
        : Promise.resolve({
            requestId,
            clientAddress: '127.0.0.1',
            principal: options.principal === undefined ? agent : options.principal,
            principalHeader: () => Promise.resolve(null),
          }),
    execute: (_context: GatewayContext, operation: (typeof operations)[number]) => {
      operations.push(operation);
      return Promise.resolve(options.result ?? { data: null, errors: [] });
    },
  } as unknown as SupergraphServer;
  const logger = {
    setContext: () => undefined,
    error: (entry: unknown) => errors.push(entry),
  } as unknown as PinoLogger;
  return { sut: new RestService(supergraph, logger), operations, errors };
}

const request = (parts: Partial<Request>): Request =>
  ({ id: 'req-1', params: {}, query: {}, body: undefined, headers: {}, ...parts }) as Request;

describe('RestService', () => {
  it('runs the route’s operation and answers its data with the route’s status', async () => {
    const { sut, operations } = setUp({
      result: { data: { nextMission: { id: 'm1' } }, errors: [] },
    });
    const { response, sent } = fakeResponse();
    await sut.serve(
      restRoutes.nextMission,
      request({ params: { workspaceId: 'w1' }, headers: { 'idempotency-key': 'retry-0001' } }),
      response,
    );
    expect(operations[0]?.variables).toEqual({ ws: 'w1', idempotencyKey: 'retry-0001' });
    expect(sent).toMatchObject({ status: 200, body: { mission: { id: 'm1' } } });
    expect(sent.headers['cache-control']).toBe('no-store');
  });

  it('answers a caller without a token 401 before reading its input or asking the graph', async () => {
    const { sut, operations } = setUp({ principal: null });
    const { response, sent } = fakeResponse();
    await sut.serve(restRoutes.listAgents, request({ params: {} }), response);
    expect(operations).toEqual([]);
    expect(sent.status).toBe(401);
    expect(sent.body).toMatchObject({ error: { code: 'UNAUTHENTICATED', requestId: 'req-1' } });
  });

  it('answers the graph’s first error with the status of its code and Retry-After', async () => {
    const { sut } = setUp({
      result: {
        data: null,
        errors: [
          {
            message: 'Heartbeats are limited',
            extensions: {
              code: 'LIMIT_EXCEEDED',
              requestId: 'req-1',
              retryable: true,
              details: { retryAfterSeconds: 9 },
            },
          },
        ],
      },
    });
    const { response, sent } = fakeResponse();
    await sut.serve(restRoutes.heartbeat, request({ body: { status: 'IDLE' } }), response);
    expect(sent.status).toBe(429);
    expect(sent.headers['retry-after']).toBe('9');
  });

  it('answers a spent edge limit as the graph would, with Retry-After', async () => {
    const { sut } = setUp({
      admit: () => Promise.reject(AppError.limitExceeded('slow down', { retryAfterSeconds: 4 })),
    });
    const { response, sent } = fakeResponse();
    await sut.serve(restRoutes.whoami, request({}), response);
    expect(sent.status).toBe(429);
    expect(sent.headers['retry-after']).toBe('4');
  });

  it('logs an unexpected failure and answers 500 without its message', async () => {
    const { sut, errors } = setUp({
      admit: () => Promise.reject(new Error('JWKS at 10.0.0.9 unreachable')),
    });
    const { response, sent } = fakeResponse();
    await sut.serve(restRoutes.whoami, request({}), response);
    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toContain('10.0.0.9');
    expect(errors).toHaveLength(1);
  });
});
