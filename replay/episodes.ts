/**
 * The crash episodes of `../shared/data` and how each is replayed: the market (loan asset + collaterals), the
 * series driving each feed, and the feed's Chainlink rule (deviation threshold, heartbeat, decimals).
 *
 * Mainnet Chainlink thresholds: ETH/USD 0.5% / 3600 s, BTC/USD 0.5% / 3600 s, USDC/USD 0.25% / 86400 s,
 * stETH/ETH 0.5% / 86400 s (its real rounds are replayed 1:1 anyway).
 * ASSUMPTIONS (no mainnet feed or none documented here): LUNA, FTT, SOL: 1% / 86400 s (the slower altcoin class);
 * UST: 0.25% / 86400 s (stablecoin class). A loan asset with no series in an episode (USD stablecoin, or ETH in
 * the stETH/ETH-denominated market) is pegged at exactly 1 with heartbeat rounds: an assumption, not data.
 *
 * LIQUIDITY ASSUMPTIONS (no historical DEX depth is in ../shared/data, so depth is a parameter, not data): each
 * collateral trades against the loan asset in one Uniswap v3 pool (0.3% fee tier) whose depth `depthUsd2Pct` (the
 * dollars that move its price 2%) is set per asset below: WETH and WBTC $2M, SOL, LUNA and UST $1M, FTT $250k,
 * USDC (against USDT) $5M, stETH 1,000 ETH. An arbitrageur with $20M of each token per pool re-aligns every pool
 * with the real price each block (latency 0 price steps) when it is more than 30 bps off. The keeper's gas price
 * is 50 gwei. `npm run stress` varies depth and keeper latency; RunParams overrides any of these.
 */
import type { FeedRule } from "./prices/feed";

export interface AssetSpec {
  symbol: string;
  decimals: number;
  /** Series file in the data folder, or null for a constant peg of 1. */
  file: string | null;
  rule: FeedRule;
  /** Risk parameters at default (WAD decimal strings). */
  ltv: string;
  liquidationThreshold: string;
  liquidationBonus: string;
  /** Share of borrowers holding this collateral (weights, normalised). */
  weight?: number;
  /** Adapter bounds (USD per whole token). */
  minPrice?: string;
  maxPrice?: string;
  /**
   * ASSUMPTION (no historical depth data exists): dollars (loan-asset units at the loan's price) that move this
   * collateral's Uniswap v3 pool against the loan asset 2% down at the episode's first price. Default 2,000,000.
   */
  depthUsd2Pct?: number;
  /** The pool's liquidity covers [first price / poolRange, first price x poolRange]. Default 20. */
  poolRange?: number;
}

export interface EpisodeSpec {
  name: string;
  title: string;
  loan: AssetSpec;
  collaterals: AssetSpec[];
  /** Data window [from, to) in unix seconds (defaults: the whole files). */
  from?: number;
  to?: number;
  /** A short window of the crash for the CI test run (still real rows). */
  testWindow?: { from: number; to: number; every?: number };
  /** Apply each candle's low inside the candle. Default true. */
  useLow?: boolean;
}

const usd = (heartbeat: number, deviation: number): FeedRule => ({ deviation, heartbeat, decimals: 8 });
const ETH_USD = usd(3600, 0.005);
const BTC_USD = usd(3600, 0.005);
const USDC_USD = usd(86400, 0.0025);
const ALT_USD = usd(86400, 0.01); // assumption
const STABLE_USD = usd(86400, 0.0025);

const pegUsd = (symbol: string): AssetSpec => ({
  symbol,
  decimals: 6,
  file: null,
  rule: USDC_USD,
  ltv: "0",
  liquidationThreshold: "0",
  liquidationBonus: "0",
});

const eth = (file: string, weight = 1): AssetSpec => ({
  symbol: "WETH",
  decimals: 18,
  file,
  rule: ETH_USD,
  ltv: "0.8",
  liquidationThreshold: "0.85",
  liquidationBonus: "0.05",
  weight,
  depthUsd2Pct: 2_000_000,
});
const btc = (file: string, weight = 1): AssetSpec => ({
  symbol: "WBTC",
  decimals: 8,
  file,
  rule: BTC_USD,
  ltv: "0.75",
  liquidationThreshold: "0.8",
  liquidationBonus: "0.07",
  weight,
  depthUsd2Pct: 2_000_000,
});
const sol = (file: string, weight = 1): AssetSpec => ({
  symbol: "SOL",
  decimals: 9,
  file,
  rule: ALT_USD,
  ltv: "0.65",
  liquidationThreshold: "0.75",
  liquidationBonus: "0.08",
  weight,
  depthUsd2Pct: 1_000_000,
});

