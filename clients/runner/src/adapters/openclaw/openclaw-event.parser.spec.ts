import { logsOf } from '../../../test/support/fixtures';
import { readExchange } from '../../../test/support/fake-openclaw-gateway';
import type { AdapterEvent } from '../adapter';
import { openClawTurnParser } from './openclaw-event.parser';
import { type EventFrame, readFrame } from './openclaw-frames';

const RUN = '5b0e6c1a-9d2f-4e8b-a7c3-1f6e2d9b8c40';

/** The event frames a recorded exchange's gateway sends, read as the client reads them. */
function eventsOf(name: string): EventFrame[] {
  return readExchange(name).flatMap((step) => {
    if (step.kind !== 'send') {
      return [];
    }
    const read = readFrame(step.text);
    return 'frame' in read && read.frame.type === 'event' ? [read.frame] : [];
  });
}

function parse(name: string): {
  events: AdapterEvent[];
  parser: ReturnType<typeof openClawTurnParser>;
} {
  const parser = openClawTurnParser({ model: 'openclaw' });
  const events = [...parser.follow(RUN)];
  for (const frame of eventsOf(name)) {
    events.push(...parser.event(frame));
  }
  return { events, parser };
}

const chat = (payload: Record<string, unknown>): EventFrame => ({
  type: 'event',
  event: 'chat',
  payload: { runId: RUN, sessionKey: 'agent:main:main', seq: 1, ...payload },
});

describe('the OpenClaw event parser', () => {
  it('turns a run’s chat deltas into whole lines, its tool calls into system lines, and final into usage at the gateway’s cost', () => {
    const { events, parser } = parse('run-success');
    expect(logsOf(events)).toEqual([
      `system: OpenClaw run ${RUN} started`,
      "stdout: I'll look at the mission first.",
      'system: → read: {"path":"MISSION.md"}',
      'system: ← read: # Collect regolith samples',
      'system: → write: {"path":"samples.md"}',
      'system: ← write: Wrote 2 lines to samples.md',
      'stdout: Collected two samples and wrote them to samples.md.',
      'stdout: Both are catalogued.',
      'system: final: stop, 14340 tokens, $0.0124',
    ]);
    expect(events.filter((event) => event.type === 'usage')).toEqual([
      {
        type: 'usage',
        usage: {
          model: 'claude-sonnet-4-5',
          inputTokens: 1840 + 12288,
          cachedInputTokens: 12288,
          outputTokens: 212,
          costUsd: 0.0123864,
        },
      },
    ]);
    const outcome = {
      outcome: 'SUCCEEDED',
      summary:
        "I'll look at the mission first.\nCollected two samples and wrote them to samples.md.\nBoth are catalogued.",
    };
    expect(events.at(-1)).toEqual({ type: 'result', result: outcome });
    expect(parser.outcome).toEqual(outcome);
  });

  it('reads events that came before chat.send’s answer once it names the run, and ignores other runs', () => {
    const parser = openClawTurnParser();
    expect(parser.event(chat({ state: 'delta', deltaText: 'early\n' }))).toEqual([]);
    expect(
      parser.event(chat({ runId: 'someone-else', state: 'delta', deltaText: 'not ours\n' })),
    ).toEqual([]);
    expect(logsOf(parser.follow(RUN))).toEqual(['stdout: early']);
    expect(parser.event(chat({ runId: 'someone-else', state: 'final' }))).toEqual([]);
    expect(parser.outcome).toBeNull();
  });

  it('reads an older gateway’s deltas, which carry the whole reply so far', () => {
    const parser = openClawTurnParser();
    parser.follow(RUN);
    const message = (text: string) => ({ role: 'assistant', content: [{ type: 'text', text }] });
    const events = [
      ...parser.event(chat({ state: 'delta', message: message('Hello') })),
      ...parser.event(chat({ state: 'delta', message: message('Hello,\nworld') })),
      ...parser.event(chat({ state: 'final', message: message('Hello,\nworld!') })),
    ];
    expect(logsOf(events)).toEqual(['stdout: Hello,', 'stdout: world!', 'system: final']);
    expect(parser.outcome).toEqual({ outcome: 'SUCCEEDED', summary: 'Hello,\nworld!' });
  });

  it('fails the run on an error or an abort, saying why', () => {
    const failed = parse('run-error');
    expect(logsOf(failed.events)).toEqual([
      `system: OpenClaw run ${RUN} started`,
      'stderr: error: 429 rate_limit_error: Number of request tokens has exceeded your per-minute rate limit',
      'stderr: error: 429 rate_limit_error: Number of request tokens has exceeded your per-minute rate limit',
    ]);
    expect(failed.parser.outcome).toEqual({
      outcome: 'FAILED',
      summary:
        'OpenClaw: 429 rate_limit_error: Number of request tokens has exceeded your per-minute rate limit (rate_limit)',
    });
    const aborted = parse('run-abort');
    expect(logsOf(aborted.events).slice(-2)).toEqual([
      'system: → exec: {"command":"make everything"}',
      'stderr: aborted',
    ]);
    expect(aborted.parser.outcome).toEqual({
      outcome: 'FAILED',
      summary: 'OpenClaw aborted the run (aborted)',
    });
  });

  it('names an event whose shape is not the documented one, and a frame that could not be read', () => {
    const parser = openClawTurnParser();
    parser.follow(RUN);
    expect(parser.event(chat({ state: 'finished' }))).toEqual([
      {
        type: 'invalid',
        error: expect.stringContaining("OpenClaw's chat event is not as documented"),
      },
    ]);
    expect(
      parser.event({ type: 'event', event: 'agent', payload: { runId: RUN, stream: 'tool' } }),
    ).toEqual([
      {
        type: 'invalid',
        error: expect.stringContaining("OpenClaw's agent event is not as documented"),
      },
    ]);
    expect(parser.event(chat({ state: 'final', usage: { input: -1 } }))).toContainEqual({
      type: 'invalid',
      error: expect.stringContaining("OpenClaw's usage is not as documented"),
    });
    const garbage = readFrame('Segmentation fault (core dumped)');
    expect(garbage).toEqual({
      error: expect.stringMatching(
        /^the OpenClaw gateway sent a frame that is not JSON \(.+\): Segmentation fault/,
      ),
    });
    expect(readFrame('{"type":"evt","event":"chat"}')).toEqual({
      error: expect.stringContaining('not a request, response or event'),
    });
    expect(parser.garbage('bad')).toEqual([{ type: 'invalid', error: 'bad' }]);
  });

  it('skips the connection’s own events (ticks, presence) and streams it does not read', () => {
    const parser = openClawTurnParser();
    parser.follow(RUN);
    expect(parser.event({ type: 'event', event: 'tick', payload: { ts: 1 } })).toEqual([]);
    expect(
      parser.event({
        type: 'event',
        event: 'agent',
        payload: { runId: RUN, seq: 1, stream: 'assistant', data: { delta: 'x' } },
      }),
    ).toEqual([]);
  });

  it('leaves the price to the server when the gateway reports no cost', () => {
    const { events: read } = parse('new-session');
    expect(read.find((event) => event.type === 'usage')).toEqual({
      type: 'usage',
      usage: { model: 'gpt-5', inputTokens: 900, cachedInputTokens: 0, outputTokens: 40 },
    });
  });
});
