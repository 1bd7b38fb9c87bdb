import type { Principal } from '@mission-control/auth';

/** What every operation at the edge carries into the subgraph fetches. */
export type GatewayContext = {
  requestId: string;
  /** The caller's address, for subgraphs' own per-address limits (identity's login limit). */
  clientAddress: string;
  /** null for an anonymous caller: subgraphs decide what is public (login, signup). */
  principal: Principal | null;
  /** The signed x-mc-principal value, made once per request however many subgraphs are asked. */
  principalHeader: () => Promise<string | null>;
};
