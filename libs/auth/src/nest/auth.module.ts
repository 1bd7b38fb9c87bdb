import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { assertInternalSecret } from '../principal-header';
import { AUTH_MODULE_OPTIONS, type AuthModuleOptions } from './auth.constants';
import { PrincipalGuard } from './principal.guard';

@Module({})
export class AuthModule {
  /** Global: every controller and resolver of the app is guarded by PrincipalGuard. */
  static forRoot(options: AuthModuleOptions): DynamicModule {
    // Fail at boot, not on the first request.
    assertInternalSecret(options.internalSecret);
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: AUTH_MODULE_OPTIONS, useValue: options },
        PrincipalGuard,
        { provide: APP_GUARD, useExisting: PrincipalGuard },
      ],
      exports: [AUTH_MODULE_OPTIONS, PrincipalGuard],
    };
  }
}
