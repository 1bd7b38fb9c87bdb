import { randomUUID } from 'node:crypto';
import type { GraphClient } from './graph-client';

export const PASSWORD = 'correct horse battery staple';

export type RoleValue = 'ADMIN' | 'MISSION_COMMANDER' | 'AGENT_OPERATOR' | 'VIEWER';

export type Person = { userId: string; email: string; token: string };
export type Member = Person & { workspaceId: string; role: RoleValue; workspaceToken: string };

const SIGN_UP = `mutation ($email: String!, $password: String!, $name: String!) {
  signUp(email: $email, password: $password, name: $name) { accessToken user { id } }
}`;
const CREATE_WORKSPACE = `mutation ($name: String!) { createWorkspace(name: $name) { id } }`;
const SWITCH = `mutation ($id: String!) { switchWorkspace(workspaceId: $id) { accessToken } }`;
const LOG_IN = `mutation ($email: String!, $password: String!) { logIn(email: $email, password: $password) { accessToken } }`;
const INVITE = `mutation ($id: ID!, $email: String!, $role: Role!) {
  inviteMember(workspaceId: $id, email: $email, role: $role) { token invitation { id } }
}`;
const ACCEPT = `mutation ($token: String!) { acceptInvitation(token: $token) { workspace { id } } }`;
const ISSUE_KEY = `mutation ($id: ID!) {
  issueApiKey(workspaceId: $id, name: "e2e", scopes: [VIEW_ANALYTICS]) { secret apiKey { id } }
}`;

/** People, workspaces, roles and keys made through the gateway, as users would make them. */
export class IdentityWorld {
  constructor(private readonly graph: GraphClient) {}

  async person(name: string): Promise<Person> {
    const email = `${name}-${randomUUID().slice(0, 8)}@example.com`;
    const { signUp } = await this.graph.ok<{
      signUp: { accessToken: string; user: { id: string } };
    }>(SIGN_UP, { email, password: PASSWORD, name });
    return { userId: signUp.user.id, email, token: signUp.accessToken };
  }

  /** A new workspace and its admin, with a token acting in it. */
  async workspace(name: string): Promise<Member> {
    const owner = await this.person(`${name}-owner`);
    const { createWorkspace } = await this.graph.ok<{ createWorkspace: { id: string } }>(
      CREATE_WORKSPACE,
      { name },
      owner.token,
    );
    return this.actingIn(owner, createWorkspace.id, 'ADMIN');
  }

  /** Someone new invited into `admin`'s workspace with `role`, who accepted. */
  async member(admin: Member, role: RoleValue, name = role.toLowerCase()): Promise<Member> {
    const person = await this.person(name);
    const { inviteMember } = await this.graph.ok<{ inviteMember: { token: string } }>(
      INVITE,
      { id: admin.workspaceId, email: person.email, role },
      admin.workspaceToken,
    );
    await this.graph.ok(ACCEPT, { token: inviteMember.token }, person.token);
    return this.actingIn(person, admin.workspaceId, role);
  }

  /** The member logged in afresh, with new tokens, acting in the same workspace. */
  async logIn(member: Member): Promise<Member> {
    const { logIn } = await this.graph.ok<{ logIn: { accessToken: string } }>(LOG_IN, {
      email: member.email,
      password: PASSWORD,
    });
    return this.actingIn({ ...member, token: logIn.accessToken }, member.workspaceId, member.role);
  }

  /** A pending invitation to `admin`'s workspace. */
  async invitation(admin: Member): Promise<{ id: string; token: string }> {
    const { inviteMember } = await this.graph.ok<{
      inviteMember: { token: string; invitation: { id: string } };
    }>(
      INVITE,
      {
        id: admin.workspaceId,
        email: `pending-${randomUUID().slice(0, 8)}@example.com`,
        role: 'VIEWER',
      },
      admin.workspaceToken,
    );
    return { id: inviteMember.invitation.id, token: inviteMember.token };
  }

  async apiKey(admin: Member): Promise<{ id: string; secret: string }> {
    const { issueApiKey } = await this.graph.ok<{
      issueApiKey: { secret: string; apiKey: { id: string } };
    }>(ISSUE_KEY, { id: admin.workspaceId }, admin.workspaceToken);
    return { id: issueApiKey.apiKey.id, secret: issueApiKey.secret };
  }

  private async actingIn(person: Person, workspaceId: string, role: RoleValue): Promise<Member> {
    const { switchWorkspace } = await this.graph.ok<{ switchWorkspace: { accessToken: string } }>(
      SWITCH,
      { id: workspaceId },
      person.token,
    );
    return { ...person, workspaceId, role, workspaceToken: switchWorkspace.accessToken };
  }
}
