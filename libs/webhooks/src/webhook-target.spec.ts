import { isPrivateAddress, webhookUrlProblem } from './webhook-target';

const strict = { allowPrivate: false };
const lenient = { allowPrivate: true };

describe('webhook URLs', () => {
  it('accepts public http and https URLs', () => {
    expect(webhookUrlProblem('https://agents.example.com/wake?token=abc', strict)).toBeNull();
    expect(webhookUrlProblem('http://203.1.113.9:8080/wake', strict)).toBeNull();
  });

  it('refuses other schemes, relative URLs, credentials and fragments, saying why', () => {
    expect(webhookUrlProblem('ftp://example.com/wake', strict)).toBe(
      'must start with https:// or http://',
    );
    expect(webhookUrlProblem('javascript:alert(1)', strict)).toBe(
      'must start with https:// or http://',
    );
    expect(webhookUrlProblem('/wake', strict)).toMatch(/absolute URL/);
    expect(webhookUrlProblem('https://user:pw@example.com/', strict)).toMatch(/user name/);
    expect(webhookUrlProblem('https://example.com/#x', strict)).toMatch(/fragment/);
    expect(webhookUrlProblem('https://exa\nmple.com/', strict)).toBe(
      'must not contain spaces or control characters',
    );
    expect(webhookUrlProblem('https://example.com/a b', strict)).toBe(
      'must not contain spaces or control characters',
    );
  });

  it('bounds the length', () => {
    const long = `https://example.com/${'a'.repeat(2_100)}`;
    expect(webhookUrlProblem(long, strict)).toBe('must be at most 2048 characters');
    expect(webhookUrlProblem('https://example.com/abc', { ...strict, maxLength: 10 })).toBe(
      'must be at most 10 characters',
    );
  });

  it('refuses loopback, private and link-local targets unless allowed', () => {
    for (const url of [
      'http://127.0.0.1:8080/wake',
      'http://localhost/wake',
      'http://api.localhost/wake',
      'http://localhost./wake',
      'http://10.1.2.3/',
      'http://172.20.0.1/',
      'http://192.168.1.10/',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/',
      'http://[fd00::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://0.0.0.0/',
    ]) {
      expect(webhookUrlProblem(url, strict)).toMatch(/public address/);
      expect(webhookUrlProblem(url, lenient)).toBeNull();
    }
  });
});

describe('private addresses', () => {
  it('tells private from public', () => {
    expect(isPrivateAddress('127.0.0.1')).toBe(true);
    expect(isPrivateAddress('::ffff:7f00:1')).toBe(true);
    expect(isPrivateAddress('100.64.0.1')).toBe(true);
    expect(isPrivateAddress('fe80::1')).toBe(true);
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(isPrivateAddress('2606:4700:4700::1111')).toBe(false);
  });
});
