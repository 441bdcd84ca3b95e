/**
 * Typed deployment configuration of Ballast, one file per network (deploy/config/<network>.ts).
 *
 * Units, so a config reads like a risk sheet:
 * - ratios (LTV, thresholds, bonus, factors, annual rates) are decimal strings: "0.86" = 86%;
 * - token amounts (caps, minimums) are decimal strings in whole tokens: "1000000" USDC, or "max" (no cap);
 * - prices and price bounds are decimal strings in USD per whole token: "3000.5";
 * - durations are seconds.
 * Everything is checked by deploy/config/validate.ts before a single transaction is sent.
 */

/** A token that already exists on the network (mainnet WETH, USDC...): its decimals are read on chain and compared. */
export interface ExistingToken {
  kind: "existing";
  address: string;
  decimals: number;
}

/** A test token (OpenZeppelin MockERC20 with open minting) deployed by the module: local networks and testnets. */
export interface MockToken {
  kind: "mock";
  name: string;
  decimals: number;
}

/** A Chainlink feed that already exists: its decimals, description and latest round are read on chain. */
export interface ExistingFeed {
  kind: "existing";
  address: string;
  decimals: number;
  /** The feed's own heartbeat (seconds) as published by Chainlink. */
  heartbeat: number;
  /** The feed's description() on chain, e.g. "ETH / USD" (checked when given). */
  description?: string;
}

/** A Chainlink MockV3Aggregator deployed by the module (local networks) with a realistic answer and heartbeat. */
export interface MockFeed {
  kind: "mock";
  decimals: number;
  /** Initial answer, USD per whole token. */
  price: string;
  /** The heartbeat the mock stands for (the local node's keeper re-posts answers well within it). */
  heartbeat: number;
}

/** One asset: its token, its USD feed and the price adapter's settings. */
export interface AssetConfig {
  /** Key used by markets and in deployments/<network>.json, e.g. "USDC" (letters and digits only). */
  symbol: string;
  token: ExistingToken | MockToken;
  feed: ExistingFeed | MockFeed;
  /** Seconds added to the heartbeat to get the adapter's max age (per feed, never one global value). */
  maxAgeMargin: number;
  /** Adapter bounds, USD per whole token: an answer outside them is invalid (never clamped). */
  minPrice: string;
  maxPrice: string;
}

export interface CollateralConfig {
  asset: string;
  ltv: string;
  liquidationThreshold: string;
  liquidationBonus: string;
  /** Whole tokens, or "max". */
  supplyCap: string;
}

export interface RateModelConfig {
  baseRate: string;
  slope1: string;
  slope2: string;
  targetUtilization: string;
}

export interface MarketConfig {
  /** Loan asset symbol (an entry of `assets`). */
  loan: string;
  collaterals: CollateralConfig[];
  /** Whole loan tokens, or "max". */
  supplyCap: string;
  borrowCap: string;
  /** Whole loan tokens: the smallest debt a borrow may leave and the smallest a repay or liquidation may leave. */
  minBorrow: string;
  minLeftover: string;
  reserveFactor: string;
  insurancePremiumFactor: string;
  rateModel: RateModelConfig;
  /** ERC-20 name and symbol of the market's insurance fund stake shares. */
  insurance: { name: string; symbol: string };
  /**
   * Attests that every token of the market (loan and collaterals) transfers exactly the amount asked: no fee, no
   * rebasing on transfer. The deployment then calls `setExactTransfers(id, true)` and the core skips its
   * fee-on-transfer balance check on each pull (two `balanceOf` calls). Default false: every pull is checked. Set it
   * only for vetted plain tokens; the guardian can turn the check back on without delay.
   */
  exactTransfers?: boolean;
}

export interface GovernanceConfig {
  /** TimelockController minimum delay, seconds. */
  timelockMinDelay: number;
  /** Timelock proposers (and cancellers): the governance multisig. */
  proposers: string[];
  /** Timelock executors; the zero address lets anyone execute a ready operation. */
  executors: string[];
  /** Holders of RISK_ROLE on the core (bounded parameter changes). */
  riskAdmins: string[];
  /** Holders of GUARDIAN_ROLE on the core (pause per action). */
  guardians: string[];
}

/** The pool each collateral of a market is sold through by the keeper's flash liquidations. */
export interface UniswapPoolConfig {
  /** Asset symbols (entries of `assets`). */
  collateral: string;
  loan: string;
  /** Fee tier in hundredths of a bip (500 = 0.05%, 3000 = 0.3%, 10000 = 1%). */
  fee: number;
  /** Local networks: the dollars that move the seeded pool's price 2% (its liquidity). */
  depthUsd2Pct?: number;
}

/** Uniswap v3 contracts that already exist on the network (mainnet, Sepolia), with where the addresses come from. */
export interface ExistingUniswap {
  kind: "existing";
  /** Where the addresses were taken from (Uniswap's deployment docs). */
  source: string;
  factory: string;
  quoterV2: string;
  positionManager: string;
  /** SwapRouter (v1) where it exists; UniswapV3Swapper does not need it (it calls the pool). */
  swapRouter?: string;
  pools: UniswapPoolConfig[];
}

/** Uniswap v3 deployed from the npm artifacts (v3-core 1.0.1, v3-periphery 1.4.4) and seeded: local networks. */
export interface DeployedUniswap {
  kind: "deploy";
  pools: UniswapPoolConfig[];
}

export interface NetworkDeployConfig {
  network: string;
  chainId: number;
  /** Local networks get test tokens and mock feeds, `ballast:set-price` and seeding. */
  local: boolean;
  assets: AssetConfig[];
  markets: MarketConfig[];
  governance: GovernanceConfig;
  /** The DEX the keeper's flash liquidations sell on. */
  uniswap?: ExistingUniswap | DeployedUniswap;
}
