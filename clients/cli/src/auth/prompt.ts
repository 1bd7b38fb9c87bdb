import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export type PromptIo = {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
};

/** Asks one question on the terminal; with `hidden` what is typed is not echoed (a password). */
export function ask(io: PromptIo, question: string, hidden = false): Promise<string> {
  let muted = false;
  // Prompts go to stderr so stdout stays the command's answer (e.g. `--json`).
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) {
        io.stderr.write(chunk);
      }
      done();
    },
  });
  const rl = createInterface({ input: io.stdin, output, terminal: io.stdin.isTTY === true });
  return new Promise((resolve, reject) => {
    rl.once('close', () => reject(new Error('No answer: the input ended')));
    rl.question(question, (answer) => {
      rl.removeAllListeners('close');
      rl.close();
      if (hidden) {
        io.stderr.write('\n');
      }
      resolve(answer);
    });
    muted = hidden;
  });
}

/** All of stdin, without its final line break (`--password-stdin`, a key piped in). */
export async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
