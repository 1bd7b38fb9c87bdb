import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { startEventHandlers } from '@mission-control/eventing/nest';
import { startServiceApp } from '@mission-control/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module';
import { SessionsRepository } from '../src/users/sessions.repository';
import { errorCode, GatewayStandIn, identityTestConfig } from './identity-test-kit';

const SIGN_UP = `mutation ($email: String!, $password: String!, $name: String!) {
  signUp(email: $email, password: $password, name: $name) {
    accessToken refreshToken user { id email memberships { role workspace { id } } }
  }
}`;
const LOG_IN = `mutation ($email: String!, $password: String!) {
  logIn(email: $email, password: $password) {
    accessToken user { id memberships { role workspace { id } } }
  }
}`;
const CREATE_WORKSPACE = `mutation ($name: String!) { createWorkspace(name: $name) { id } }`;
const SWITCH = `mutation ($id: String!) { switchWorkspace(workspaceId: $id) { accessToken } }`;
const INVITE = `mutation ($id: ID!, $email: String!, $role: Role!) {
  inviteMember(workspaceId: $id, email: $email, role: $role) { token }
}`;
const ACCEPT = `mutation ($token: String!) { acceptInvitation(token: $token) { role } }`;
const CHANGE_ROLE = `mutation ($id: ID!, $user: ID!, $role: Role!) {
  changeMemberRole(workspaceId: $id, userId: $user, role: $role) { userId role }
}`;
const REMOVE = `mutation ($id: ID!, $user: ID!) { removeMember(workspaceId: $id, userId: $user) }`;
const ISSUE_KEY = `mutation ($id: ID!, $name: String!, $scopes: [Permission!]!) {
  issueApiKey(workspaceId: $id, name: $name, scopes: $scopes) { secret apiKey { scopes } }
}`;
const EXCHANGE = `mutation ($key: String!) { exchangeApiKey(key: $key) { accessToken } }`;

type Auth = { accessToken: string; refreshToken: string; user: { id: string; email: string } };

const PASSWORD = 'correct horse battery staple';
const email = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;

