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
});
