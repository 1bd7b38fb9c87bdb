import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export type PromptIo = {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
};

export type Prompter = {
  /** Asks one question; with `hidden` what is typed is not echoed (a password). */
  ask(question: string, hidden?: boolean): Promise<string>;
  close(): void;
};

/**
 * Questions on the terminal, all through one readline: a second interface on the same terminal
 * can miss putting it in raw mode, and then the terminal itself echoes a password.
 */
export function prompter(io: PromptIo): Prompter {
  let muted = false;
  let ended = false;
  let pending: ((error: Error) => void) | null = null;
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
  rl.once('close', () => {
    ended = true;
    pending?.(new Error('No answer: the input ended'));
  });
  return {
    ask(question, hidden = false) {
      return new Promise((resolve, reject) => {
        if (ended) {
          reject(new Error('No answer: the input ended'));
          return;
        }
        pending = reject;
        rl.question(question, (answer) => {
          pending = null;
          if (hidden) {
            muted = false;
            io.stderr.write('\n');
          }
          resolve(answer);
        });
        muted = hidden;
      });
    },
    close: () => rl.close(),
  };
}

/** One question, for a command that asks only one. */
export async function ask(io: PromptIo, question: string, hidden = false): Promise<string> {
  const prompts = prompter(io);
  try {
    return await prompts.ask(question, hidden);
  } finally {
    prompts.close();
  }
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
