// A person's side of the public graph around an agent under test: a workspace of their own, its
// agents and keys, missions in To do. For client packages' specs against a started stack.
import { randomUUID } from 'node:crypto';

type GraphQLAnswer<T> = { data?: T | null; errors?: { message: string }[] };

/** A person's GraphQL over HTTP, for what an admin sets up around the agent under test. */
export async function graph<T>(
  gatewayUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLAnswer<T>;
  if (body.errors?.length || !body.data) {
    throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)} for ${query}`);
  }
  return body.data;
}

export type Admin = { workspaceId: string; token: string; email: string };
export type IssuedAgent = { id: string; key: string };

/** A new person with a workspace of their own, acting in it as its admin. */
export async function adminOfNewWorkspace(gatewayUrl: string, name: string): Promise<Admin> {
  const email = `${name}-${randomUUID().slice(0, 8)}@example.com`;
  const { signUp } = await graph<{ signUp: { accessToken: string } }>(
    gatewayUrl,
    `mutation ($email: String!, $name: String!) {
      signUp(email: $email, password: "correct horse battery staple", name: $name) { accessToken }
    }`,
    { email, name },
  );
  const { createWorkspace } = await graph<{ createWorkspace: { id: string } }>(
    gatewayUrl,
    'mutation ($name: String!) { createWorkspace(name: $name) { id } }',
    { name },
    signUp.accessToken,
  );
  const { switchWorkspace } = await graph<{ switchWorkspace: { accessToken: string } }>(
    gatewayUrl,
    'mutation ($id: String!) { switchWorkspace(workspaceId: $id) { accessToken } }',
    { id: createWorkspace.id },
    signUp.accessToken,
  );
  return { workspaceId: createWorkspace.id, token: switchWorkspace.accessToken, email };
}

/** The admin signed in again, with a fresh token acting in the same workspace. */
export async function signedInAgain(gatewayUrl: string, admin: Admin): Promise<Admin> {
  const { logIn } = await graph<{ logIn: { accessToken: string } }>(
    gatewayUrl,
    `mutation ($email: String!) {
      logIn(email: $email, password: "correct horse battery staple") { accessToken }
    }`,
    { email: admin.email },
  );
  const { switchWorkspace } = await graph<{ switchWorkspace: { accessToken: string } }>(
    gatewayUrl,
    'mutation ($id: String!) { switchWorkspace(workspaceId: $id) { accessToken } }',
    { id: admin.workspaceId },
    logIn.accessToken,
  );
  return { ...admin, token: switchWorkspace.accessToken };
}

/** A registered, active agent and its key, as an operator makes one (docs/api.md, "Agents"). */
export async function activeAgent(
  gatewayUrl: string,
  admin: Admin,
  name: string,
): Promise<IssuedAgent> {
  const ws = admin.workspaceId;
  const { registerAgent } = await graph<{ registerAgent: { id: string } }>(
    gatewayUrl,
    `mutation ($ws: ID!, $name: String!) {
      registerAgent(workspaceId: $ws, input: { name: $name, role: "specialist", capabilities: ["code"] }) { id }
    }`,
    { ws, name },
    admin.token,
  );
  await graph(
    gatewayUrl,
    'mutation ($ws: ID!, $id: ID!) { activateAgent(workspaceId: $ws, id: $id) { id } }',
    { ws, id: registerAgent.id },
    admin.token,
  );
  return { id: registerAgent.id, key: await issueKey(gatewayUrl, admin, registerAgent.id) };
}

/** A new key for the agent; the key it had stops working. */
export async function issueKey(gatewayUrl: string, admin: Admin, agentId: string) {
  const { issueAgentKey } = await graph<{ issueAgentKey: { key: string } }>(
    gatewayUrl,
    'mutation ($ws: ID!, $id: ID!) { issueAgentKey(workspaceId: $ws, agentId: $id) { key } }',
    { ws: admin.workspaceId, id: agentId },
    admin.token,
  );
  return issueAgentKey.key;
}

export async function missionInTodo(
  gatewayUrl: string,
  admin: Admin,
  title: string,
  description = '',
) {
  const { createMission } = await graph<{ createMission: { id: string } }>(
    gatewayUrl,
    `mutation ($ws: ID!, $title: String!, $description: String!) {
      createMission(workspaceId: $ws, input: { title: $title, description: $description, column: TODO }) { id }
    }`,
    { ws: admin.workspaceId, title, description },
    admin.token,
  );
  return createMission.id;
}
