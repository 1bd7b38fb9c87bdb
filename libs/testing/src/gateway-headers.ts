import {
  EDGE_PROOF_HEADER,
  type EdgeProof,
  PRINCIPAL_HEADER,
  type Principal,
  signEdgeProof,
  signPrincipalHeader,
} from '@mission-control/auth';

/**
 * The headers the gateway puts on every subgraph request: its edge proof (without which a
 * subgraph answers UNAUTHENTICATED) and, for a signed-in caller, the principal. Every test, script
 * and benchmark that calls a subgraph directly signs through this, as the gateway does.
 */
export async function gatewayHeaders(
  internalSecret: string,
  options: EdgeProof & { principal?: Principal } = {},
): Promise<Record<string, string>> {
  const { principal, ...proof } = options;
  return {
    [EDGE_PROOF_HEADER]: await signEdgeProof(proof, internalSecret),
    ...(principal
      ? { [PRINCIPAL_HEADER]: await signPrincipalHeader(principal, internalSecret) }
      : {}),
  };
}
