import { pointTimestamp, type MetricPoint } from './metric-points';
import { metricRows } from './postgres-metrics-store';

const at = new Date('2025-06-04T15:30:00.123Z');

const flow = (fields: MetricPoint['fields'], version = 4): MetricPoint => ({
  measurement: 'mission_flow',
  tags: { workspace_id: 'ws-1', mission_id: 'm-1' },
  fields,
  timestamp: pointTimestamp(at, version),
});

const status = (fields: MetricPoint['fields'], version = 2): MetricPoint => ({
  measurement: 'agent_status',
  tags: { workspace_id: 'ws-1', agent_id: 'a-1' },
  fields,
  timestamp: pointTimestamp(at, version),
});

describe('metricRows', () => {
  it('keys a point by its series and nanosecond timestamp, and times it to the millisecond', () => {
    const { agentStatus, missionFlow } = metricRows([
      flow({ done: 1, cycle_time_seconds: 180 }),
      status({ status: 'busy', previous_status: 'idle', previous_seconds: 60 }),
    ]);
    expect(missionFlow).toEqual([
      {
        workspace_id: 'ws-1',
        mission_id: 'm-1',
        timestamp_ns: '1749051000123000004',
        time: '2025-06-04T15:30:00.123Z',
        created: null,
        done: 1,
        cycle_time_seconds: 180,
      },
    ]);
    expect(agentStatus).toEqual([
      {
        workspace_id: 'ws-1',
        agent_id: 'a-1',
        timestamp_ns: '1749051000123000002',
        time: '2025-06-04T15:30:00.123Z',
        status: 'busy',
        previous_status: 'idle',
        previous_seconds: 60,
      },
    ]);
  });

  it('writes a point given twice once, merging its fields as InfluxDB does', () => {
    const { missionFlow } = metricRows([
      flow({ created: 1 }),
      flow({ done: 1 }),
      flow({ done: 1 }, 5),
    ]);
    expect(missionFlow.map((row) => [row.timestamp_ns, row.created, row.done])).toEqual([
      ['1749051000123000004', 1, 1],
      ['1749051000123000005', null, 1],
    ]);
  });

  it('keeps the same timestamp of different series apart', () => {
    const other = { ...flow({ created: 1 }), tags: { workspace_id: 'ws-2', mission_id: 'm-1' } };
    expect(metricRows([flow({ created: 1 }), other]).missionFlow).toHaveLength(2);
  });

  it('refuses a point it could not store whole', () => {
    expect(() => metricRows([flow({ created: 1, priority: 'high' })])).toThrow(/unknown fields/);
    expect(() => metricRows([{ ...flow({ created: 1 }), tags: { mission_id: 'm-1' } }])).toThrow(
      /without tag workspace_id/,
    );
    expect(() => metricRows([status({ previous_status: 'idle' })])).toThrow(/without a status/);
    expect(() => metricRows([status({ status: 3 })])).toThrow(/not a string/);
    expect(() => metricRows([{ ...status({ status: 'busy' }), timestamp: '1e18' }])).toThrow(
      /nanoseconds as digits/,
    );
  });

  it('keys run and response points by their series, merging a point’s fields written twice', () => {
    const run = (fields: MetricPoint['fields'], version: number): MetricPoint => ({
      measurement: 'agent_run',
      tags: { workspace_id: 'ws-1', agent_id: 'a-1', run_id: 'r-1', billing: 'subscription' },
      fields,
      timestamp: pointTimestamp(at, version),
    });
    const response = (fields: MetricPoint['fields']): MetricPoint => ({
      measurement: 'agent_response',
      tags: { workspace_id: 'ws-1', agent_id: 'a-1', mission_id: 'm-1' },
      fields,
      timestamp: pointTimestamp(at, 3),
    });
    const { agentRun, agentResponse } = metricRows([
      run({ started: 1 }, 1),
      run({ cost_micro_usd: 38_400, input_tokens: 10_000 }, 2),
      run({ cost_micro_usd: 38_400, input_tokens: 10_000 }, 2),
      response({ claim_seconds: 20 }),
      response({ first_output_seconds: 45, response_seconds: 65 }),
    ]);
    expect(
      agentRun.map((row) => [row.timestamp_ns, row.billing, row.started, row.cost_micro_usd]),
    ).toEqual([
      ['1749051000123000001', 'subscription', 1, null],
      ['1749051000123000002', 'subscription', null, 38_400],
    ]);
    expect(agentResponse).toEqual([
      {
        workspace_id: 'ws-1',
        agent_id: 'a-1',
        mission_id: 'm-1',
        timestamp_ns: '1749051000123000003',
        time: '2025-06-04T15:30:00.123Z',
        claim_seconds: 20,
        first_output_seconds: 45,
        response_seconds: 65,
      },
    ]);
  });

  it('refuses a run point without its run, or of a billing it does not know', () => {
    const point = (tags: Record<string, string>): MetricPoint => ({
      measurement: 'agent_run',
      tags: { workspace_id: 'ws-1', agent_id: 'a-1', ...tags },
      fields: { started: 1 },
      timestamp: pointTimestamp(at, 1),
    });
    expect(() => metricRows([point({ billing: 'metered' })])).toThrow(/run_id/);
    expect(() => metricRows([point({ run_id: 'r-1', billing: 'free' })])).toThrow(/billing/);
  });
});
