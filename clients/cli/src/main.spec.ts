import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from './main';

/** `mc` in-process with captured output and its own empty config folder. */
async function mc(...args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const stdin = new PassThrough();
  stdin.end();
  const code = await main(['node', 'mc', ...args], {
    stdout,
    stderr,
    stdin,
    env: { MC_CONFIG_DIR: mkdtempSync(path.join(tmpdir(), 'mc-main-')) },
  });
  return { code, out, err };
}

describe('mc', () => {
  it('prints help with exit code 0', async () => {
    const result = await mc('--help');
    expect(result.code).toBe(0);
    for (const group of ['login', 'workspaces', 'missions', 'agents', 'runs', 'budget']) {
      expect(result.out).toContain(group);
    }
  });

  it('answers a command it does not know with exit code 2', async () => {
    const result = await mc('mission');
    expect(result.code).toBe(2);
    expect(result.err).toContain("unknown command 'mission'");
  });

  it('refuses a bad column before asking the server, with exit code 2 and one line', async () => {
    const result = await mc('missions', 'move', 'm1', 'nowhere');
    expect(result).toEqual({
      code: 2,
      out: '',
      err: 'mc: VALIDATION_ERROR: Unknown column "nowhere": one of BACKLOG, TODO, IN_PROGRESS, REVIEW, DONE, BLOCKED\n',
    });
  });

  it('says to sign in first, with exit code 3', async () => {
    const result = await mc('missions', 'list');
    expect(result.code).toBe(3);
    expect(result.err).toBe('mc: UNAUTHENTICATED: Not signed in: run `mc login` first\n');
  });

  it('refuses a gateway that is not a URL', async () => {
    const result = await mc(
      'login',
      '--gateway',
      'not a url',
      '--email',
      'a@b.c',
      '--password-stdin',
    );
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^mc: VALIDATION_ERROR: The gateway URL "not a url" is not a URL/);
  });

  it('needs --password-stdin without a terminal', async () => {
    const result = await mc('login', '--email', 'a@b.c');
    expect(result.code).toBe(2);
    expect(result.err).toContain('--password-stdin');
  });
});
