// What a person sets up around the runner under test: a workspace, an agent with its key, missions.
import { randomUUID } from 'node:crypto';
import { graphql } from '../support/graphql';
import { now, sleep } from '../support/harness';
import { inParallel } from '../work-loop/agents';

export { inParallel };

export type Admin = { workspaceId: string; token: string };

export async function makeWorkspace(url: string): Promise<Admin> {
  const { signUp } = await graphql<{ signUp: { accessToken: string } }>(
    url,
    `
      mutation ($email: String!) {
        signUp(email: $email, password: "correct horse battery staple", name: "Bench") {
          accessToken
        }
      }
    `,
    { email: `bench-runner-${randomUUID().slice(0, 8)}@example.com` },
  );
  const { createWorkspace } = await graphql<{ createWorkspace: { id: string } }>(
    url,
    'mutation { createWorkspace(name: "Runner bench") { id } }',
    {},
    signUp.accessToken,
  );
  const { switchWorkspace } = await graphql<{ switchWorkspace: { accessToken: string } }>(
    url,
    'mutation ($id: String!) { switchWorkspace(workspaceId: $id) { accessToken } }',
    { id: createWorkspace.id },
    signUp.accessToken,
  );
  return { workspaceId: createWorkspace.id, token: switchWorkspace.accessToken };
}

/** A registered, active agent's key, once the key is known where it is exchanged. */
export async function makeAgent(url: string, admin: Admin, name: string): Promise<string> {
  const ws = admin.workspaceId;
  const { registerAgent } = await graphql<{ registerAgent: { id: string } }>(
    url,
    `
      mutation ($ws: ID!, $name: String!) {
        registerAgent(
          workspaceId: $ws
          input: { name: $name, role: "worker", capabilities: ["code"] }
        ) {
          id
        }
      }
    `,
    { ws, name },
    admin.token,
  );
  const id = registerAgent.id;
  await graphql(
    url,
    'mutation ($ws: ID!, $id: ID!) { activateAgent(workspaceId: $ws, id: $id) { id } }',
    { ws, id },
    admin.token,
  );
  const { issueAgentKey } = await graphql<{ issueAgentKey: { key: string } }>(
    url,
    'mutation ($ws: ID!, $id: ID!) { issueAgentKey(workspaceId: $ws, agentId: $id) { key } }',
    { ws, id },
    admin.token,
  );
  const deadline = now() + 60_000;
  for (;;) {
    try {
      await graphql(
        url,
        'mutation ($key: String!) { exchangeAgentKey(key: $key) { accessToken } }',
        {
          key: issueAgentKey.key,
        },
      );
      return issueAgentKey.key;
    } catch (error) {
      if (now() > deadline) {
        throw error;
      }
      await sleep(100);
    }
  }
}

/** `count` missions in To do, 16 at a time; `describe(n)` is each one's description. */
export async function seed(
  url: string,
  admin: Admin,
  count: number,
  describe: (n: number) => string,
): Promise<string[]> {
  const ids = new Array<string>(count);
  await inParallel(
    Array.from({ length: count }, (_, n) => n),
    16,
    async (n) => {
      const { createMission } = await graphql<{ createMission: { id: string } }>(
        url,
        `
          mutation ($ws: ID!, $title: String!, $description: String!) {
            createMission(
              workspaceId: $ws
              input: { title: $title, description: $description, column: TODO }
            ) {
              id
            }
          }
        `,
        {
          ws: admin.workspaceId,
          title: `Runner mission ${randomUUID().slice(0, 6)}`,
          description: describe(n),
        },
        admin.token,
      );
      ids[n] = createMission.id;
    },
  );
  return ids;
}

/** Missions out of the queue (a cancelled run's mission is not run again). */
export async function moveAll(
  url: string,
  admin: Admin,
  ids: string[],
  column: string,
): Promise<void> {
  await inParallel(ids, 16, async (id) => {
    await graphql(
      url,
      `mutation ($ws: ID!, $id: ID!) { moveMission(workspaceId: $ws, missionId: $id, column: ${column}) { id } }`,
      { ws: admin.workspaceId, id },
      admin.token,
    );
  });
}
