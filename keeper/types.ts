/** The keeper's shapes: its options, what it tracks and sees of a market, its plans and a tick's result. */
import type { Signer } from "ethers";
import type { BallastCore, FlashLiquidator } from "../typechain-types";
import type { AccrualConfig, CollateralRisk, LiquidationOk, MarketState, PositionState } from "../sdk/math";
import type { KeeperMode, QuoteFn } from "./strategy";

/** A decision or observation of the keeper: `event` is flag, clear, liquidate, skip, failed, prices-invalid, hold. */
export interface KeeperEvent {
  event: string;
  marketId: bigint;
  borrower?: string;
  [field: string]: unknown;
}

export interface KeeperOptions {
  core: BallastCore;
  marketId: bigint;
  /** Sends liquidations (and flags unless `flagSigner` is given). */
  signer: Signer;
  /** Optional separate account for flags/clears (so they can be priced ahead of liquidations). */
  flagSigner?: Signer;
  mode: KeeperMode;
  /** Flash mode: the FlashLiquidator owned by `signer` and the swapper it sells on. */
  liquidator?: FlashLiquidator;
  swapper?: string;
  /** Fee the swapper keeps (WAD), used in the profit estimate. */
  swapFee?: bigint;
  /** Flash mode: what selling the seized collateral returns now; re-checks each plan's profit before sending. */
  quote?: QuoteFn;
  /** Hold every transaction (flags too) while the network's gas price (wei) is above this. */
  gasPriceCap?: bigint;
  /** Each decision as a structured event (the service logs one JSON line per event). */
  onEvent?: (e: KeeperEvent) => void;
  /** Flag shortfalls before liquidating (issue 9). Default true. */
  flag?: boolean;
  /** Plan and log only. */
  dryRun?: boolean;
  /** First block to read events from: the service passes the deployment's block (the core's creation block).
   * Default 0, for in-process test chains only. */
  startBlock?: number;
  /** Gas cost of one liquidation in USD (WAD), subtracted from its profit. Default $5. */
  gasCostUsd?: bigint;
  /** Minimum profit after gas (USD, WAD) to liquidate. Default 0. */
  minProfitUsd?: bigint;
  /** Don't simulate and don't wait for receipts (a driver that mines blocks itself collects them). */
  fireAndForget?: boolean;
  /** Max liquidations sent per `tick`. Default unlimited. */
  maxLiquidationsPerTick?: number;
  /** Gas limit per transaction when `fireAndForget` (no estimate). */
  gasLimit?: bigint;
  /** Priority fees (wei) for flags and liquidations, so a driver can order them in a block. */
  flagTip?: bigint;
  liquidationTip?: bigint;
  /** With `fireAndForget`: send through the node's eth_sendTransaction (unlocked dev-node accounts). */
  rawSend?: boolean;
  /** Adapters whose `checkpoint()` the keeper calls each tick (those with a fallback feed). */
  checkpointAdapters?: string[];
  /** A last check of a planned liquidation (e.g. a quote of the real pool): a reason to skip it, or undefined. */
  vet?: (v: MarketView, plan: LiquidationPlan) => Promise<string | undefined>;
  /** Largest block range per eth_getLogs. Default 5000. */
  logChunk?: number;
  log?: (line: string) => void;
}

/** A position as the keeper tracks it. */
export interface TrackedPosition extends PositionState {
  borrower: string;
  borrowShares: bigint;
  collateral: bigint[];
  shortfall: bigint;
}

/** The market as seen at one block, with prices (null when the adapter reverts). */
export interface MarketView {
  blockNumber: number;
  timestamp: bigint;
  market: MarketState;
  /** Market accrued to `timestamp + 1` (the next block). */
  accrued: MarketState;
  accrual: AccrualConfig;
  risks: CollateralRisk[];
  collateralTokens: string[];
  closeFactorHfThreshold: bigint;
  minLeftover: bigint;
  protocolBonusShare: bigint;
  paused: number;
  loanToken: string;
  loanPrice: bigint | null;
  collateralPrices: (bigint | null)[];
  priceErrors: string[];
  fund: string;
  fundMaxDraw: bigint | null;
}

/** One position's health at a view. */
export interface PositionHealth {
  borrower: string;
  debt: bigint;
  hf: bigint;
  /** Shortfall estimate (0 if a full liquidation covers the debt). */
  shortfall: bigint;
  flagged: bigint;
  /** Price error that prevents valuing it, if any. */
  invalid?: string;
}

export interface LiquidationPlan {
  borrower: string;
  index: number;
  repayAssets: bigint;
  hf: bigint;
  preview: LiquidationOk;
  /** Estimated profit after swap fee and gas (USD WAD; may be negative). */
  profitUsd: bigint;
}

export interface TickResult {
  view: MarketView;
  health: PositionHealth[];
  flagged: string[];
  cleared: string[];
  liquidations: LiquidationPlan[];
  /** `code` is a short, bounded category (unprofitable, dust, price-invalid, no-quote, gas-price-cap, ...). */
  skipped: { borrower: string; reason: string; code: string }[];
  /** Transactions sent (empty in dry-run). */
  sent: { kind: "flag" | "clear" | "liquidate"; borrower: string; hash: string }[];
  failed: { kind: string; borrower: string; reason: string }[];
}
