import { PassThrough } from 'node:stream';
import { ask, readAll } from './prompt';

function io(input: string) {
  const stdin = new PassThrough();
  const stderr = new PassThrough();
  let shown = '';
  stderr.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  stdin.end(input);
  return { io: { stdin, stderr }, shown: () => shown };
}

describe('prompts', () => {
  it('asks on stderr and answers the line typed', async () => {
    const { io: sut, shown } = io('grace@example.com\n');
    await expect(ask(sut, 'Email: ')).resolves.toBe('grace@example.com');
    expect(shown()).toBe('Email: ');
  });

  it('does not echo a hidden answer', async () => {
    const { io: sut, shown } = io('hunter2\n');
    await expect(ask(sut, 'Password: ', true)).resolves.toBe('hunter2');
    expect(shown()).not.toContain('hunter2');
  });

  it('fails when the input ends without an answer', async () => {
    const { io: sut } = io('');
    await expect(ask(sut, 'Email: ')).rejects.toThrow('input ended');
  });

  it('reads a piped password without its final line break, keeping inner spaces', async () => {
    const stdin = new PassThrough();
    stdin.end('correct horse battery staple \n');
    await expect(readAll(stdin)).resolves.toBe('correct horse battery staple ');
  });
});
