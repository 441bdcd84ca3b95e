/** Constants of the protocol's math (ConstantsLib, SharesMathLib, InterestLib). */

/** 1e18: the fixed-point unit of ratios and rates. */
export const WAD = 10n ** 18n;
/** 1e27: the unit of per-second compounding. */
export const RAY = 10n ** 27n;
/** value (USD, 18 decimals) = amount x price / PRICE_SCALE. */
export const PRICE_SCALE = 10n ** 18n;
/** Virtual shares added to every share total (SharesMathLib). */
export const VIRTUAL_SHARES = 10n ** 6n;
/** Virtual assets added to every asset total (SharesMathLib). */
export const VIRTUAL_ASSETS = 1n;
/** Seconds in the rate model's year (InterestLib). */
export const SECONDS_PER_YEAR = 365n * 24n * 3600n;
/** The most one accrual multiplies debt by, in RAY (1e9-fold): compounding saturates there (InterestLib). */
export const MAX_GROWTH_FACTOR = 10n ** 9n * RAY;
/** type(uint96).max: no market asset total ever exceeds it; interest that would is capped (InterestLib.MAX_TOTAL). */
export const MAX_TOTAL = (1n << 96n) - 1n;
/** The most supplies may bring a market's supplied assets to, whatever its cap (InterestLib.MAX_SUPPLY_ASSETS). */
export const MAX_SUPPLY_ASSETS = MAX_TOTAL / 4n;
/** type(uint104).max: the most a market's reserves or premium owed reach (ConstantsLib.MAX_CUT). */
export const MAX_CUT = (1n << 104n) - 1n;
/** Close factor while the health factor is at or above the market's threshold: 50%. */
export const CLOSE_FACTOR = WAD / 2n;
/** type(uint256).max: the health factor of a position without debt. */
export const MAX_UINT256 = (1n << 256n) - 1n;
/** Shares quoted by the supply share price (1e6 shares per asset at par, scaled by WAD): par = 1e18. */
export const SHARE_PRICE_SHARES = 10n ** 24n;
/** Default close-factor health-factor threshold (0.95), as set at market creation. */
export const DEFAULT_CLOSE_FACTOR_HF_THRESHOLD = (WAD * 95n) / 100n;

/** Pause flags of `MarketConfig.paused` (ConstantsLib). Repay can never be paused. */
export const PAUSE = {
  SUPPLY: 1,
  WITHDRAW: 2,
  BORROW: 4,
  REPAY: 8,
  COLLATERAL_IN: 16,
  COLLATERAL_OUT: 32,
  LIQUIDATE: 64,
} as const;
