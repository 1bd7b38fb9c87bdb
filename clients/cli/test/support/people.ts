import { randomUUID } from 'node:crypto';

export const PASSWORD = 'correct horse battery staple';

async function graph<T>(url: string, query: string, variables: object, token?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data) {
    throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  }
  return body.data;
}

/** A person who signed up in the web app and created one workspace. */
export async function personWithWorkspace(url: string, name: string) {
  const email = `${name}-${randomUUID().slice(0, 8)}@example.com`;
  const { signUp } = await graph<{ signUp: { accessToken: string } }>(
    url,
    'mutation ($e: String!, $p: String!, $n: String!) { signUp(email: $e, password: $p, name: $n) { accessToken } }',
    { e: email, p: PASSWORD, n: name },
  );
  const workspaceName = `${name} ${randomUUID().slice(0, 4)}`;
  const { createWorkspace } = await graph<{ createWorkspace: { id: string } }>(
    url,
    'mutation ($n: String!) { createWorkspace(name: $n) { id } }',
    { n: workspaceName },
    signUp.accessToken,
  );
  return { email, workspaceId: createWorkspace.id, workspaceName };
}
