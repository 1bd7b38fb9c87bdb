import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../main';

describe('mc mcp', () => {
  it('asks for an agent key before serving anything, with exit code 2 and nothing on stdout', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const stdin = new PassThrough();
    const code = await main(['node', 'mc', 'mcp'], {
      stdout,
      stderr,
      stdin,
      env: { MC_CONFIG_DIR: mkdtempSync(path.join(tmpdir(), 'mc-mcp-')) },
    });
    expect({ code, out, err }).toEqual({
      code: 2,
      out: '',
      err: 'mc: VALIDATION_ERROR: mc mcp serves an agent: set MC_AGENT_KEY, or sign in with `mc login --agent-key`\n',
    });
  });
});
