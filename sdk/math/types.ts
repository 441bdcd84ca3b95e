/** The shapes the math reads: market totals, configs, positions, prices, fund state. */

/** The kinked rate model (annual WAD rates). */
export interface RateModel {
  baseRate: bigint;
  slope1: bigint;
  slope2: bigint;
  targetUtilization: bigint;
}

/** Market totals as `core.market(id)` returns them (typechain output objects fit this shape). */
export interface MarketState {
  totalSupplyAssets: bigint;
  totalSupplyShares: bigint;
  totalBorrowAssets: bigint;
  totalBorrowShares: bigint;
  reserves: bigint;
  premiumOwed: bigint;
  pendingShortfall: bigint;
  lastUpdate: bigint;
  liquidationGraceUntil: bigint;
  /** How many positions carry a flag (one waterfall event each); absent in older reads: 0. */
  flaggedPositions?: bigint;
}

/** The parts of `core.config(id)` the accrual needs. `insuranceFund` zero or absent: no premium is cut. */
export interface AccrualConfig {
  reserveFactor: bigint;
  insurancePremiumFactor: bigint;
  rateModel: RateModel;
  insuranceFund?: string | null;
}

/** Risk parameters of one collateral (`core.collateral(id, i)` fits this shape). */
export interface CollateralRisk {
  ltv: bigint;
  liquidationThreshold: bigint;
  liquidationBonus: bigint;
}

/** A position's borrow side: debt shares and collateral balances by index (`core.position` fits). */
export interface PositionState {
  borrowShares: bigint;
  collateral: readonly bigint[];
  /** The position's flagged shortfall (0 if not flagged). */
  shortfall?: bigint;
}

/** Prices in adapter scale: the loan asset's and each collateral's (only held collaterals are read). */
export interface Prices {
  loan: bigint;
  collaterals: readonly bigint[];
}

/** The insurance fund's inputs to its caps (InsuranceFund). */
export interface FundState {
  /** The fund's token balance of the loan asset. */
  balance: bigint;
  /** What it has drawn in the current rolling window (`drawnInWindow()`). */
  drawnInWindow: bigint;
  /** Per-event cap (WAD share of gross assets). */
  maxDrawPerEvent: bigint;
  /** Rolling-window cap (WAD share). */
  windowShare: bigint;
}
