import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DEFAULT_PRICE_CATALOG,
  loadPriceCatalog,
  priceCatalogProblem,
  priceUsage,
  type PriceCatalog,
} from './pricing';

const catalog: PriceCatalog = {
  version: 'test-1',
  models: {
    'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3 },
    'gpt-5': { input: 1.25, output: 10, cachedInput: 0.125 },
    'gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025 },
  },
};
const usage = { inputTokens: 10_000, outputTokens: 2_000, cachedInputTokens: 8_000 };

describe('priceUsage', () => {
  it('prices uncached input, cached input and output at the catalog rates', () => {
    // 2,000 × $3 + 8,000 × $0.30 + 2,000 × $15 per million = $0.0384
    expect(priceUsage(catalog, { model: 'claude-sonnet-4-5', ...usage })).toEqual({
      costMicroUsd: 38_400,
      costSource: 'catalog',
      priceCatalogVersion: 'test-1',
    });
  });

  it('gives a dated release its family price, and the longest family wins', () => {
    expect(
      priceUsage(catalog, { model: 'Claude-Sonnet-4-5-20250929', ...usage }).costMicroUsd,
    ).toBe(38_400);
    expect(priceUsage(catalog, { model: 'gpt-5-mini', ...usage }).costMicroUsd).toBe(
      Math.round(2_000 * 0.25 + 8_000 * 0.025 + 2_000 * 2),
    );
  });

  it("takes the agent's own figure over the catalog", () => {
    expect(priceUsage(catalog, { model: 'gpt-5', ...usage }, 0.25)).toEqual({
      costMicroUsd: 250_000,
      costSource: 'agent',
      priceCatalogVersion: '',
    });
  });

  it('says unpriced, not free, for a model the catalog lacks', () => {
    expect(priceUsage(catalog, { model: 'llama-local', ...usage })).toEqual({
      costMicroUsd: 0,
      costSource: 'unpriced',
      priceCatalogVersion: '',
    });
  });

  it('does not take a model for another that merely shares its first letters', () => {
    expect(priceUsage(catalog, { model: 'gpt-50', ...usage }).costSource).toBe('unpriced');
  });

  it('ships a catalog with the models agents run most', () => {
    expect(Object.keys(DEFAULT_PRICE_CATALOG.models)).toEqual(
      expect.arrayContaining(['claude-sonnet-4-5', 'gpt-5']),
    );
  });
});

describe('a price catalog file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'prices-'));
  const file = (name: string, content: string) => {
    const at = path.join(dir, name);
    writeFileSync(at, content);
    return at;
  };

  it('replaces the built-in prices when valid', () => {
    const at = file('ok.json', JSON.stringify(catalog));
    expect(priceCatalogProblem(at)).toBeUndefined();
    expect(loadPriceCatalog(at)).toEqual(catalog);
    expect(loadPriceCatalog(undefined)).toBe(DEFAULT_PRICE_CATALOG);
  });

  it('is refused at boot, saying why, when missing, not JSON, or not prices', () => {
    expect(priceCatalogProblem(path.join(dir, 'none.json'))).toMatch(/cannot read/);
    expect(priceCatalogProblem(file('bad.json', '{'))).toMatch(/cannot read/);
    expect(
      priceCatalogProblem(
        file(
          'neg.json',
          JSON.stringify({ version: 'x', models: { m: { input: -1, output: 1, cachedInput: 0 } } }),
        ),
      ),
    ).toMatch(/models\.m\.input/);
  });
});
