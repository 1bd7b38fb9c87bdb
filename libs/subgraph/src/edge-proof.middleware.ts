import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import {
  AUTH_MODULE_OPTIONS,
  type AuthModuleOptions,
  EDGE_PROOF_HEADER,
  type EdgeProof,
  rememberEdgeProof,
  VerifiedTokenCache,
  verifyEdgeProof,
} from '@mission-control/auth';
import { AppError, ErrorCode, isRetryable } from '@mission-control/errors';
import { requestIdOfRequest } from '@mission-control/platform';
import type { NextFunction, Request, Response } from 'express';

/**
 * Only the gateway may call a subgraph's /graphql: every request must carry the gateway's signed
 * proof (anonymous operations and the federation `_service` query included), otherwise the
 * caller gets UNAUTHENTICATED in the GraphQL error shape. Network policies are a second wall,
 * not the only one: in standalone mode every subgraph listens on a loopback port anyone local
 * can reach.
 */
@Injectable()
export class EdgeProofMiddleware implements NestMiddleware {
  // The gateway reuses a proof per client address for half its life: verify each one once.
  private readonly verified = new VerifiedTokenCache<EdgeProof>();

  constructor(@Inject(AUTH_MODULE_OPTIONS) private readonly options: AuthModuleOptions) {}

  async use(request: Request, response: Response, next: NextFunction): Promise<void> {
    const value = request.headers[EDGE_PROOF_HEADER];
    try {
      if (typeof value !== 'string' || value.length === 0) {
        throw AppError.unauthenticated('Subgraphs answer only the gateway');
      }
      const proof = await this.verified.get(value, (token) =>
        verifyEdgeProof(token, this.options.internalSecret),
      );
      rememberEdgeProof(request, proof);
    } catch (error) {
      const refused =
        error instanceof AppError ? error : AppError.unauthenticated('Invalid edge proof');
      response.status(401).json({
        errors: [
          {
            message: refused.message,
            extensions: {
              code: ErrorCode.UNAUTHENTICATED,
              requestId: requestIdOfRequest(request),
              retryable: isRetryable(ErrorCode.UNAUTHENTICATED),
            },
          },
        ],
      });
      return;
    }
    next();
  }
}
