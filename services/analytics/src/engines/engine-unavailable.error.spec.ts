import { errors } from '@elastic/elasticsearch';
import { isTransientDatabaseError } from '@mission-control/eventing';
import { EngineUnavailableError, engineUnavailable } from './engine-unavailable.error';

const econnrefused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9200'), {
  code: 'ECONNREFUSED',
});

describe('engineUnavailable', () => {
  it('marks an unreachable engine so the consumer waits for it instead of dead-lettering', () => {
    const outages = [
      engineUnavailable('elasticsearch', new errors.ConnectionError('down')),
      engineUnavailable('elasticsearch', new errors.TimeoutError('slow')),
      engineUnavailable('influxdb', econnrefused),
      engineUnavailable(
        'influxdb',
        Object.assign(new Error('No host available'), { name: 'ServiceNotAvailableError' }),
      ),
    ];
    for (const outage of outages) {
      expect(outage).toBeInstanceOf(EngineUnavailableError);
      expect(isTransientDatabaseError(outage)).toBe(true);
    }
    expect((outages[2] as EngineUnavailableError).code).toBe('ECONNREFUSED');
  });

  it('leaves every other failure as it is: a bad document is the event’s problem', () => {
    const refused = new Error('field type conflict');
    expect(engineUnavailable('influxdb', refused)).toBe(refused);
    expect(isTransientDatabaseError(engineUnavailable('influxdb', refused))).toBe(false);
  });
});