const d = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export const EPISODES: Record<string, EpisodeSpec> = {
  "blackthursday-2020-03": {
    name: "blackthursday-2020-03",
    title: "Black Thursday, 12-13 March 2020 (ETH)",
    loan: pegUsd("USDC"),
    collaterals: [eth("blackthursday-2020-03-ETHUSDT-5m.csv")],
    testWindow: { from: d("2020-03-12T00:00:00Z"), to: d("2020-03-13T12:00:00Z") },
  },
  may2021: {
    name: "may2021",
    title: "19 May 2021 (ETH and BTC)",
    loan: pegUsd("USDC"),
    collaterals: [eth("may2021-ETHUSDT-1m.csv", 0.6), btc("may2021-BTCUSDT-1m.csv", 0.4)],
    testWindow: { from: d("2021-05-19T00:00:00Z"), to: d("2021-05-19T16:00:00Z"), every: 5 },
  },
  "terra-2022-05": {
    name: "terra-2022-05",
    title: "Terra collapse, May 2022 (LUNA, UST)",
    loan: pegUsd("USDC"),
    collaterals: [
      {
        symbol: "LUNA",
        decimals: 18,
        file: "terra-2022-05-LUNAUSDT-1m.csv",
        rule: ALT_USD,
        ltv: "0.55",
        liquidationThreshold: "0.65",
        liquidationBonus: "0.1",
        weight: 0.7,
        depthUsd2Pct: 1_000_000,
        poolRange: 1_000_000, // LUNA fell by ~6 orders of magnitude: liquidity down to there
      },
      {
        symbol: "UST",
        decimals: 6,
        file: "terra-2022-05-USTUSDT-1h.csv",
        rule: STABLE_USD,
        ltv: "0.7",
        liquidationThreshold: "0.8",
        liquidationBonus: "0.08",
        weight: 0.3,
        depthUsd2Pct: 1_000_000,
        poolRange: 100,
      },
    ],
    to: d("2022-05-13T00:00:00Z"),
    testWindow: { from: d("2022-05-09T00:00:00Z"), to: d("2022-05-12T00:00:00Z"), every: 15 },
  },
  "ftx-2022-11": {
    name: "ftx-2022-11",
    title: "FTX collapse, November 2022 (FTT, SOL, ETH)",
    loan: pegUsd("USDC"),
    collaterals: [
      {
        symbol: "FTT",
        decimals: 18,
        file: "ftx-2022-11-FTTUSDT-1h.csv",
        rule: ALT_USD,
        ltv: "0.5",
        liquidationThreshold: "0.65",
        liquidationBonus: "0.1",
        weight: 0.3,
        depthUsd2Pct: 250_000,
        poolRange: 100,
      },
      sol("ftx-2022-11-SOLUSDT-1h.csv", 0.3),
      eth("ftx-2022-11-ETHUSDT-1h.csv", 0.4),
    ],
    testWindow: { from: d("2022-11-07T00:00:00Z"), to: d("2022-11-11T00:00:00Z") },
  },
  "usdc-2023-03": {
    name: "usdc-2023-03",
    title: "USDC depeg, March 2023 (USDC as collateral)",
    loan: { ...pegUsd("USDT"), rule: usd(86400, 0.0025) },
    collaterals: [
      {
        symbol: "USDC",
        decimals: 6,
        file: "usdc-2023-03-USDCUSD-15m.csv",
        rule: USDC_USD,
        ltv: "0.87",
        liquidationThreshold: "0.9",
        liquidationBonus: "0.04",
        depthUsd2Pct: 5_000_000,
      },
    ],
    testWindow: { from: d("2023-03-10T12:00:00Z"), to: d("2023-03-13T12:00:00Z") },
  },
  "steth-2022-06": {
    name: "steth-2022-06",
    title: "stETH depeg, June 2022 (stETH/ETH Chainlink rounds, market in ETH)",
    loan: {
      symbol: "WETH",
      decimals: 18,
      file: null,
      rule: { deviation: 0.005, heartbeat: 86400, decimals: 18 },
      ltv: "0",
      liquidationThreshold: "0",
      liquidationBonus: "0",
    },
    collaterals: [
      {
        symbol: "stETH",
        decimals: 18,
        file: "steth-2022-06-STETHETH-chainlink.csv",
        rule: { deviation: 0.005, heartbeat: 86400, decimals: 18, oneToOne: true },
        ltv: "0.9",
        liquidationThreshold: "0.93",
        liquidationBonus: "0.01",
        depthUsd2Pct: 1_000, // in ETH: the market's loan asset is WETH priced at 1
      },
    ],
  },
  aug2024: {
    name: "aug2024",
    title: "5 August 2024 (ETH)",
    loan: pegUsd("USDC"),
    collaterals: [eth("aug2024-ETHUSDT-5m.csv")],
    testWindow: { from: d("2024-08-04T12:00:00Z"), to: d("2024-08-05T18:00:00Z") },
  },
  oct2025: {
    name: "oct2025",
    title: "10-11 October 2025 (ETH, BTC, SOL)",
    loan: pegUsd("USDC"),
    collaterals: [
      eth("oct2025-ETHUSDT-5m.csv", 0.45),
      btc("oct2025-BTCUSDT-5m.csv", 0.35),
      sol("oct2025-SOLUSDT-5m.csv", 0.2),
    ],
    testWindow: { from: d("2025-10-10T12:00:00Z"), to: d("2025-10-11T06:00:00Z") },
  },
};

