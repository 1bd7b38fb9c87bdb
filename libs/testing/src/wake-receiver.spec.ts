import { Webhook } from 'standardwebhooks';
import { WakeReceiver } from './wake-receiver';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const OTHER_SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

const wake = (agentId: string) => ({
  type: 'agent.wake',
  timestamp: new Date().toISOString(),
  data: { workspaceId: 'ws-1', agentId, reason: 'assigned', missionId: 'mission-1' },
});

/** POSTs `body` to `url` signed with `secret` under `webhookId`, as the agent service does. */
const post = (url: string, webhookId: string, body: string, secret = SECRET) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': new Webhook(secret).sign(webhookId, new Date(), body),
    },
    body,
  });

describe('WakeReceiver', () => {
  let receiver: WakeReceiver;

  beforeEach(async () => {
    receiver = await new WakeReceiver().start();
  });
  afterEach(() => receiver.close());

  it('records each POST per agent, verified only with the secret trusted for it', async () => {
    receiver.trust('a', SECRET);
    const body = wake('a');
    const untrusted = wake('b');

    expect((await post(receiver.urlOf('a'), 'msg_1', JSON.stringify(body))).status).toBe(200);
    await post(receiver.urlOf('a'), 'msg_2', '{}', OTHER_SECRET);
    await post(receiver.urlOf('b'), 'msg_3', JSON.stringify(untrusted));
    await post(receiver.urlOf('b'), 'msg_4', 'not json');

    expect(receiver.of('a')).toEqual([
      {
        agentId: 'a',
        webhookId: 'msg_1',
        verified: true,
        body,
        at: expect.any(Number),
        answered: 200,
      },
      expect.objectContaining({ webhookId: 'msg_2', verified: false }),
    ]);
    expect(receiver.of('b')).toEqual([
      expect.objectContaining({ webhookId: 'msg_3', verified: false, body: untrusted }),
      expect.objectContaining({ webhookId: 'msg_4', verified: false, body: null }),
    ]);
    expect(receiver.received).toHaveLength(4);
  });

  it("answers an agent's POSTs as scripted, in order, then with its default", async () => {
    await receiver.close();
    receiver = await new WakeReceiver(204).start();
    receiver.answer('a', 500, 503);

    const statuses: number[] = [];
    for (const id of ['msg_1', 'msg_2', 'msg_3']) {
      statuses.push((await post(receiver.urlOf('a'), id, '{}')).status);
    }
    statuses.push((await post(receiver.urlOf('b'), 'msg_4', '{}')).status);

    expect(statuses).toEqual([500, 503, 204, 204]);
    expect(receiver.delivered('a').map((entry) => entry.webhookId)).toEqual(['msg_3']);
  });

  it("answers each webhook id's attempts as scripted, after an agent's own script", async () => {
    receiver.answerAttempts(503, 502);
    receiver.answer('b', 400);

    const statuses: number[] = [];
    for (const [agentId, webhookId] of [
      ['a', 'msg_1'],
      ['a', 'msg_1'],
      ['a', 'msg_1'],
      ['a', 'msg_2'],
      ['b', 'msg_3'],
      ['b', 'msg_3'],
    ] as const) {
      statuses.push((await post(receiver.urlOf(agentId), webhookId, '{}')).status);
    }

    expect(statuses).toEqual([503, 502, 200, 503, 400, 502]);
  });

  it('leaves a POST scripted to hang unanswered, and drops it on close', async () => {
    receiver.answerAttempts('hang');

    const hung = post(receiver.urlOf('a'), 'msg_1', '{}');
    while (receiver.received.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await receiver.close();

    await expect(hung).rejects.toThrow();
    expect(receiver.of('a')).toEqual([expect.objectContaining({ answered: 'hung' })]);
    expect(receiver.delivered('a')).toEqual([]);
  });
});
