import {
  type ArgumentsHost,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  type INestApplication,
  Req,
} from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { Test } from '@nestjs/testing';
import { AppError, ErrorCode, httpStatusOf } from '@mission-control/errors';
import type { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import type { Principal } from '../principal';
import { PRINCIPAL_HEADER, signPrincipalHeader } from '../principal-header';
import { AuthModule } from './auth.module';
import { CurrentPrincipal, OptionalPrincipal, Public, RequirePermission } from './auth.decorators';
import { PrincipalGuard } from './principal.guard';
import { principalOf } from './request-principal';

const SECRET = 'the-gateway-and-the-subgraphs-share-this';

const as = (role: Principal['role'], overrides: Partial<Principal> = {}): Principal => ({
  kind: 'user',
  subject: `user-${role}`,
  workspaceId: 'ws-1',
  role,
  scopes: null,
  sessionId: 'session-1',
  ...overrides,
});

const viewer = as('viewer');
const operator = as('agent_operator');
const commander = as('mission_commander');

@Controller('missions')
class MissionsController {
  @Public()
  @Get('status')
  status(@OptionalPrincipal() principal: Principal | undefined) {
    return { subject: principal?.subject ?? null };
  }

  @Get('mine')
  mine(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @RequirePermission('manage_agents')
  @Get('agents')
  agents(@CurrentPrincipal() principal: Principal) {
    return { subject: principal.subject };
  }

  @Get('raw')
  raw(@Req() req: Request & { principal?: unknown }) {
    return { principal: req.principal ?? null };
  }
}

@RequirePermission('view_analytics')
@Controller('fleet')
class FleetController {
  @RequirePermission('manage_agents')
  @Get()
  fleet() {
    return { ok: true };
  }
}

@Public()
@Controller('open')
class OpenController {
  @Get()
  open() {
    return { ok: true };
  }
}

/** Stands in for the platform error filter: only the code matters here. */
@Catch(AppError)
class CodeFilter implements ExceptionFilter {
  catch(error: AppError, host: ArgumentsHost) {
    host.switchToHttp().getResponse<Response>().status(httpStatusOf(error.code)).json({
      code: error.code,
    });
  }
}

const header = (principal: Principal) => signPrincipalHeader(principal, SECRET);

describe('PrincipalGuard over HTTP', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot({ internalSecret: SECRET })],
      controllers: [MissionsController, FleetController, OpenController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new CodeFilter());
    // A client (or a careless middleware) trying to plant a principal on the request.
    app.use((req: Request & { principal?: unknown }, _res: Response, next: NextFunction) => {
      if (req.headers['x-plant-principal'] !== undefined) {
        req.principal = as('admin');
      }
      next();
    });
    await app.init();
  });

  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  it('serves @Public routes without a principal', async () => {
    await http().get('/missions/status').expect(200, { subject: null });
    await http().get('/open').expect(200, { ok: true });
  });

  it('gives @Public routes the principal when one is forwarded', async () => {
    await http()
      .get('/missions/status')
      .set(PRINCIPAL_HEADER, await header(viewer))
      .expect(200, { subject: viewer.subject });
  });

  it('denies by default: a route without @Public needs a principal', async () => {
    await http().get('/missions/mine').expect(401, { code: ErrorCode.UNAUTHENTICATED });
  });

  it('passes the verified principal to the handler', async () => {
    const response = await http()
      .get('/missions/mine')
      .set(PRINCIPAL_HEADER, await header(viewer))
      .expect(200);
    expect(response.body).toEqual(viewer);
  });

  it('refuses an invalid header, even on a @Public route', async () => {
    const forged = await signPrincipalHeader(viewer, 'not-the-shared-secret-but-long-enough');
    await http()
      .get('/missions/status')
      .set(PRINCIPAL_HEADER, forged)
      .expect(401, { code: ErrorCode.UNAUTHENTICATED });
    await http()
      .get('/open')
      .set(PRINCIPAL_HEADER, 'garbage')
      .expect(401, { code: ErrorCode.UNAUTHENTICATED });
  });

  it('forbids a viewer on a @RequirePermission route and lets an operator in', async () => {
    await http()
      .get('/missions/agents')
      .set(PRINCIPAL_HEADER, await header(viewer))
      .expect(403, { code: ErrorCode.FORBIDDEN });
    await http()
      .get('/missions/agents')
      .set(PRINCIPAL_HEADER, await header(operator))
      .expect(200, { subject: operator.subject });
  });

  it('applies scopes: an admin key limited to view_analytics cannot manage agents', async () => {
    const key = as('admin', { kind: 'api_key', subject: 'key-1', scopes: ['view_analytics'] });
    await http()
      .get('/missions/agents')
      .set(PRINCIPAL_HEADER, await header(key))
      .expect(403, { code: ErrorCode.FORBIDDEN });
  });

  it('requires both class and method permissions', async () => {
    await http()
      .get('/fleet')
      .set(PRINCIPAL_HEADER, await header(commander))
      .expect(403, { code: ErrorCode.FORBIDDEN });
    await http()
      .get('/fleet')
      .set(PRINCIPAL_HEADER, await header(operator))
      .expect(200);
    await http().get('/fleet').expect(401);
  });

  it('never trusts a req.principal it did not verify', async () => {
    await http()
      .get('/missions/status')
      .set('x-plant-principal', '1')
      .expect(200, { subject: null });
    await http()
      .get('/missions/mine')
      .set('x-plant-principal', '1')
      .expect(401, { code: ErrorCode.UNAUTHENTICATED });
    await http()
      .get('/missions/agents')
      .set('x-plant-principal', '1')
      .set(PRINCIPAL_HEADER, await header(viewer))
      .expect(403);
    const response = await http()
      .get('/missions/raw')
      .set('x-plant-principal', '1')
      .set(PRINCIPAL_HEADER, await header(viewer))
      .expect(200);
    expect(response.body).toEqual({ principal: viewer });
  });
});

