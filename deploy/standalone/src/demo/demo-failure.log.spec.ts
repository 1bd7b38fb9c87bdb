import { DemoFailureLog } from './demo-failure.log';
import { DemoApiError } from './demo-graphql.client';

describe('DemoFailureLog', () => {
  it('logs a kind of failure once, and a new kind again', () => {
    const lines: string[] = [];
    const sut = new DemoFailureLog((line) => lines.push(line));
    const limited = new DemoApiError('heartbeat', 'LIMIT_EXCEEDED', 'Too many heartbeats', true, 9);
    const down = new DemoApiError('heartbeat', 'NETWORK_ERROR', 'fetch failed', true);

    sut.report('agent Atlas', 'send a heartbeat', limited);
    sut.report('agent Atlas', 'send a heartbeat', limited);
    sut.report('agent Nova', 'send a heartbeat', limited);
    sut.report('agent Atlas', 'send a heartbeat', down);
    sut.report('commander', 'assign a mission', new Error('surprise'));

    expect(lines).toEqual([
      'Demo agent Atlas could not send a heartbeat (LIMIT_EXCEEDED: heartbeat: Too many heartbeats); retrying quietly',
      'Demo agent Nova could not send a heartbeat (LIMIT_EXCEEDED: heartbeat: Too many heartbeats); retrying quietly',
      'Demo agent Atlas could not send a heartbeat (NETWORK_ERROR: heartbeat: fetch failed); retrying quietly',
      'Demo commander could not assign a mission (UNEXPECTED: surprise); retrying quietly',
    ]);
  });

  it('says what the runner reported once per message, whatever ids it names', () => {
    const lines: string[] = [];
    const sut = new DemoFailureLog((line) => lines.push(line));

    sut.note('agent Nova', 'asking for work: The budget is spent (LIMIT_EXCEEDED)');
    sut.note('agent Nova', 'asking for work: The budget is spent (LIMIT_EXCEEDED)');
    sut.note('agent Atlas', 'moving 4f0c2a1e-9b7d-4c3e-8a21-0d5e6f7a8b9c: not found');
    sut.note('agent Atlas', 'moving 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d: not found');

    expect(lines).toEqual([
      'Demo agent Nova: asking for work: The budget is spent (LIMIT_EXCEEDED)',
      'Demo agent Atlas: moving 4f0c2a1e-9b7d-4c3e-8a21-0d5e6f7a8b9c: not found',
    ]);
  });
});
