import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AgentSession, type ClaimedMission } from '@mission-control/sdk';
import { type Stack, startStack, until } from '@mission-control/testing';
import { McUser } from './support/mc-process';
import { PASSWORD, personWithWorkspace } from './support/people';

type Mission = { id: string; title: string; column: string; tags: string[] };
type MissionDetail = Mission & { description: string; comments: { body: string }[] };
type Agent = { id: string; name: string; status: string };

/** One line on stderr naming the code and the request id, and nothing like a stack trace. */
function expectOneLineError(stderr: string, code: string) {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^mc: ${code}: .+ \\(request id [\\w-]+\\)$`));
  expect(stderr).not.toMatch(/\n\s+at /);
}

/** The promise's value, or a failure naming what did not happen in time (its timer cleared). */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

describe('mc against the real gateway and services', () => {
  let stack: Stack;
  const sessions: AgentSession[] = [];

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.stop()));
    await stack?.stop();
  });

  async function signedIn(name: string) {
    const person = await personWithWorkspace(stack.gatewayUrl, name);
    const mc = new McUser();
    const login = await mc.run(
      [
        'login',
        '--gateway',
        stack.gatewayUrl,
        '--email',
        person.email,
        '--password-stdin',
        '--json',
      ],
      `${PASSWORD}\n`,
    );
    expect(login).toMatchObject({ code: 0 });
    return { mc, person, login: JSON.parse(login.stdout) as { workspace: { id: string } | null } };
  }

  it('refuses a wrong password with exit code 3 and one line saying so', async () => {
    const person = await personWithWorkspace(stack.gatewayUrl, 'wrong');
    const mc = new McUser();
    const result = await mc.run(
      ['login', '--gateway', stack.gatewayUrl, '--email', person.email, '--password-stdin'],
      'not the password\n',
    );
    expect(result.code).toBe(3);
    expectOneLineError(result.stderr, 'UNAUTHENTICATED');
    expect(result.stderr).toContain('Sign-in refused');
    // Nothing was kept of a refused sign-in.
    expect((await mc.run(['whoami'])).code).toBe(3);
  });

  it('signs in, picks the only workspace, keeps the session in a 0600 file and lists workspaces', async () => {
    const { mc, person, login } = await signedIn('grace');
    expect(login.workspace?.id).toBe(person.workspaceId);
    expect(statSync(path.join(mc.configDir, 'config.json')).mode & 0o777).toBe(0o600);

    const me = await mc.json<{ email: string; workspace: { id: string; role: string } }>([
      'whoami',
    ]);
    expect(me).toMatchObject({
      email: person.email,
      workspace: { id: person.workspaceId, role: 'ADMIN' },
    });

    const listed = await mc.json<{ id: string; name: string; current: boolean }[]>(['workspaces']);
    expect(listed).toEqual([
      expect.objectContaining({
        id: person.workspaceId,
        name: person.workspaceName,
        current: true,
      }),
    ]);
    const used = await mc.run(['workspaces', 'use', person.workspaceName]);
    expect(used.code).toBe(0);
    expect(used.stdout).toContain(person.workspaceId);

    const human = await mc.run(['workspaces']);
    expect(human.stdout.split('\n')[0]).toMatch(/^\s+ID\s+NAME\s+SLUG\s+ROLE$/);

    const unknown = await mc.run(['workspaces', 'use', 'no such workspace']);
    expect(unknown.code).toBe(2);
  });

  it('refreshes an expiring session once however many mc run at once, and keeps the new pair', async () => {
    const { mc } = await signedIn('refresh');
    const file = path.join(mc.configDir, 'config.json');
    type Saved = { auth: { refreshToken: string; accessTokenExpiresAt: string } };
    const before = JSON.parse(readFileSync(file, 'utf8')) as Saved;
    const expiring = {
      ...before.auth,
      accessTokenExpiresAt: new Date(Date.now() + 1_000).toISOString(),
    };
    writeFileSync(file, JSON.stringify({ ...before, auth: expiring }), { mode: 0o600 });

    const results = await Promise.all([
      mc.run(['whoami', '--json']),
      mc.run(['missions', 'list', '--json']),
      mc.run(['agents', '--json']),
    ]);
    expect(results.map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
      [0, ''],
    ]);
    const after = JSON.parse(readFileSync(file, 'utf8')) as Saved;
    expect(after.auth.refreshToken).not.toBe(before.auth.refreshToken);
    expect(Date.parse(after.auth.accessTokenExpiresAt)).toBeGreaterThan(Date.now() + 60_000);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // A used refresh token presented twice would have ended the session.
    expect((await mc.run(['missions', 'list'])).code).toBe(0);
  });

  it('creates, lists, shows, moves and comments on missions with --json', async () => {
    const { mc } = await signedIn('missions');
    const created = await mc.json<Mission>([
      'missions',
      'create',
      'Land the lunar module',
      '--description',
      'Collect **regolith** samples.',
      '--priority',
      'high',
      '--tag',
      'apollo',
    ]);
    expect(created).toMatchObject({
      title: 'Land the lunar module',
      column: 'BACKLOG',
      tags: ['apollo'],
    });
    await mc.json<Mission>(['missions', 'create', 'Plant the flag', '--column', 'todo']);

    const board = await mc.json<{ columns: { column: string; missions: Mission[] }[] }>([
      'missions',
      'list',
    ]);
    expect(board.columns.map((c) => c.column)).toEqual([
      'BACKLOG',
      'TODO',
      'IN_PROGRESS',
      'REVIEW',
      'DONE',
      'BLOCKED',
    ]);
    expect(board.columns[0]!.missions.map((m) => m.id)).toEqual([created.id]);
    const tagged = await mc.json<{ columns: { missions: Mission[] }[] }>([
      'missions',
      'list',
      '--tag',
      'apollo',
    ]);
    expect(tagged.columns.flatMap((c) => c.missions).map((m) => m.title)).toEqual([
      'Land the lunar module',
    ]);

    const moved = await mc.json<Mission>(['missions', 'move', created.id, 'in-progress']);
    expect(moved.column).toBe('IN_PROGRESS');
    const comment = await mc.json<{ body: string }>([
      'missions',
      'comment',
      created.id,
      'Samples',
      'stowed.',
    ]);
    expect(comment.body).toBe('Samples stowed.');

    const shown = await mc.json<MissionDetail>(['missions', 'show', created.id]);
    expect(shown).toMatchObject({
      column: 'IN_PROGRESS',
      description: 'Collect **regolith** samples.',
      comments: [expect.objectContaining({ body: 'Samples stowed.' })],
    });

    // One column a page at a time.
    const first = await mc.json<{
      columns: { missions: Mission[]; pageInfo: { endCursor: string; hasNextPage: boolean } }[];
    }>(['missions', 'list', '--column', 'TODO', '--limit', '1']);
    expect(first.columns[0]!.missions).toHaveLength(1);

    const human = await mc.run(['missions', 'list', '--column', 'IN_PROGRESS']);
    expect(human.stdout).toMatch(/^ID\s+TITLE\s+COLUMN\s+PRIORITY\s+ASSIGNEE\s+TAGS\n/);
    expect(human.stdout).toContain('Land the lunar module');

    const missing = await mc.run(['missions', 'show', '00000000-0000-4000-8000-000000000000']);
    expect(missing.code).toBe(5);
    expectOneLineError(missing.stderr, 'NOT_FOUND');
  });

  it('registers an agent, issues its key once, and follows a run the agent writes until it ends', async () => {
    const { mc } = await signedIn('runs');
    const agent = await mc.json<Agent>(['agents', 'register', 'Scout', '--capability', 'code']);
    expect(agent).toMatchObject({ name: 'Scout' });
    expect(agent.status).not.toBe('INACTIVE');
    const issued = await mc.json<{ key: string; agent: { id: string } }>([
      'agents',
      'key',
      'Scout',
    ]);
    expect(issued.key).toMatch(/^mca_/);
    expect(issued.agent.id).toBe(agent.id);
    const roster = await mc.json<Agent[]>(['agents', 'list']);
    expect(roster.map((a) => a.name)).toEqual(['Scout']);

    await mc.json<Mission>(['missions', 'create', 'Write the report', '--column', 'TODO']);
    const session = new AgentSession({ url: stack.gatewayUrl, agentKey: issued.key, live: false });
    sessions.push(session);
    await session.start();
    let mission: ClaimedMission | null = null;
    await until(
      async () => (mission = await session.nextMission()) !== null,
      'a mission for Scout',
    );
    const run = await session.startRun(mission!, {
      adapter: 'cli-spec',
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
    });
    run.log('stdout', '\u001b[32mbefore the tail\u001b[0m');
    await run.flush();

    const tail = mc.start(['runs', 'tail', run.id]);
    await until(() => tail.stdout.includes('before the tail'), 'the log so far', 30_000);
    for (let i = 1; i <= 5; i += 1) {
      run.log('stdout', `live line ${i}`);
      await run.flush();
    }
    run.log('stderr', 'a warning');
    await until(() => tail.stdout.includes('live line 5'), 'the live lines', 30_000);
    await run.finish('SUCCEEDED', { summary: 'Report written' });
    const ended = await within(tail.exited, 30_000, 'the tail to stop when the run ended');
    expect(ended.code).toBe(0);
    // Every line once, in order, colours as they were.
    expect(ended.stdout).toBe(
      [
        '\u001b[32mbefore the tail\u001b[0m',
        'live line 1',
        'live line 2',
        'live line 3',
        'live line 4',
        'live line 5',
        '',
      ].join('\n'),
    );
    expect(ended.stderr).toContain('a warning');
    expect(ended.stderr).toContain(`run ${run.id} ended SUCCEEDED`);

    // An ended run's log, at once.
    const again = await mc.run(['runs', 'tail', run.id, '--json']);
    expect(again.code).toBe(0);
    expect(
      again.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { position: number })
        .map((l) => l.position),
    ).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const shown = await mc.json<{ status: string; summary: string }>(['runs', 'show', run.id]);
    expect(shown).toMatchObject({ status: 'SUCCEEDED', summary: 'Report written' });
    const listed = await mc.json<{ nodes: { id: string }[] }>([
      'runs',
      'list',
      '--agent',
      agent.id,
    ]);
    expect(listed.nodes.map((r) => r.id)).toEqual([run.id]);
  });

  it('signs in with an agent key, and a revoked key gives exit code 3 with one clear line', async () => {
    const { mc } = await signedIn('keys');
    const agent = await mc.json<Agent>(['agents', 'register', 'Courier']);
    const { key } = await mc.json<{ key: string }>(['agents', 'key', agent.id]);

    const asAgent = new McUser();
    const login = await asAgent.run(['login', '--gateway', stack.gatewayUrl, '--agent-key', key]);
    expect(login).toMatchObject({ code: 0 });
    const whoami = await asAgent.json<{ kind: string; agentId: string }>(['whoami']);
    expect(whoami).toMatchObject({ kind: 'agent', agentId: agent.id });
    expect((await asAgent.run(['missions', 'list'])).code).toBe(0);

    // A new key replaces the old one.
    await mc.json(['agents', 'key', agent.id]);
    let refused = await asAgent.run(['missions', 'list']);
    await until(
      async () => (refused = await asAgent.run(['missions', 'list'])).code !== 0,
      'the old key refused',
    );
    expect(refused.code).toBe(3);
    expectOneLineError(refused.stderr, 'UNAUTHENTICATED');
    expect(refused.stderr).toContain('The agent key was refused');
  });

  it('lists budgets and sets one, and signs out', async () => {
    const { mc } = await signedIn('budgets');
    const set = await mc.json<{ id: string; name: string; standing: string }>([
      'budget',
      'set',
      '--name',
      'Squad per day',
      '--period',
      'day',
      '--cost-limit',
      '25',
    ]);
    expect(set).toMatchObject({ name: 'Squad per day', standing: 'OK' });
    const budgets = await mc.json<{ id: string; costLimitUsd: number }[]>(['budget']);
    expect(budgets).toEqual([expect.objectContaining({ id: set.id, costLimitUsd: 25 })]);
    const shown = await mc.json<{ id: string }>(['budget', 'show', 'squad per day']);
    expect(shown.id).toBe(set.id);

    // Signing out ends the session on the server and forgets it here.
    const file = path.join(mc.configDir, 'config.json');
    const { auth } = JSON.parse(readFileSync(file, 'utf8')) as { auth: { refreshToken: string } };
    expect(await mc.run(['logout'])).toMatchObject({ code: 0, stderr: 'Signed out.\n' });
    expect(readFileSync(file, 'utf8')).not.toContain(auth.refreshToken);
    expect((await mc.run(['budget'])).code).toBe(3);
    const reused = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken } }',
        variables: { t: auth.refreshToken },
      }),
    }).then(
      (response) => response.json() as Promise<{ errors?: { extensions: { code: string } }[] }>,
    );
    expect(reused.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });
});
