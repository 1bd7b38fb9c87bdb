import { RunLogTail, type TailLine, linesOfEvent } from './run-log-tail';

const line = (position: number, text = `line ${position}`): TailLine => ({
  position,
  stream: 'STDOUT',
  text,
});

describe('following a run log', () => {
  function sut() {
    const printed: number[] = [];
    const tail = new RunLogTail((l) => printed.push(l.position));
    return { tail, printed };
  }

  it('prints each line once and in order, whether read or pushed', () => {
    const { tail, printed } = sut();
    expect(tail.accept([line(1), line(2)])).toEqual({ gap: false });
    // A pushed chunk overlapping what the read already printed.
    expect(tail.accept([line(3), line(2)])).toEqual({ gap: false });
    expect(printed).toEqual([1, 2, 3]);
    expect(tail.position).toBe(3);
  });

  it('asks for a catch-up when a pushed chunk skips ahead', () => {
    const { tail, printed } = sut();
    tail.accept([line(1)]);
    expect(tail.accept([line(3), line(4)])).toEqual({ gap: true });
    expect(printed).toEqual([1]);
    tail.accept([line(2), line(3), line(4)]);
    expect(printed).toEqual([1, 2, 3, 4]);
  });

  it('reads the lines of a live event (protobuf JSON: string positions, default stream left out)', () => {
    expect(
      linesOfEvent({
        runId: 'r',
        lines: [
          { position: '7', text: '\u001b[31mred\u001b[0m' },
          { position: '8', stream: 'LOG_STREAM_STDERR', text: 'warn' },
          { position: '9', stream: 'LOG_STREAM_SYSTEM' },
          { position: 'x', text: 'bad' },
          null,
        ],
      }),
    ).toEqual([
      { position: 7, stream: 'STDOUT', text: '\u001b[31mred\u001b[0m' },
      { position: 8, stream: 'STDERR', text: 'warn' },
      { position: 9, stream: 'SYSTEM', text: '' },
    ]);
    expect(linesOfEvent(null)).toEqual([]);
  });
});