class MissionResolver {
  @RequirePermission('create_missions')
  createMission() {
    return true;
  }

  @Public()
  missionCount() {
    return 0;
  }
}

describe('PrincipalGuard for GraphQL resolvers', () => {
  let guard: PrincipalGuard;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot({ internalSecret: SECRET })],
    }).compile();
    guard = moduleRef.get(PrincipalGuard);
  });

  // What Nest hands a guard for a resolver: (root, args, { req }, info) with type 'graphql'.
  function resolverContext(handler: () => unknown, req: object) {
    const context = new ExecutionContextHost([{}, {}, { req }, {}], MissionResolver, handler);
    context.setType('graphql');
    return context;
  }

  const rejectionCode = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return error instanceof AppError ? error.code : 'not an AppError';
    }
    return 'resolved';
  };

  it('reads the header from the express request in the GraphQL context', async () => {
    const req = { headers: { [PRINCIPAL_HEADER]: await header(commander) } };
    await expect(
      guard.canActivate(resolverContext(MissionResolver.prototype.createMission, req)),
    ).resolves.toBe(true);
    expect(principalOf(req)).toEqual(commander);
  });

  it('denies a resolver without a principal or without the permission', async () => {
    const anonymous = { headers: {} };
    expect(
      await rejectionCode(
        guard.canActivate(resolverContext(MissionResolver.prototype.createMission, anonymous)),
      ),
    ).toBe(ErrorCode.UNAUTHENTICATED);
    const asViewer = { headers: { [PRINCIPAL_HEADER]: await header(viewer) } };
    expect(
      await rejectionCode(
        guard.canActivate(resolverContext(MissionResolver.prototype.createMission, asViewer)),
      ),
    ).toBe(ErrorCode.FORBIDDEN);
  });

  it('lets a @Public resolver run anonymously', async () => {
    const anonymous = { headers: {} };
    await expect(
      guard.canActivate(resolverContext(MissionResolver.prototype.missionCount, anonymous)),
    ).resolves.toBe(true);
    expect(principalOf(anonymous)).toBeUndefined();
  });
});

describe('AuthModule', () => {
  it('refuses a short internal secret at boot', () => {
    expect(() => AuthModule.forRoot({ internalSecret: 'too-short' })).toThrow(/at least 32/);
  });
});

describe('RequirePermission', () => {
  it('refuses an empty or unknown permission list when the class loads', () => {
    expect(() => RequirePermission()).toThrow();
    expect(() => RequirePermission('launch_rockets' as never)).toThrow(/launch_rockets/);
  });
});
