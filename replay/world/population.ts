/**
 * The seeded population, planned in JavaScript from a seeded PRNG (same seed, same population): each borrower's
 * collateral (log-uniform $5k-$250k, 30% split between two collaterals in multi-collateral markets) and debt (an
 * initial health factor drawn from the stated bands).
 */
import { rng, unitsFor } from "../util";
import type { SimAsset } from "../types";

/** Stated HF distribution of the seeded borrowers (initial health factors). */
export const HF_BANDS = [
  { share: 0.25, lo: 0, hi: 1.15 }, // lo 0 = the collateral's LT/LTV + 0.01 (the tightest a borrow allows)
  { share: 0.35, lo: 1.15, hi: 1.4 },
  { share: 0.25, lo: 1.4, hi: 1.8 },
  { share: 0.15, lo: 1.8, hi: 3.0 },
];
export const HF_DISTRIBUTION =
  "initial HF: 25% in [LT/LTV+0.01, 1.15), 35% in [1.15, 1.40), 25% in [1.40, 1.80), 15% in [1.80, 3.00), " +
  "uniform within a band; collateral value log-uniform $5k-$250k; 30% of borrowers in multi-collateral markets " +
  "split their value between two collaterals";

export interface BorrowerSeed {
  amounts: bigint[];
  borrowAssets: bigint;
}

export interface Population {
  seeds: BorrowerSeed[];
  colTotals: bigint[];
  borrowTotal: bigint;
}

/** Collateral risk as read from the core (WAD bigints). */
export interface SeedRisk {
  ltv: bigint;
  liquidationThreshold: bigint;
}

/** USD per whole token of an asset's first round. */
export const firstUsd = (a: SimAsset) => Number(a.rounds[0]!.answer) / 10 ** a.spec.rule.decimals;

function picker(rand: () => number, weights: number[]): () => number {
  const wsum = weights.reduce((x, y) => x + y, 0);
  return () => {
    let r = rand() * wsum;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r <= 0) return i;
    }
    return weights.length - 1;
  };
}

function band(rand: () => number) {
  let r = rand();
  for (const b of HF_BANDS) {
    if (r < b.share) return b;
    r -= b.share;
  }
  return HF_BANDS[HF_BANDS.length - 1]!;
}

/** Plans `n` borrowers against the market's collaterals. */
export function planPopulation(
  n: number,
  seed: number,
  loan: SimAsset,
  collaterals: SimAsset[],
  risks: SeedRisk[],
  minLeftover: bigint,
): Population {
  const rand = rng(seed);
  const pick = picker(
    rand,
    collaterals.map((c) => c.spec.weight ?? 1),
  );
  const out: Population = { seeds: [], colTotals: collaterals.map(() => 0n), borrowTotal: 0n };
  for (let k = 0; k < n; k++) {
    const value = Math.exp(Math.log(5000) + rand() * (Math.log(250000) - Math.log(5000)));
    const held = new Map<number, number>();
    const first = pick();
    if (collaterals.length > 1 && rand() < 0.3) {
      let second = pick();
      if (second === first) second = (first + 1) % collaterals.length;
      held.set(first, value / 2);
      held.set(second, value / 2);
    } else held.set(first, value);
    const b = band(rand);
    let tightest = 0;
    for (const i of held.keys())
      tightest = Math.max(tightest, Number(risks[i]!.liquidationThreshold) / Number(risks[i]!.ltv) + 0.01);
    const hf = Math.max(Math.max(b.lo, tightest), b.lo + rand() * (b.hi - b.lo));
    const amounts = collaterals.map(() => 0n);
    let weighted = 0;
    for (const [i, usd] of held) {
      const a = collaterals[i]!;
      amounts[i] = unitsFor(usd, firstUsd(a), a.spec.decimals);
      out.colTotals[i] = out.colTotals[i]! + amounts[i]!;
      weighted += usd * (Number(risks[i]!.liquidationThreshold) / 1e18);
    }
    let borrowAssets = unitsFor(weighted / hf, firstUsd(loan), loan.spec.decimals);
    if (borrowAssets < minLeftover) borrowAssets = minLeftover;
    out.borrowTotal += borrowAssets;
    out.seeds.push({ amounts, borrowAssets });
  }
  return out;
}
