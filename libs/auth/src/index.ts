export * from './roles';
export * from './principal';
export * from './access-token';
export {
  MIN_INTERNAL_SECRET_LENGTH,
  PRINCIPAL_HEADER,
  signPrincipalHeader,
  verifyPrincipalHeader,
} from './principal-header';
export * from './nest';
export * from './verified-token.cache';
