export * from './roles';
export * from './principal';
export * from './access-token';
export {
  MIN_INTERNAL_SECRET_LENGTH,
  PRINCIPAL_HEADER,
  signPrincipalHeader,
  verifyPrincipalHeader,
} from './principal-header';
export { EDGE_PROOF_HEADER, type EdgeProof, signEdgeProof, verifyEdgeProof } from './edge-proof';
export { CLIENT_ADDRESS_HEADER, signClientAddress, verifyClientAddress } from './client-address';
export * from './nest';
export * from './verified-token.cache';
