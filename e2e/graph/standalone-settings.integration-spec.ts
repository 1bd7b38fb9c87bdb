import { GraphClient } from '../support/graph-client';
import { IdentityWorld } from '../support/identity-world';
import {
  freshDataDir,
  startStandalone,
  type StandaloneProcess,
} from '../support/standalone-process';

const ME = '{ me { id } }';
const OPERATOR_ORIGIN = 'http://mission-control.example.org:8080';

/**
 * `npm start` boots its apps from the operator's environment, as each app does when deployed
 * alone: a limit set there holds, a bad value stops the start naming it, and a setting standalone
 * decides itself is named as not used.
 */
describe('standalone mode, configured from the environment', () => {
  const dataDir = freshDataDir();
  let instance: StandaloneProcess | undefined;

  afterAll(async () => {
    await instance?.stop();
  });

  it('does not start on a value an app refuses, and names the key', async () => {
    const outcome = await startStandalone(dataDir, {
      env: { AGENT_HEARTBEATS_PER_MINUTE: 'often' },
    }).then(
      async (started) => `started: ${(await started.stop()) ?? ''}`,
      (error: Error) => error.message,
    );

    expect(outcome).toMatch(
      /exited \(78\)[\s\S]*Invalid configuration: AGENT_HEARTBEATS_PER_MINUTE/,
    );
  });

  it('holds a signed-in caller to the RATE_LIMIT_PER_PRINCIPAL_PER_MINUTE it was given', async () => {
    instance = await startStandalone(dataDir, {
      env: {
        RATE_LIMIT_PER_PRINCIPAL_PER_MINUTE: '5',
        KAFKA_BROKERS: 'kafka.example.org:9092',
        CORS_ORIGINS: OPERATOR_ORIGIN,
      },
    });
    expect(instance.output.join('')).toMatch(
      /\] not used in standalone mode: [^\n]*KAFKA_BROKERS \(no Kafka: events travel on the bus inside this one process\)/,
    );

    const graph = new GraphClient(instance.url);
    const person = await new IdentityWorld(graph).person('limited');
    const answers: string[] = [];
    for (let request = 1; request <= 6; request++) {
      const { data, errors } = await graph.request<{ me: { id: string } }>(ME, {}, person.token);
      answers.push(errors?.[0]?.extensions?.code ?? (data?.me.id === person.userId ? 'OK' : '?'));
    }
    expect(answers).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'LIMIT_EXCEEDED']);
  });

  it('lets browsers from the CORS_ORIGINS it was given call the graph, beside its own port', async () => {
    const allowed = async (origin: string) => {
      const response = await fetch(`${instance!.url}/graphql`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
      return response.headers.get('access-control-allow-origin');
    };

    expect(await allowed(OPERATOR_ORIGIN)).toBe(OPERATOR_ORIGIN);
    expect(await allowed(instance!.url)).toBe(instance!.url);
    expect(await allowed('http://elsewhere.example.org')).toBeNull();
  });
});
