import { execFileSync } from 'node:child_process';
import { absoluteGatewayUrl, connectSnippets, slugOf } from './connect-snippets';

const target = {
  gatewayUrl: 'https://mc.example.com',
  agentName: "Scout's #1",
  key: "mc_ak_abc'def",
};

describe('connection snippets', () => {
  it('points every way of connecting at the gateway with this agent’s key', () => {
    const snippets = connectSnippets(target);
    expect(snippets.map((snippet) => snippet.id)).toEqual([
      'claude-code',
      'codex',
      'runner',
      'shell',
    ]);
    expect(snippets[0]!.code).toBe(
      'claude mcp add --transport http mission-control-scout-s-1 https://mc.example.com/mcp \\\n' +
        `  --header 'Authorization: Bearer mc_ak_abc'"'"'def'`,
    );
    expect(snippets[1]!.code).toContain('url = "https://mc.example.com/mcp"');
    expect(snippets[2]!.code).toContain('gatewayUrl: https://mc.example.com');
    for (const snippet of snippets.filter((s) => s.id !== 'claude-code')) {
      expect(snippet.code).toContain("mc_ak_abc'\"'\"'def");
    }
  });

  it('quotes the key so a shell reads it back unchanged', () => {
    const exported = connectSnippets(target)[1]!.code.split('\n').at(-1)!;
    const read = execFileSync('sh', ['-c', `${exported}; printf %s "$MC_AGENT_KEY"`], {
      encoding: 'utf8',
    });
    expect(read).toBe(target.key);
  });

  it('makes a relative gateway setting absolute on the page’s origin', () => {
    expect(absoluteGatewayUrl('', 'http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    expect(absoluteGatewayUrl('/', 'http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    expect(absoluteGatewayUrl('https://api.example.test/', 'http://x')).toBe(
      'https://api.example.test',
    );
    expect(slugOf('Ünïcode  Agent!')).toBe('unicode-agent');
    expect(slugOf('???')).toBe('agent');
  });
});
