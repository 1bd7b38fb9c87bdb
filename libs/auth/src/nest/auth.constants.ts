export const AUTH_MODULE_OPTIONS = Symbol('AUTH_MODULE_OPTIONS');
export const IS_PUBLIC_KEY = 'mission-control:auth:public';
export const REQUIRED_PERMISSIONS_KEY = 'mission-control:auth:required-permissions';

export type AuthModuleOptions = { internalSecret: string };