describe('identity: trust at the edge, grants within the granter’s rights', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;

  beforeAll(async () => {
    const config = await identityTestConfig();
    app = await startServiceApp(AppModule.forRoot(config));
    await startEventHandlers(app);
    gateway = new GatewayStandIn(app, config);
  });
  afterAll(() => app.close());

  const signUp = async (name: string, address = email(name)): Promise<Auth> =>
    (await gateway.ok<{ signUp: Auth }>(SIGN_UP, { email: address, password: PASSWORD, name }))
      .signUp;
  const inWorkspace = async (auth: Auth, workspaceId: string): Promise<string> =>
    (
      await gateway.ok<{ switchWorkspace: { accessToken: string } }>(
        SWITCH,
        { id: workspaceId },
        { token: auth.accessToken },
      )
    ).switchWorkspace.accessToken;

  describe('only the gateway is answered', () => {
    const direct = (query: string, headers: Record<string, string> = {}) =>
      request(app.getHttpServer() as Parameters<typeof request>[0])
        .post('/graphql')
        .set({ 'content-type': 'application/json', ...headers })
        .send({ query, variables: { email: email('eve'), password: PASSWORD } });

    it('refuses logIn and _service from a direct caller, whatever X-Forwarded-For it claims', async () => {
      for (const response of [
        await direct(LOG_IN, { 'x-forwarded-for': '203.0.113.7' }),
        await direct('{ _service { sdl } }'),
      ]) {
        expect(response.status).toBe(401);
        expect(errorCode(response.body as never)).toBe('UNAUTHENTICATED');
      }
      await request(app.getHttpServer() as Parameters<typeof request>[0])
        .get('/health')
        .expect(200);
    });

    it('counts failed logins against the address in the gateway’s proof, not X-Forwarded-For', async () => {
      const ip = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
      // Twenty guesses at twenty different accounts from one address, each claiming another one.
      for (let attempt = 1; attempt <= 20; attempt += 1) {
        const body = await gateway.gql(
          LOG_IN,
          { email: email(`guess${attempt}`), password: 'not it at all' },
          { ip, headers: { 'x-forwarded-for': `192.0.2.${attempt}` } },
        );
        expect(errorCode(body)).toBe('UNAUTHENTICATED');
      }
      const limited = await gateway.gql(
        LOG_IN,
        { email: email('one-more'), password: 'not it at all' },
        { ip, headers: { 'x-forwarded-for': '192.0.2.250' } },
      );
      expect(errorCode(limited)).toBe('LIMIT_EXCEEDED');
      // Someone else, at another address the gateway saw, is not throttled by it.
      const other = await gateway.gql(
        LOG_IN,
        { email: email('someone'), password: 'not it at all' },
        { ip: '198.51.100.3' },
      );
      expect(errorCode(other)).toBe('UNAUTHENTICATED');
    });
  });

  describe('sign-up and log-in', () => {
    it('answers user { memberships } on signUp and logIn, about the user they authenticated', async () => {
      const ada = await gateway.ok<{
        signUp: Auth & { user: { memberships: unknown[] } };
      }>(SIGN_UP, { email: email('ada'), password: PASSWORD, name: 'Ada' });
      expect(ada.signUp.user.memberships).toEqual([]);

      const { createWorkspace } = await gateway.ok<{ createWorkspace: { id: string } }>(
        CREATE_WORKSPACE,
        { name: 'Apollo' },
        { token: ada.signUp.accessToken },
      );
      const { logIn } = await gateway.ok<{
        logIn: { user: { id: string; memberships: unknown[] } };
      }>(LOG_IN, { email: ada.signUp.user.email, password: PASSWORD });
      expect(logIn.user.id).toBe(ada.signUp.user.id);
      expect(logIn.user.memberships).toEqual([
        { role: 'ADMIN', workspace: { id: createWorkspace.id } },
      ]);
    });

    it('signs up atomically: a failure after the account is written leaves no account behind', async () => {
      const address = email('grace');
      const sessions = app.get(SessionsRepository);
      const start = jest.spyOn(sessions, 'start').mockRejectedValueOnce(new Error('disk full'));
      const failed = await gateway.gql(SIGN_UP, { email: address, password: PASSWORD, name: 'G' });
      expect(errorCode(failed)).toBe('INTERNAL_ERROR');
      start.mockRestore();
      // Nothing was half-applied: the same email signs up (no CONFLICT) and logs in.
      const grace = await signUp('Grace', address);
      expect(grace.user.email).toBe(address);
      await gateway.ok(LOG_IN, { email: address, password: PASSWORD });
    });
  });

  describe('grants never exceed the granter’s own rights', () => {
    let workspaceId: string;
    let adminToken: string;
    /** An API key an admin gave admin_access and view_analytics only: no agents, no missions. */
    let narrowKeyToken: string;
    let viewer: Auth;
    let otherAdmin: Auth;

    const join = async (admin: string, role: string): Promise<Auth> => {
      const address = email(role.toLowerCase());
      const { inviteMember } = await gateway.ok<{ inviteMember: { token: string } }>(
        INVITE,
        { id: workspaceId, email: address, role },
        { token: admin },
      );
      const person = await signUp(role, address);
      await gateway.ok(ACCEPT, { token: inviteMember.token }, { token: person.accessToken });
      return person;
    };

    beforeAll(async () => {
      const owner = await signUp('Owner');
      const { createWorkspace } = await gateway.ok<{ createWorkspace: { id: string } }>(
        CREATE_WORKSPACE,
        { name: 'Gemini' },
        { token: owner.accessToken },
      );
      workspaceId = createWorkspace.id;
      adminToken = await inWorkspace(owner, workspaceId);
      const { issueApiKey } = await gateway.ok<{ issueApiKey: { secret: string } }>(
        ISSUE_KEY,
        { id: workspaceId, name: 'narrow', scopes: ['ADMIN_ACCESS', 'VIEW_ANALYTICS'] },
        { token: adminToken },
      );
      narrowKeyToken = (
        await gateway.ok<{ exchangeApiKey: { accessToken: string } }>(EXCHANGE, {
          key: issueApiKey.secret,
        })
      ).exchangeApiKey.accessToken;
      viewer = await join(adminToken, 'VIEWER');
      otherAdmin = await join(adminToken, 'ADMIN');
    });

    type Row = {
      what: string;
      caller: () => string;
      query: string;
      variables: () => Record<string, unknown>;
      expected: 'FORBIDDEN' | 'ok';
    };
    const key = () => narrowKeyToken;
    const admin = () => adminToken;
    const rows: Row[] = [
      {
        what: 'a narrow key issuing a key with every scope',
        caller: key,
        query: ISSUE_KEY,
        variables: () => ({
          id: workspaceId,
          name: 'wide',
          scopes: ['ADMIN_ACCESS', 'MANAGE_AGENTS', 'CREATE_MISSIONS', 'VIEW_ANALYTICS'],
        }),
        expected: 'FORBIDDEN',
      },
      {
        what: 'a narrow key issuing a key with one scope it lacks',
        caller: key,
        query: ISSUE_KEY,
        variables: () => ({ id: workspaceId, name: 'agents', scopes: ['MANAGE_AGENTS'] }),
        expected: 'FORBIDDEN',
      },
      {
        what: 'a narrow key issuing a key within its scopes',
        caller: key,
        query: ISSUE_KEY,
        variables: () => ({ id: workspaceId, name: 'same', scopes: ['ADMIN_ACCESS'] }),
        expected: 'ok',
      },
      {
        what: 'a narrow key inviting an admin',
        caller: key,
        query: INVITE,
        variables: () => ({ id: workspaceId, email: email('x'), role: 'ADMIN' }),
        expected: 'FORBIDDEN',
      },
      {
        what: 'a narrow key inviting an agent operator (manage_agents)',
        caller: key,
        query: INVITE,
        variables: () => ({ id: workspaceId, email: email('x'), role: 'AGENT_OPERATOR' }),
        expected: 'FORBIDDEN',
      },
      {
        what: 'a narrow key inviting a mission commander (create_missions)',
        caller: key,
        query: INVITE,
        variables: () => ({ id: workspaceId, email: email('x'), role: 'MISSION_COMMANDER' }),
        expected: 'FORBIDDEN',
      },
      {
        what: 'a narrow key inviting a viewer',
        caller: key,
        query: INVITE,
        variables: () => ({ id: workspaceId, email: email('x'), role: 'VIEWER' }),
        expected: 'ok',
      },
      {
        what: 'a narrow key promoting a viewer to admin',
        caller: key,
        query: CHANGE_ROLE,
        variables: () => ({ id: workspaceId, user: viewer.user.id, role: 'ADMIN' }),
        expected: 'FORBIDDEN',
      },
      {
        what: 'a narrow key promoting a viewer to agent operator',
        caller: key,
        query: CHANGE_ROLE,
        variables: () => ({ id: workspaceId, user: viewer.user.id, role: 'AGENT_OPERATOR' }),
        expected: 'FORBIDDEN',
      },
      {
        what: 'a narrow key demoting an admin it could not have appointed',
        caller: key,
        query: CHANGE_ROLE,
        variables: () => ({ id: workspaceId, user: otherAdmin.user.id, role: 'VIEWER' }),
        expected: 'FORBIDDEN',
      },
      {
        what: 'a narrow key removing an admin',
        caller: key,
        query: REMOVE,
        variables: () => ({ id: workspaceId, user: otherAdmin.user.id }),
        expected: 'FORBIDDEN',
      },
      {
        what: 'an admin issuing a key with every scope',
        caller: admin,
        query: ISSUE_KEY,
        variables: () => ({
          id: workspaceId,
          name: 'all',
          scopes: ['ADMIN_ACCESS', 'MANAGE_AGENTS', 'CREATE_MISSIONS', 'VIEW_ANALYTICS'],
        }),
        expected: 'ok',
      },
      {
        what: 'an admin inviting an admin',
        caller: admin,
        query: INVITE,
        variables: () => ({ id: workspaceId, email: email('x'), role: 'ADMIN' }),
        expected: 'ok',
      },
      {
        what: 'an admin promoting a viewer to agent operator',
        caller: admin,
        query: CHANGE_ROLE,
        variables: () => ({ id: workspaceId, user: viewer.user.id, role: 'AGENT_OPERATOR' }),
        expected: 'ok',
      },
    ];

    it.each(rows)('$what: $expected', async ({ caller, query, variables, expected }) => {
      const body = await gateway.gql(query, variables(), { token: caller() });
      if (expected === 'ok') {
        expect(body.errors).toBeUndefined();
        return;
      }
      expect(errorCode(body)).toBe('FORBIDDEN');
      expect(body.errors?.[0]?.message).toMatch(/cannot grant permissions you do not hold/);
    });
  });
});
