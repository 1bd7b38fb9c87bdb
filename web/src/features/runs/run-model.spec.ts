import type { LiveEvent } from '../../lib/live/live-event';
import {
  formatCost,
  formatDuration,
  linesOfEvent,
  mergeLines,
  runIdOf,
  segmentsOf,
  type LogLine,
} from './run-model';

const line = (position: number, text = `line ${position}`): LogLine => ({
  position,
  stream: 'STDOUT',
  text,
});

describe('mergeLines', () => {
  it('appends what follows, once, in position order', () => {
    const { lines, gap } = mergeLines([line(1), line(2)], [line(4), line(3), line(2)]);
    expect(lines.map((l) => l.position)).toEqual([1, 2, 3, 4]);
    expect(gap).toBeNull();
  });

  it('stops at a gap and says where to fetch from', () => {
    const { lines, gap } = mergeLines([line(1)], [line(2), line(5)]);
    expect(lines.map((l) => l.position)).toEqual([1, 2]);
    expect(gap).toBe(2);
  });

  it('changes nothing for lines already held', () => {
    const held = [line(1), line(2)];
    expect(mergeLines(held, [line(1)]).lines).toBe(held);
  });
});

describe('linesOfEvent', () => {
  const event = (data: Record<string, unknown>): LiveEvent => ({
    id: 'e1',
    type: 'mission.v1.RunLogAppended',
    subject: 'run-r1',
    workspaceId: 'w1',
    time: '2026-01-01T00:00:00Z',
    actor: 'agent:a1',
    data,
    position: 'p',
  });

  it('reads protobuf JSON lines: string positions, enum names, defaults left out', () => {
    expect(
      linesOfEvent(
        event({
          runId: 'r1',
          lines: [
            { position: '7', stream: 'LOG_STREAM_STDERR', text: 'oops' },
            { position: '8', text: 'plain' },
            { position: '9', stream: 'LOG_STREAM_SYSTEM' },
          ],
        }),
      ),
    ).toEqual([
      { position: 7, stream: 'STDERR', text: 'oops' },
      { position: 8, stream: 'STDOUT', text: 'plain' },
      { position: 9, stream: 'SYSTEM', text: '' },
    ]);
  });

  it('ignores what is not a line', () => {
    expect(linesOfEvent(event({ lines: [null, { position: 'x' }, 3] }))).toEqual([]);
    expect(linesOfEvent(event({}))).toEqual([]);
    expect(runIdOf(event({}))).toBe('r1');
    expect(runIdOf({ ...event({}), subject: 'mission-m1' })).toBeNull();
  });
});

describe('segmentsOf', () => {
  it('turns ANSI colours and bold into styled text, never into visible escape codes', () => {
    const segments = segmentsOf('\u001b[1;32mok\u001b[0m plain \u001b[31mred\u001b[0m');
    expect(segments.map((s) => s.text).join('')).toBe('ok plain red');
    expect(segments[0]).toMatchObject({ text: 'ok', bold: true, color: expect.any(String) });
    expect(segments[1]).toMatchObject({ text: ' plain ', bold: false, color: null });
    expect(segments[2]!.color).not.toBe(segments[0]!.color);
  });

  it('keeps markup as text', () => {
    expect(segmentsOf('<img src=x onerror=alert(1)>').map((s) => s.text)).toEqual([
      '<img src=x onerror=alert(1)>',
    ]);
  });
});

describe('formatting', () => {
  it('shows cost exactly, estimated with ~, and unpriced usage as such', () => {
    expect(formatCost({ costUsd: 0.0384, costEstimated: false, unpricedReports: 0 })).toBe(
      '$0.0384',
    );
    expect(formatCost({ costUsd: 3, costEstimated: true, unpricedReports: 0 })).toBe('~$3.00');
    expect(formatCost({ costUsd: 0, costEstimated: false, unpricedReports: 2 })).toBe(
      '$0.00 + unpriced',
    );
  });

  it('gives a duration to the end, or to now while running', () => {
    const start = '2026-01-01T10:00:00Z';
    expect(formatDuration(start, '2026-01-01T10:00:04Z', 0)).toBe('4 s');
    expect(formatDuration(start, null, Date.parse('2026-01-01T10:02:05Z'))).toBe('2 min 5 s');
    expect(formatDuration(start, '2026-01-01T11:03:00Z', 0)).toBe('1 h 3 min');
  });
});
