export { AUTH_MODULE_OPTIONS, type AuthModuleOptions } from './auth.constants';
export { AuthModule } from './auth.module';
export { CurrentPrincipal, OptionalPrincipal, Public, RequirePermission } from './auth.decorators';
export { PrincipalGuard } from './principal.guard';
export { principalOf } from './request-principal';
export { clientAddressOf, rememberEdgeProof } from './request-edge';
