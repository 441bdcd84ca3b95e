import type { MarketState } from "../../sdk/math";
/** The lens's views as viem returns them (struct outputs are objects keyed by field name). */
export interface OracleView {
  adapter: `0x${string}`;
  valid: boolean;
  price: bigint;
  error: `0x${string}`;
}

export interface MarketCollateralView {
  index: bigint;
  token: `0x${string}`;
  ltv: bigint;
  liquidationThreshold: bigint;
  liquidationBonus: bigint;
  supplyCap: bigint;
  totalSupplied: bigint;
  protocolBalance: bigint;
  oracle: OracleView;
}

export interface MarketView {
  id: bigint;
  loanToken: `0x${string}`;
  insuranceFund: `0x${string}`;
  totalSupplyAssets: bigint;
  totalSupplyShares: bigint;
  totalBorrowAssets: bigint;
  totalBorrowShares: bigint;
  reserves: bigint;
  premiumOwed: bigint;
  pendingShortfall: bigint;
  uncoveredShortfall: bigint;
  cash: bigint;
  utilization: bigint;
  borrowRate: bigint;
  supplyRate: bigint;
  supplySharePrice: bigint;
  supplyCap: bigint;
  borrowCap: bigint;
  minBorrow: bigint;
  minLeftover: bigint;
  reserveFactor: bigint;
  insurancePremiumFactor: bigint;
  closeFactorHfThreshold: bigint;
  protocolBonusShare: bigint;
  liquidationGraceUntil: bigint;
  paused: {
    flags: number;
    supply: boolean;
    withdraw: boolean;
    borrow: boolean;
    collateralIn: boolean;
    collateralOut: boolean;
  };
  loanOracle: OracleView;
  collaterals: readonly MarketCollateralView[];
}

export interface PositionCollateralView {
  index: bigint;
  token: `0x${string}`;
  amount: bigint;
  priceValid: boolean;
  price: bigint;
  value: bigint;
  liquidationPrice: bigint;
}

export interface PositionView {
  supplyShares: bigint;
  supplyAssets: bigint;
  borrowShares: bigint;
  debt: bigint;
  flaggedShortfall: bigint;
  pricesValid: boolean;
  loanPrice: bigint;
  debtValue: bigint;
  collateralValue: bigint;
  borrowPower: bigint;
  liquidationValue: bigint;
  healthFactor: bigint;
  borrowPowerLeft: bigint;
  shortfallEstimate: bigint;
  collaterals: readonly PositionCollateralView[];
}

export interface SolvencyView {
  totalSupplyAssets: bigint;
  totalDebt: bigint;
  cash: bigint;
  reserves: bigint;
  insuranceFundAssets: bigint;
  coverageRatio: bigint;
  pendingShortfall: bigint;
  uncoveredShortfall: bigint;
  insuranceDrawnInWindow: bigint;
  insuranceWindowCapLeft: bigint;
}

/** The accrued market totals (`lens.accruedMarket`): the SDK's MarketState, one definition. */
export type AccruedMarket = MarketState;
