import { type HopToken, optionalString, signHop, verifyHop } from './signed-hop';

/**
 * Proves a subgraph request comes from the gateway: every request the gateway makes carries it,
 * anonymous callers and schema loads included, and subgraphs refuse /graphql without it. It also
 * carries what only the gateway may say about the caller: the client's address. It names no
 * request (the id travels in x-request-id), so one proof serves every request from an address.
 */
export const EDGE_PROOF_HEADER = 'x-mc-edge';

export type EdgeProof = {
  /** The client the gateway served (its own peer, or the browser a trusted web server vouched for). */
  clientAddress?: string;
};

// Its own type: a principal header or an access token never passes for an edge proof, and back.
const EDGE_TOKEN: HopToken = {
  type: 'mc-edge+jwt',
  issuer: 'mission-control-gateway',
  audience: 'mission-control-subgraph',
  name: 'edge proof',
};

export function signEdgeProof(
  proof: EdgeProof,
  secret: string,
  options: { ttlSeconds?: number } = {},
): Promise<string> {
  return signHop(
    EDGE_TOKEN,
    proof.clientAddress === undefined ? {} : { addr: proof.clientAddress },
    secret,
    options.ttlSeconds,
  );
}

export async function verifyEdgeProof(value: string, secret: string): Promise<EdgeProof> {
  const payload = await verifyHop(EDGE_TOKEN, value, secret);
  const clientAddress = optionalString(payload, 'addr', EDGE_TOKEN.name);
  return clientAddress === undefined ? {} : { clientAddress };
}
