import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { envelopeOf, prismaQueryable } from '@mission-control/eventing';
import { readEvent } from '@mission-control/proto';
import { startEventHandlers } from '@mission-control/eventing/nest';
import { startServiceApp } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { PrismaService } from '../src/database/prisma.service';
import { randomToken, sha256 } from '../src/common/secrets';
import { AggregateRunner, identityEventStore } from '../src/eventing/identity-event-store';
import { inviteMember } from '../src/workspaces/workspace.commands';
import { workspaceDecider, workspaceStreamId } from '../src/workspaces/workspace.decider';
import { WorkspaceProjection } from '../src/workspaces/workspace.projection';
import { WorkspacesRepository } from '../src/workspaces/workspaces.repository';
import { IdentityRelay } from '../src/eventing/identity-relay';
import {
  errorCode,
  GatewayStandIn,
  type GraphQLBody,
  identityTestConfig,
} from './identity-test-kit';

const SIGN_UP = `mutation ($email: String!, $password: String!, $name: String!) {
  signUp(email: $email, password: $password, name: $name) {
    accessToken accessTokenExpiresAt refreshToken user { id email name }
  }
}`;
const LOG_IN = `mutation ($email: String!, $password: String!) {
  logIn(email: $email, password: $password) { accessToken refreshToken user { id email } }
}`;
const REFRESH = `mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;
const LOG_OUT = `mutation ($t: String!) { logOut(refreshToken: $t) }`;
const ME = `{ me { id email name memberships { role workspace { id name } } } }`;
const CREATE_WORKSPACE = `mutation ($name: String!) { createWorkspace(name: $name) { id name slug } }`;
const SWITCH = `mutation ($id: String!) { switchWorkspace(workspaceId: $id) { accessToken } }`;
const MEMBERS = `query ($id: ID!) { members(workspaceId: $id) { userId email role } }`;
const WORKSPACE = `query ($id: ID!) { workspace(id: $id) { id name } }`;
const INVITE = `mutation ($id: ID!, $email: String!, $role: Role!) {
  inviteMember(workspaceId: $id, email: $email, role: $role) { token invitation { id email role expiresAt } }
}`;
const ACCEPT = `mutation ($token: String!) { acceptInvitation(token: $token) { role workspace { id } } }`;
const CHANGE_ROLE = `mutation ($id: ID!, $user: ID!, $role: Role!) {
  changeMemberRole(workspaceId: $id, userId: $user, role: $role) { userId role }
}`;
const REMOVE = `mutation ($id: ID!, $user: ID!) { removeMember(workspaceId: $id, userId: $user) }`;
const ISSUE_KEY = `mutation ($id: ID!, $name: String!, $scopes: [Permission!]!) {
  issueApiKey(workspaceId: $id, name: $name, scopes: $scopes) { secret apiKey { id prefix scopes } }
}`;
const REVOKE_KEY = `mutation ($id: ID!, $key: ID!) { revokeApiKey(workspaceId: $id, apiKeyId: $key) { id revokedAt } }`;
const API_KEYS = `query ($id: ID!) { apiKeys(workspaceId: $id) { id name prefix scopes revokedAt lastUsedAt } }`;
const EXCHANGE = `mutation ($key: String!) { exchangeApiKey(key: $key) { accessToken accessTokenExpiresAt } }`;

type Auth = { accessToken: string; refreshToken: string; user: { id: string; email: string } };

const PASSWORD = 'correct horse battery staple';

const servedSchemaFile = path.join(
  mkdtempSync(path.join(tmpdir(), 'identity-sdl-')),
  'schema.graphql',
);
const COMMITTED_SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');

describe('identity subgraph', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;
  let prisma: PrismaService;

  beforeAll(async () => {
    const config = await identityTestConfig({ IDENTITY_SCHEMA_FILE: servedSchemaFile });
    app = await startServiceApp(AppModule.forRoot(config));
    await startEventHandlers(app);
    gateway = new GatewayStandIn(app, config);
    prisma = app.get(PrismaService);
  });
  afterAll(async () => {
    // Nothing any response carried may be a password or a stored hash.
    const everything = gateway.responses.join('\n');
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toMatch(/\$argon2|secretHash|tokenHash|passwordHash/);
    await app.close();
  });

  it('serves the Federation 2 SDL that is committed for the gateway to compose', () => {
    const served = readFileSync(servedSchemaFile, 'utf8');
    expect(served).toContain('@link(url: "https://specs.apollo.dev/federation/v2');
    expect(served).toMatch(/type User\s+@key\(fields: "id"\)/);
    // When this fails: commit the new services/identity/schema.graphql, then `npx nx run gateway:compose`.
    expect(served).toBe(readFileSync(COMMITTED_SCHEMA_FILE, 'utf8'));
  });

  const email = (name: string) => `${name}-${randomUUID().slice(0, 8)}@Example.com`;
  const signUp = async (name: string): Promise<Auth> =>
    (
      await gateway.ok<{ signUp: Auth }>(SIGN_UP, {
        email: email(name),
        password: PASSWORD,
        name,
      })
    ).signUp;
  /** A workspace-scoped access token for a member, as switchWorkspace hands it out. */
  const inWorkspace = async (auth: Auth, workspaceId: string): Promise<string> =>
    (
      await gateway.ok<{ switchWorkspace: { accessToken: string } }>(
        SWITCH,
        { id: workspaceId },
        { token: auth.accessToken },
      )
    ).switchWorkspace.accessToken;
  const newWorkspace = async (owner: Auth, name: string) => {
    const { createWorkspace } = await gateway.ok<{ createWorkspace: { id: string } }>(
      CREATE_WORKSPACE,
      { name },
      { token: owner.accessToken },
    );
    return { id: createWorkspace.id, adminToken: await inWorkspace(owner, createWorkspace.id) };
  };

  /**
   * An invitation that expired an hour ago, written the way the service writes one: through the
   * workspace aggregate and its projection, with only the token's hash stored.
   */
  const expiredInvitation = async (workspaceId: string, invitee: string): Promise<string> => {
    const token = randomToken();
    const runner = app.get(AggregateRunner);
    const members = await app.get(WorkspacesRepository).listMembers(workspaceId);
    const adminId = members.find((member) => member.role === 'admin')!.userId;
    const command = inviteMember({
      workspaceId,
      actor: { kind: 'user', id: adminId },
      data: {
        invitationId: randomUUID(),
        email: invitee,
        role: 'viewer',
        expiresAt: new Date(Date.now() - 3_600_000).toISOString(),
      },
    });
    await runner.transaction(async (tx) => {
      const { events } = await runner.execute(
        tx,
        workspaceDecider,
        workspaceStreamId(workspaceId),
        command,
      );
      await app
        .get(WorkspaceProjection)
        .apply(tx, events, new Date(), { invitationTokenHash: sha256(token) });
    });
    return token;
  };

  it('signs up, logs in and answers me', async () => {
    const ada = await signUp('Ada');
    expect(ada.user.email).toMatch(/^ada-[0-9a-f]{8}@example\.com$/);
    expect(await gateway.principalOf(ada.accessToken)).toMatchObject({
      kind: 'user',
      subject: ada.user.id,
      workspaceId: null,
      role: null,
    });

    const { logIn } = await gateway.ok<{ logIn: Auth }>(LOG_IN, {
      email: ada.user.email.toUpperCase(),
      password: PASSWORD,
    });
    expect(logIn.user.id).toBe(ada.user.id);
    const { me } = await gateway.ok<{ me: { id: string; name: string; memberships: [] } }>(
      ME,
      {},
      { token: logIn.accessToken },
    );
    expect(me).toEqual({ id: ada.user.id, email: ada.user.email, name: 'Ada', memberships: [] });
  });

  it('refuses me without a principal', async () => {
    expect(errorCode(await gateway.gql(ME))).toBe('UNAUTHENTICATED');
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const bob = await signUp('Bob');
    const wrong = await gateway.gql(LOG_IN, {
      email: bob.user.email,
      password: 'not the password',
    });
    const unknown = await gateway.gql(LOG_IN, { email: email('nobody'), password: PASSWORD });
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    expect(unknown.errors?.[0]?.message).toBe(wrong.errors?.[0]?.message);
    expect(errorCode(unknown)).toBe(errorCode(wrong));
    expect(wrong.data).toBeNull();
    expect(wrong.errors?.[0]?.extensions.requestId).toEqual(expect.any(String));
  });

  it('slows an account down after 5 failures instead of locking it: the right password works once the delay has passed', async () => {
    const carol = await signUp('Carol');
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const body = await gateway.gql(
        LOG_IN,
        { email: carol.user.email, password: `guess ${attempt}` },
        { ip: `198.51.100.${attempt}` },
      );
      expect(errorCode(body)).toBe('UNAUTHENTICATED');
    }
    const retryAfter = (body: GraphQLBody) =>
      (body.errors?.[0]?.extensions as { details?: { retryAfterSeconds?: number } }).details
        ?.retryAfterSeconds;
    // Straight after the 5th failure even the right password waits, from any address.
    const early = await gateway.gql(
      LOG_IN,
      { email: carol.user.email, password: PASSWORD },
      { ip: '198.51.100.99' },
    );
    expect(errorCode(early)).toBe('LIMIT_EXCEEDED');
    expect(retryAfter(early)).toBe(1);

    // Another wrong guess after the 1 s delay counts, and doubles the next wait.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const sixth = await gateway.gql(LOG_IN, { email: carol.user.email, password: 'guess 6' });
    expect(errorCode(sixth)).toBe('UNAUTHENTICATED');
    const limited = await gateway.gql(LOG_IN, { email: carol.user.email, password: PASSWORD });
    expect(errorCode(limited)).toBe('LIMIT_EXCEEDED');
    expect(retryAfter(limited)).toBe(2);

    // Waiting it out lets the owner in: no 15-minute lock for an attacker to impose.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const owner = await gateway.gql<{ logIn: Auth }>(LOG_IN, {
      email: carol.user.email,
      password: PASSWORD,
    });
    expect(owner.errors).toBeUndefined();
    expect(owner.data?.logIn.accessToken).toEqual(expect.any(String));
  });

  it('rotates refresh tokens and revokes the family when a rotated one comes back', async () => {
    const dave = await signUp('Dave');
    const first = (await gateway.ok<{ refreshSession: Auth }>(REFRESH, { t: dave.refreshToken }))
      .refreshSession;
    expect(first.refreshToken).not.toBe(dave.refreshToken);
    const second = (await gateway.ok<{ refreshSession: Auth }>(REFRESH, { t: first.refreshToken }))
      .refreshSession;

    // The first token, already rotated, is replayed: the whole session ends.
    expect(errorCode(await gateway.gql(REFRESH, { t: first.refreshToken }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(errorCode(await gateway.gql(REFRESH, { t: second.refreshToken }))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('logs out: the refresh token stops working', async () => {
    const erin = await signUp('Erin');
    expect(await gateway.ok(LOG_OUT, { t: erin.refreshToken })).toEqual({ logOut: true });
    expect(errorCode(await gateway.gql(REFRESH, { t: erin.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('makes the creator of a workspace its admin', async () => {
    const frank = await signUp('Frank');
    const workspace = await newWorkspace(frank, 'Apollo');
    expect(await gateway.principalOf(workspace.adminToken)).toMatchObject({
      workspaceId: workspace.id,
      role: 'admin',
    });
    const { members } = await gateway.ok<{ members: unknown[] }>(
      MEMBERS,
      { id: workspace.id },
      { token: workspace.adminToken },
    );
    expect(members).toEqual([{ userId: frank.user.id, email: frank.user.email, role: 'ADMIN' }]);
    const { me } = await gateway.ok<{ me: { memberships: unknown[] } }>(
      ME,
      {},
      { token: frank.accessToken },
    );
    expect(me.memberships).toEqual([
      { role: 'ADMIN', workspace: { id: workspace.id, name: 'Apollo' } },
    ]);
    // A refresh keeps the session in its workspace, with the role it has now.
    const { refreshSession } = await gateway.ok<{ refreshSession: Auth }>(REFRESH, {
      t: frank.refreshToken,
    });
    expect(await gateway.principalOf(refreshSession.accessToken)).toMatchObject({
      workspaceId: workspace.id,
      role: 'admin',
    });
  });

  it('lets an invited person join with the invited role; an expired invitation is refused', async () => {
    const grace = await signUp('Grace');
    const heidi = await signUp('Heidi');
    const workspace = await newWorkspace(grace, 'Gemini');

    expect(
      errorCode(await gateway.gql(SWITCH, { id: workspace.id }, { token: heidi.accessToken })),
    ).toBe('FORBIDDEN');
    const { inviteMember } = await gateway.ok<{
      inviteMember: { token: string; invitation: { email: string; role: string } };
    }>(
      INVITE,
      { id: workspace.id, email: heidi.user.email, role: 'MISSION_COMMANDER' },
      { token: workspace.adminToken },
    );
    expect(inviteMember.invitation).toMatchObject({
      email: heidi.user.email,
      role: 'MISSION_COMMANDER',
    });

    const { acceptInvitation } = await gateway.ok<{ acceptInvitation: unknown }>(
      ACCEPT,
      { token: inviteMember.token },
      { token: heidi.accessToken },
    );
    expect(acceptInvitation).toEqual({
      role: 'MISSION_COMMANDER',
      workspace: { id: workspace.id },
    });
    expect(await gateway.principalOf(await inWorkspace(heidi, workspace.id))).toMatchObject({
      role: 'mission_commander',
    });
    // Used once: the same token again is refused.
    expect(
      errorCode(
        await gateway.gql(ACCEPT, { token: inviteMember.token }, { token: heidi.accessToken }),
      ),
    ).toBe('CONFLICT');

    // An invitation past its expiry cannot be accepted.
    const ivan = await signUp('Ivan');
    const expired = await gateway.gql(
      ACCEPT,
      { token: await expiredInvitation(workspace.id, ivan.user.email) },
      { token: ivan.accessToken },
    );
    expect(errorCode(expired)).toBe('FORBIDDEN');
    expect(expired.errors?.[0]?.message).toMatch(/expired/);
    expect(
      errorCode(await gateway.gql(ACCEPT, { token: 'no-such-token' }, { token: ivan.accessToken })),
    ).toBe('NOT_FOUND');
  });

  it('changes roles, and never demotes or removes the last admin', async () => {
    const judy = await signUp('Judy');
    const ken = await signUp('Ken');
    const workspace = await newWorkspace(judy, 'Mercury');
    const { inviteMember } = await gateway.ok<{ inviteMember: { token: string } }>(
      INVITE,
      { id: workspace.id, email: ken.user.email, role: 'VIEWER' },
      { token: workspace.adminToken },
    );
    await gateway.ok(ACCEPT, { token: inviteMember.token }, { token: ken.accessToken });
    const kenToken = await inWorkspace(ken, workspace.id);

    // A viewer may not change roles.
    expect(
      errorCode(
        await gateway.gql(
          CHANGE_ROLE,
          { id: workspace.id, user: ken.user.id, role: 'ADMIN' },
          { token: kenToken },
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      await gateway.ok(
        CHANGE_ROLE,
        { id: workspace.id, user: ken.user.id, role: 'AGENT_OPERATOR' },
        { token: workspace.adminToken },
      ),
    ).toEqual({ changeMemberRole: { userId: ken.user.id, role: 'AGENT_OPERATOR' } });

    const demoteLast = await gateway.gql(
      CHANGE_ROLE,
      { id: workspace.id, user: judy.user.id, role: 'VIEWER' },
      { token: workspace.adminToken },
    );
    expect(errorCode(demoteLast)).toBe('CONFLICT');
    expect(
      errorCode(
        await gateway.gql(
          REMOVE,
          { id: workspace.id, user: judy.user.id },
          { token: workspace.adminToken },
        ),
      ),
    ).toBe('CONFLICT');

    expect(
      await gateway.ok(
        REMOVE,
        { id: workspace.id, user: ken.user.id },
        { token: workspace.adminToken },
      ),
    ).toEqual({ removeMember: true });
    const { members } = await gateway.ok<{ members: { userId: string }[] }>(
      MEMBERS,
      { id: workspace.id },
      { token: workspace.adminToken },
    );
    expect(members.map((member) => member.userId)).toEqual([judy.user.id]);
  });

  it('issues an API key once, exchanges it for a scoped token, and refuses it once revoked', async () => {
    const leo = await signUp('Leo');
    const workspace = await newWorkspace(leo, 'Artemis');
    const { issueApiKey } = await gateway.ok<{
      issueApiKey: { secret: string; apiKey: { id: string; prefix: string; scopes: string[] } };
    }>(
      ISSUE_KEY,
      { id: workspace.id, name: 'CI', scopes: ['CREATE_MISSIONS', 'VIEW_ANALYTICS'] },
      { token: workspace.adminToken },
    );
    expect(issueApiKey.secret).toMatch(
      new RegExp(`^mc_${issueApiKey.apiKey.prefix}_[A-Za-z0-9_-]{43}$`),
    );

    const { exchangeApiKey } = await gateway.ok<{ exchangeApiKey: { accessToken: string } }>(
      EXCHANGE,
      { key: issueApiKey.secret },
    );
    const principal = await gateway.principalOf(exchangeApiKey.accessToken);
    expect(principal).toMatchObject({
      kind: 'api_key',
      subject: issueApiKey.apiKey.id,
      workspaceId: workspace.id,
    });
    expect([...(principal.scopes ?? [])].sort()).toEqual(['create_missions', 'view_analytics']);

    const listed = await gateway.ok<{ apiKeys: Record<string, unknown>[] }>(
      API_KEYS,
      { id: workspace.id },
      { token: workspace.adminToken },
    );
    expect(listed.apiKeys).toEqual([
      expect.objectContaining({
        id: issueApiKey.apiKey.id,
        prefix: issueApiKey.apiKey.prefix,
        revokedAt: null,
        lastUsedAt: expect.any(String),
      }),
    ]);
    const secretPart = issueApiKey.secret.split('_').slice(2).join('_');
    expect(JSON.stringify(listed)).not.toContain(secretPart);
    // The key's own token cannot manage keys: it was not given admin_access.
    expect(
      errorCode(
        await gateway.gql(API_KEYS, { id: workspace.id }, { token: exchangeApiKey.accessToken }),
      ),
    ).toBe('FORBIDDEN');

    await gateway.ok(
      REVOKE_KEY,
      { id: workspace.id, key: issueApiKey.apiKey.id },
      { token: workspace.adminToken },
    );
    expect(errorCode(await gateway.gql(EXCHANGE, { key: issueApiKey.secret }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(errorCode(await gateway.gql(EXCHANGE, { key: `${issueApiKey.secret}x` }))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('never lets a member of workspace B read or change workspace A', async () => {
    const mallory = await signUp('Mallory');
    const nina = await signUp('Nina');
    const a = await newWorkspace(nina, 'Workspace A');
    const b = await newWorkspace(mallory, 'Workspace B');
    const { issueApiKey } = await gateway.ok<{ issueApiKey: { apiKey: { id: string } } }>(
      ISSUE_KEY,
      { id: a.id, name: 'A key', scopes: ['ADMIN_ACCESS'] },
      { token: a.adminToken },
    );

    const attempts: [string, Record<string, unknown>][] = [
      [WORKSPACE, { id: a.id }],
      [MEMBERS, { id: a.id }],
      [API_KEYS, { id: a.id }],
      [INVITE, { id: a.id, email: mallory.user.email, role: 'ADMIN' }],
      [CHANGE_ROLE, { id: a.id, user: nina.user.id, role: 'VIEWER' }],
      [REMOVE, { id: a.id, user: nina.user.id }],
      [ISSUE_KEY, { id: a.id, name: 'mine', scopes: ['ADMIN_ACCESS'] }],
      [REVOKE_KEY, { id: a.id, key: issueApiKey.apiKey.id }],
    ];
    for (const [query, variables] of attempts) {
      const body = await gateway.gql(query, variables, { token: b.adminToken });
      expect([query.slice(0, 40), errorCode(body)]).toEqual([query.slice(0, 40), 'FORBIDDEN']);
      expect(body.data ?? null).toBeNull();
    }
    // Admin of B naming A's key or A's member in B's own workspace finds nothing.
    expect(
      errorCode(
        await gateway.gql(
          REVOKE_KEY,
          { id: b.id, key: issueApiKey.apiKey.id },
          { token: b.adminToken },
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(
      errorCode(
        await gateway.gql(
          CHANGE_ROLE,
          { id: b.id, user: nina.user.id, role: 'VIEWER' },
          { token: b.adminToken },
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(errorCode(await gateway.gql(SWITCH, { id: a.id }, { token: mallory.accessToken }))).toBe(
      'FORBIDDEN',
    );
    const { members } = await gateway.ok<{ members: unknown[] }>(
      MEMBERS,
      { id: a.id },
      { token: a.adminToken },
    );
    expect(members).toHaveLength(1);
  });

  it('resolves entity references for other subgraphs only within the caller’s workspace', async () => {
    const owner = await signUp('Olga');
    const stranger = await signUp('Sam');
    const a = await newWorkspace(owner, 'Referenced A');
    const b = await newWorkspace(stranger, 'Referenced B');
    const ENTITIES = `query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Workspace { id name }
        ... on User { id email }
      }
    }`;
    const representations = [
      { __typename: 'Workspace', id: a.id },
      { __typename: 'User', id: owner.user.id },
    ];
    const fromA = await gateway.ok<{ _entities: ({ id: string } | null)[] }>(
      ENTITIES,
      { representations },
      { token: a.adminToken },
    );
    expect(fromA._entities.map((entity) => entity?.id)).toEqual([a.id, owner.user.id]);
    const fromB = await gateway.gql<{ _entities: ({ id: string } | null)[] }>(
      ENTITIES,
      { representations },
      { token: b.adminToken },
    );
    expect(fromB.data?._entities).toEqual([null, null]);
    expect(JSON.stringify(fromB)).not.toContain('Referenced A');
  });

  it('records every change as events with a verified hash chain and no secrets', async () => {
    const olga = await signUp('Olga');
    const workspace = await newWorkspace(olga, 'Vostok');
    const { inviteMember } = await gateway.ok<{ inviteMember: { token: string } }>(
      INVITE,
      { id: workspace.id, email: email('pat'), role: 'VIEWER' },
      { token: workspace.adminToken },
    );
    const { issueApiKey } = await gateway.ok<{
      issueApiKey: { secret: string; apiKey: { id: string } };
    }>(
      ISSUE_KEY,
      { id: workspace.id, name: 'bot', scopes: ['MANAGE_AGENTS'] },
      { token: workspace.adminToken },
    );
    await gateway.ok(
      REVOKE_KEY,
      { id: workspace.id, key: issueApiKey.apiKey.id },
      { token: workspace.adminToken },
    );

    const db = prismaQueryable(prisma);
    const userStream = await identityEventStore.readStream(db, `user-${olga.user.id}`);
    const workspaceStream = await identityEventStore.readStream(db, `workspace-${workspace.id}`);
    expect(userStream.map((event) => event.type)).toEqual(['identity.v1.UserSignedUp']);
    expect(userStream[0]?.metadata).toMatchObject({
      workspaceId: 'none',
      actor: { kind: 'user', id: olga.user.id },
    });
    expect(workspaceStream.map((event) => event.type)).toEqual([
      'identity.v1.WorkspaceCreated',
      'identity.v1.MemberJoined',
      'identity.v1.MemberInvited',
      'identity.v1.ApiKeyIssued',
      'identity.v1.ApiKeyRevoked',
    ]);
    expect(workspaceStream.every((event) => event.metadata.workspaceId === workspace.id)).toBe(
      true,
    );

    const report = await identityEventStore.verify(db);
    const ours = new Set([`user-${olga.user.id}`, `workspace-${workspace.id}`]);
    expect(report.problems.filter((problem) => ours.has(problem.streamId))).toEqual([]);

    const decoded = JSON.stringify(
      [...userStream, ...workspaceStream].map(
        (event) => readEvent({ envelope: envelopeOf(event), payload: event.payload }).event.data,
      ),
    );
    expect(decoded).toContain(olga.user.email);
    for (const secret of [PASSWORD, inviteMember.token, issueApiKey.secret, olga.refreshToken]) {
      expect(decoded).not.toContain(secret);
    }
    const raw = Buffer.concat([...userStream, ...workspaceStream].map((event) => event.payload));
    expect(raw.includes(Buffer.from(PASSWORD))).toBe(false);
    expect(raw.includes(Buffer.from('$argon2'))).toBe(false);
  });

  it('publishes the event log to Kafka through the relay', async () => {
    const relay = app.get(IdentityRelay);
    const deadline = Date.now() + 20_000;
    while ((await relay.lag()).events > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await relay.lag()).events).toBe(0);
    expect(relay.publishedCount).toBeGreaterThan(0);
  });
});