export function episode(name: string): EpisodeSpec {
  const e = EPISODES[name];
  if (!e) throw new Error(`unknown episode ${name}; one of: ${Object.keys(EPISODES).join(", ")}`);
  return e;
}

/** Risk parameters a run can override (looser, peer-like parameters, a slower keeper...). */
export interface RunParams {
  /** Added to every collateral's LTV and threshold (e.g. 0.05), capped so threshold x (1 + bonus) < 1. */
  ltvBump?: number;
  thresholdBump?: number;
  /** The keeper acts only every n-th price step (1 = every step). */
  keeperEvery?: number;
  /** Liquidations per keeper tick (default unlimited). */
  keeperMaxPerTick?: number;
  /** Insurance fund size as a share of supplied assets (default 0.03). */
  insuranceShare?: number;
  /** Target utilization of the seeded market (default 0.75). */
  utilization?: number;
  /** Fee tier of every Uniswap pool as a fraction (0.0005, 0.003 or 0.01; default 0.003). */
  swapFee?: number;
  /** Days of interest accrued before the replay (builds reserves and premium; default 30). */
  warmupDays?: number;
  /** Fund caps (WAD decimal strings), defaults 0.3 / 0.5 / 24 h. */
  maxDrawPerEvent?: string;
  windowShare?: string;
  /** Risk parameters of one collateral (by symbol), replacing the episode's (WAD decimal strings). */
  risk?: Record<string, { ltv: string; liquidationThreshold: string }>;
  /** Every pool's depth (dollars that move it 2%), overriding the episode's per-asset assumption. */
  depthUsd2Pct?: number;
  /** The arbitrageur: inventory of each token per pool (dollars), latency (price steps), no-trade band (bps). */
  arbitrageur?: { capitalUsd?: number; latency?: number; minDeviationBps?: number };
  /** Gas price (gwei) of the keeper's profit check. Default 50. */
  gasPriceGwei?: number;
  /** ETH price (USD) for the gas cost in episodes without an ETH series. Default 2000 (an assumption). */
  ethUsdForGas?: number;
  /** Minimum borrow and leftover in whole loan units (default 10). */
  minLeftover?: string;
  label?: string;
}

export const DEFAULT_PARAMS: Required<Pick<RunParams, "keeperEvery" | "insuranceShare" | "utilization" | "swapFee">> &
  RunParams = {
  label: "default",
  ltvBump: 0,
  thresholdBump: 0,
  keeperEvery: 1,
  insuranceShare: 0.03,
  utilization: 0.75,
  swapFee: 0.003,
  warmupDays: 30,
  minLeftover: "10",
  gasPriceGwei: 50,
  ethUsdForGas: 2000,
  arbitrageur: { capitalUsd: 20_000_000, latency: 0, minDeviationBps: 30 },
};

/** Looser, peer-like parameters: higher LTV and threshold, and a keeper that acts every 6th price step. */
export const PEER_PARAMS: RunParams = {
  label: "peer-like",
  ltvBump: 0.06,
  thresholdBump: 0.04,
  keeperEvery: 6,
};
