import { AppError } from '@mission-control/errors';
import type { EdgeProof } from '../edge-proof';

// Keyed by the request object itself, as the principal is: nothing a client sends can pose as it.
const verifiedProofs = new WeakMap<object, EdgeProof>();

/** Records the gateway's verified proof on the request; only the subgraph middleware calls this. */
export function rememberEdgeProof(request: object, proof: EdgeProof): void {
  verifiedProofs.set(request, proof);
}

/**
 * The client's address as the gateway saw it, from its signed proof: never from a header a caller
 * could set. A request that reached a handler without a proof is a wiring mistake, not a client's.
 */
export function clientAddressOf(request: unknown): string {
  const proof =
    typeof request === 'object' && request !== null ? verifiedProofs.get(request) : undefined;
  if (proof === undefined) {
    throw AppError.unauthenticated('The request did not come through the gateway');
  }
  return proof.clientAddress ?? 'unknown';
}
