import { validate as validateOpenApi, compileErrors } from '@readme/openapi-parser';
import { randomUUID } from 'node:crypto';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld } from '../support/identity-world';
import { RestClient } from '../support/rest-client';
import { SquadWorld } from '../support/squad-world';
import {
  freshDataDir,
  startStandalone,
  type StandaloneProcess,
} from '../support/standalone-process';

type Mission = { id: string };

/** `npm start` serves REST v1 on its one port beside the web app, as the gateway does deployed. */
describe('REST v1 in standalone mode', () => {
  let instance: StandaloneProcess;

  beforeAll(async () => {
    instance = await startStandalone(freshDataDir());
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it('serves the document, the docs page and an agent’s loop on the one port', async () => {
    const { rest, document } = await RestClient.of(instance.url);
    const result = await validateOpenApi(structuredClone(document));
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    const page = await fetch(`${instance.url}/api/v1/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('docs/swagger-ui-bundle.js');

    const graph = new GraphClient(instance.url);
    const admin = await new IdentityWorld(graph).workspace('standalone-rest');
    const squads = new SquadWorld(graph);
    const agent = await squads.activeAgent(admin, 'Standalone Scout');
    await squads.mission(admin, 'Chart the far side');
    const ws = admin.workspaceId;

    const token = (
      await rest.call<{ accessToken: string }>('exchangeAgentKey', { body: { key: agent.key } })
    ).body.accessToken;
    expect((await rest.call('whoami', { token })).body).toMatchObject({ id: agent.id });
    await rest.call('heartbeat', { token, body: { status: 'BUSY' } });
    const next = await rest.call<{ mission: Mission }>('nextMission', {
      token,
      params: { workspaceId: ws },
      headers: { 'Idempotency-Key': randomUUID() },
    });
    const run = await rest.call<{ id: string }>('startRun', {
      token,
      params: { workspaceId: ws, missionId: next.body.mission.id },
      body: { adapter: 'command', model: 'claude-sonnet-4-5', provider: 'anthropic' },
    });
    const runParams = { workspaceId: ws, runId: run.body.id };
    await rest.call('appendRunLog', {
      token,
      params: runParams,
      body: { lines: [{ text: 'hi' }] },
    });
    const finished = await rest.call('finishRun', {
      token,
      params: runParams,
      body: { outcome: 'SUCCEEDED' },
    });
    expect(finished.body).toMatchObject({ status: 'SUCCEEDED', logLines: 1 });
    const refused = await rest.call<{ error: { code: string } }>('whoami', {
      token: 'not-a-token',
    });
    expect(refused.status).toBe(401);
  });
});
