import { AppError } from '@mission-control/errors';
import { MissionControlError } from '@mission-control/sdk';
import { parse } from 'graphql';
import type { GatewayContext } from '../graphql/gateway-context';
import type { SupergraphServer } from '../graphql/supergraph-server';
import { McpEdgeGraph, mcpErrorOf } from './mcp-edge.graph';

const context: GatewayContext = {
  requestId: 'req-1',
  clientAddress: '127.0.0.1',
  principal: { kind: 'agent', subject: 'agent-1', workspaceId: 'ws-1', role: null, scopes: null },
  principalHeader: () => Promise.resolve(null),
};
const document = parse('query Who { me { id } }');

function sut(execute: SupergraphServer['execute'], admitted = () => Promise.resolve(context)) {
  return new McpEdgeGraph({ execute } as SupergraphServer, admitted, 'req-1');
}

describe('mcpErrorOf', () => {
  it('keeps an edge error’s code, message and details, with the request id', () => {
    const error = mcpErrorOf(
      AppError.limitExceeded('Slow down', { retryAfterSeconds: 3 }),
      'req-1',
    );
    expect(error).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      message: 'Slow down',
      requestId: 'req-1',
      details: { retryAfterSeconds: 3 },
    });
  });

  it('hides anything uncoded as INTERNAL_ERROR', () => {
    const error = mcpErrorOf(new Error('password=hunter2'), 'req-1');
    expect(error.code).toBe('INTERNAL_ERROR');
    expect(error.message).not.toContain('hunter2');
  });
});

describe('McpEdgeGraph', () => {
  it('runs an operation under the admitted context and answers its data', async () => {
    const execute = jest.fn(() => Promise.resolve({ data: { me: { id: 'u' } }, errors: [] }));
    await expect(sut(execute).request(document, {})).resolves.toEqual({ me: { id: 'u' } });
    expect(execute).toHaveBeenCalledWith(context, {
      query: expect.stringContaining('query Who'),
      variables: {},
    });
  });

  it('throws the graph’s first error as a coded error', async () => {
    const execute = jest.fn(() =>
      Promise.resolve({
        data: null,
        errors: [
          {
            message: 'Mission not found',
            extensions: { code: 'NOT_FOUND' as const, requestId: 'req-1', retryable: false },
          },
        ],
      }),
    );
    await expect(sut(execute).request(document, {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Mission not found',
      requestId: 'req-1',
    });
  });

  it('answers a refused credential on use, as UNAUTHENTICATED', async () => {
    const refused = sut(jest.fn(), () =>
      Promise.reject(AppError.unauthenticated('The agent key was refused')),
    );
    await expect(refused.caller()).rejects.toBeInstanceOf(MissionControlError);
    await expect(refused.request(document, {})).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      requestId: 'req-1',
    });
  });

  it('names the caller from the principal', async () => {
    await expect(sut(jest.fn()).caller()).resolves.toEqual({
      kind: 'agent',
      id: 'agent-1',
      workspaceId: 'ws-1',
    });
  });
});
