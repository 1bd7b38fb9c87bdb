import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CostSource } from './run.commands';

const perMillion = z.number().min(0).max(10_000);

/** List prices in US dollars per million tokens, by model; `version` is kept on every priced report. */
export const priceCatalogSchema = z.object({
  version: z.string().trim().min(1).max(100),
  models: z.record(
    z.string().trim().min(1),
    z.object({ input: perMillion, output: perMillion, cachedInput: perMillion }),
  ),
});

export type PriceCatalog = z.output<typeof priceCatalogSchema>;

/** Public list prices on the catalog's date; RUN_PRICE_CATALOG_FILE replaces them. */
export const DEFAULT_PRICE_CATALOG: PriceCatalog = {
  version: '2026-12-01',
  models: {
    'claude-opus-4-1': { input: 15, output: 75, cachedInput: 1.5 },
    'claude-opus-4-5': { input: 5, output: 25, cachedInput: 0.5 },
    'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3 },
    'claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1 },
    'gpt-5': { input: 1.25, output: 10, cachedInput: 0.125 },
    'gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025 },
    'gpt-5-codex': { input: 1.25, output: 10, cachedInput: 0.125 },
    'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
    'gemini-2.5-pro': { input: 1.25, output: 10, cachedInput: 0.31 },
  },
};

type Loaded = { catalog: PriceCatalog } | { problem: string };

function readCatalog(file: string): Loaded {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { problem: `cannot read a JSON price catalog from ${file}: ${reason}` };
  }
  const catalog = priceCatalogSchema.safeParse(parsed);
  return catalog.success
    ? { catalog: catalog.data }
    : {
        problem: `${file} is not a price catalog: ${catalog.error.issues
          .map((issue) => `${issue.path.join('.') || 'catalog'} ${issue.message}`)
          .join('; ')}`,
      };
}

/** Why a catalog file cannot be used, for the configuration check at boot; undefined when it can. */
export function priceCatalogProblem(file: string): string | undefined {
  const loaded = readCatalog(file);
  return 'problem' in loaded ? loaded.problem : undefined;
}

/** The catalog in RUN_PRICE_CATALOG_FILE (checked at boot), or the built-in one when unset. */
export function loadPriceCatalog(file: string | undefined): PriceCatalog {
  if (file === undefined) {
    return DEFAULT_PRICE_CATALOG;
  }
  const loaded = readCatalog(file);
  if ('problem' in loaded) {
    throw new Error(loaded.problem);
  }
  return loaded.catalog;
}

export type Usage = {
  model: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
};

export type Priced = { costMicroUsd: number; costSource: CostSource; priceCatalogVersion: string };

/**
 * The catalog entry for a model: its own name, else the longest entry it starts with, so dated
 * releases (`claude-sonnet-4-5-20250929`) take their family's price. Case does not matter.
 */
function pricesOf(catalog: PriceCatalog, model: string) {
  const wanted = model.toLowerCase();
  let best: { key: string; prices: PriceCatalog['models'][string] } | undefined;
  for (const [key, prices] of Object.entries(catalog.models)) {
    const name = key.toLowerCase();
    if (
      (wanted === name || wanted.startsWith(`${name}-`)) &&
      name.length > (best?.key.length ?? -1)
    ) {
      best = { key: name, prices };
    }
  }
  return best?.prices;
}

/**
 * What a usage report costs, in millionths of a dollar. The agent's own figure wins when it gives
 * one; otherwise the catalog's price (for a flat-rate run, the estimate of what the tokens would
 * have cost). A model the catalog lacks, with no figure, is `unpriced`, never a silent 0.
 */
export function priceUsage(
  catalog: PriceCatalog,
  usage: Usage,
  agentCostUsd?: number | null,
): Priced {
  if (agentCostUsd !== undefined && agentCostUsd !== null) {
    return {
      costMicroUsd: Math.round(agentCostUsd * 1_000_000),
      costSource: 'agent',
      priceCatalogVersion: '',
    };
  }
  const prices = pricesOf(catalog, usage.model);
  if (!prices) {
    return { costMicroUsd: 0, costSource: 'unpriced', priceCatalogVersion: '' };
  }
  // Dollars per million tokens times tokens is millionths of a dollar.
  const uncached = usage.inputTokens - usage.cachedInputTokens;
  return {
    costMicroUsd: Math.round(
      uncached * prices.input +
        usage.cachedInputTokens * prices.cachedInput +
        usage.outputTokens * prices.output,
    ),
    costSource: 'catalog',
    priceCatalogVersion: catalog.version,
  };
}
