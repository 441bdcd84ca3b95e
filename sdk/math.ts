/**
 * Pure bigint mirrors of Ballast's on-chain math, with the same names and the same rounding at every step as the
 * Solidity libraries (MathLib, SharesMathLib, InterestLib, PositionLib, LiquidationLogic) and BallastCore's
 * `_accrue`. Every function here returns exactly, to the wei, what the contracts compute from the same inputs.
 *
 * Conventions: amounts are token base units; ratios and annual rates are WAD (1e18 = 100%); prices use the
 * adapters' scale, USD per base unit x 1e36, so a value in USD with 18 decimals is `amount * price / 1e18`.
 * All functions throw a `RangeError` where the EVM would revert on arithmetic (division by zero, underflow).
 */

// ===================================================================================================== constants

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
/** type(uint128).max: no market total ever exceeds it; interest that would is capped (InterestLib.MAX_TOTAL). */
export const MAX_TOTAL = (1n << 128n) - 1n;
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

// ===================================================================================================== types

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

// ===================================================================================================== MathLib

function requireUint(x: bigint, what: string): void {
  if (x < 0n) throw new RangeError(`${what} underflow (${x})`);
}

function requireNonZero(d: bigint): void {
  if (d === 0n) throw new RangeError("division by zero");
}

/** floor(x * y / d) (MathLib.mulDivDown). */
export function mulDivDown(x: bigint, y: bigint, d: bigint): bigint {
  requireNonZero(d);
  return (x * y) / d;
}

/** ceil(x * y / d) (MathLib.mulDivUp). */
export function mulDivUp(x: bigint, y: bigint, d: bigint): bigint {
  requireNonZero(d);
  return (x * y + (d - 1n)) / d;
}

/** floor(x * y / WAD). */
export function wMulDown(x: bigint, y: bigint): bigint {
  return (x * y) / WAD;
}

/** ceil(x * y / WAD). */
export function wMulUp(x: bigint, y: bigint): bigint {
  return (x * y + (WAD - 1n)) / WAD;
}

/** floor(x * WAD / y). */
export function wDivDown(x: bigint, y: bigint): bigint {
  requireNonZero(y);
  return (x * WAD) / y;
}

/** ceil(x * WAD / y). */
export function wDivUp(x: bigint, y: bigint): bigint {
  requireNonZero(y);
  return (x * WAD + (y - 1n)) / y;
}

/** max(x - y, 0). */
export function zeroFloorSub(x: bigint, y: bigint): bigint {
  return x > y ? x - y : 0n;
}

/** min(x, y). */
export function min(x: bigint, y: bigint): bigint {
  return x < y ? x : y;
}

/** max(x, y). */
export function max(x: bigint, y: bigint): bigint {
  return x > y ? x : y;
}

/** (1 + ratePerSecondRay)^n in RAY, never below the exact power: the three-term Taylor expansion (terms rounded up)
 * when y = n x <= 1 and n y^2 <= 4, else `rpowUp` (MathLib.compoundUp). */
export function compoundUp(ratePerSecondRay: bigint, n: bigint, maxFactor: bigint = MAX_GROWTH_FACTOR): bigint {
  const y = ratePerSecondRay * n;
  if (y <= RAY && n * y * y <= 4n * RAY * RAY) {
    const second = (y * y + (2n * RAY - 1n)) / (2n * RAY);
    const third = (second * y + (3n * RAY - 1n)) / (3n * RAY);
    return RAY + y + second + third;
  }
  return rpowUp(ratePerSecondRay, n, maxFactor);
}

/** (1 + ratePerSecondRay)^n in RAY, each product rounded up, saturating at `maxFactor` (MathLib.rpowUp). */
export function rpowUp(ratePerSecondRay: bigint, n: bigint, maxFactor: bigint = MAX_GROWTH_FACTOR): bigint {
  let x = RAY + ratePerSecondRay;
  let z = RAY;
  let k = n;
  while (k !== 0n) {
    if (x >= maxFactor) return maxFactor;
    if ((k & 1n) !== 0n) {
      z = (z * x + (RAY - 1n)) / RAY;
      if (z >= maxFactor) return maxFactor;
    }
    k >>= 1n;
    if (k !== 0n) x = (x * x + (RAY - 1n)) / RAY;
  }
  return z;
}

// ===================================================================================================== SharesMathLib

/** Shares for `assets`, rounded down (supply mints, repay burns). */
export function toSharesDown(assets: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDivDown(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
}

/** Shares for `assets`, rounded up (withdraw burns, borrow mints). */
export function toSharesUp(assets: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDivUp(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
}

/** Assets for `shares`, rounded down (withdraw pays, borrow by shares pays). */
export function toAssetsDown(shares: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDivDown(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
}

/** Assets for `shares`, rounded up (debt owed, supply and repay by shares). */
export function toAssetsUp(shares: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDivUp(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
}

// ===================================================================================================== InterestLib

/** Utilization = borrowed / supplied (WAD), rounded down, capped at 100%; 0 with nothing supplied. */
export function utilization(totalBorrow: bigint, totalSupply: bigint): bigint {
  if (totalSupply === 0n) return 0n;
  const u = wDivDown(totalBorrow, totalSupply);
  return u > WAD ? WAD : u;
}

/** Annual borrow rate (WAD) of the kinked model at utilization `u`, rounded down. */
export function borrowRate(m: RateModel, u: bigint): bigint {
  if (u <= m.targetUtilization) return m.baseRate + mulDivDown(m.slope1, u, m.targetUtilization);
  return m.baseRate + m.slope1 + mulDivDown(m.slope2, u - m.targetUtilization, WAD - m.targetUtilization);
}

function exactInterestRay(totalBorrow: bigint, annualRate: bigint, elapsed: bigint): bigint {
  const perSecondRay = (annualRate * 10n ** 9n) / SECONDS_PER_YEAR;
  return totalBorrow * (compoundUp(perSecondRay, elapsed) - RAY);
}

/** Interest on `totalBorrow` over `elapsed` seconds at `annualRate`, compounded per second (saturating at
 * MAX_GROWTH_FACTOR), rounded down to whole units (InterestLib.compoundedInterest). */
export function compoundedInterest(totalBorrow: bigint, annualRate: bigint, elapsed: bigint): bigint {
  return exactInterestRay(totalBorrow, annualRate, elapsed) / RAY;
}

/** InterestLib.accrual: the interest one accrual books (rounded down, capped at `headroom`) and the seconds it
 * leaves unpaid (all of them when it rounds to zero, none when capped). */
export function interestAccrual(
  totalBorrow: bigint,
  annualRate: bigint,
  elapsed: bigint,
  headroom: bigint,
): { interest: bigint; unpaidSeconds: bigint } {
  const exact = exactInterestRay(totalBorrow, annualRate, elapsed);
  const interest = exact / RAY;
  if (interest >= headroom) return { interest: headroom, unpaidSeconds: 0n };
  return { interest, unpaidSeconds: exact === 0n ? elapsed : (elapsed * (exact % RAY)) / exact };
}

/** Annual supply rate (WAD): borrowRate x utilization x (1 - reserve factor - premium factor if a fund is set),
 * each product rounded down (the lens's figure; a simple, not compounded, rate). */
export function supplyRate(rate: bigint, u: bigint, config: AccrualConfig): bigint {
  let cut = config.reserveFactor;
  if (hasFund(config)) cut += config.insurancePremiumFactor;
  return wMulDown(wMulDown(rate, u), WAD - cut);
}

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

function hasFund(config: AccrualConfig): boolean {
  return config.insuranceFund != null && config.insuranceFund !== "" && config.insuranceFund !== ZERO_ADDRESS;
}

/** The split of one accrual, as the core's `AccrueInterest` event reports it. */
export interface Accrual {
  /** The market after the accrual. */
  market: MarketState;
  /** The annual borrow rate used (at the utilization before the accrual). */
  rate: bigint;
  interest: bigint;
  toReserves: bigint;
  toInsurance: bigint;
}

/**
 * The core's `_accrue` with its split (see {@link accrueMarket}). `carry` (default true) models `accrueInterest`
 * and the lens: the seconds the booked units leave unpaid stay owed (lastUpdate = timestamp - unpaid, unchanged
 * while the interest rounds to zero). `carry: false` models every other action, which settles (lastUpdate =
 * timestamp); the booked totals are the same either way.
 */
export function accrueMarketDetailed(
  market: MarketState,
  config: AccrualConfig,
  timestamp: bigint,
  carry = true,
): Accrual {
  const m: MarketState = copyMarket(market);
  const none = { market: m, rate: 0n, interest: 0n, toReserves: 0n, toInsurance: 0n };
  const elapsed = timestamp - m.lastUpdate;
  requireUint(elapsed, "timestamp - lastUpdate");
  if (elapsed === 0n) return none;
  const borrowed = m.totalBorrowAssets;
  if (borrowed === 0n || m.totalBorrowShares === 0n) {
    m.lastUpdate = timestamp; // no borrower left: nothing accrues
    return none;
  }
  const rate = borrowRate(config.rateModel, utilization(borrowed, m.totalSupplyAssets));
  const top = m.totalSupplyAssets + m.reserves + m.premiumOwed;
  const acc = interestAccrual(borrowed, rate, elapsed, zeroFloorSub(MAX_TOTAL, max(top, borrowed)));
  const unpaid = carry ? acc.unpaidSeconds : 0n;
  if (unpaid === elapsed) return { ...none, rate };
  m.lastUpdate = timestamp - unpaid;
  const interest = acc.interest;
  if (interest === 0n) return { ...none, rate };
  // The cuts saturate at their uint104 storage fields (ConstantsLib.MAX_CUT); suppliers get the rest.
  const toReserves = min(wMulDown(interest, config.reserveFactor), MAX_CUT - m.reserves);
  const toInsurance = hasFund(config)
    ? min(wMulDown(interest, config.insurancePremiumFactor), MAX_CUT - m.premiumOwed)
    : 0n;
  m.totalBorrowAssets = borrowed + interest;
  m.totalSupplyAssets += interest - toReserves - toInsurance;
  m.reserves += toReserves;
  m.premiumOwed += toInsurance;
  return { market: m, rate, interest, toReserves, toInsurance };
}

/**
 * The market state after the core's `accrueInterest` at `timestamp` (see {@link accrueMarketDetailed}): interest
 * compounds per second at the rate of the utilization before accrual, is rounded down to whole units and capped so
 * no total passes 2^128 - 1; the reserve cut and the premium cut (only with a fund) are rounded down; suppliers get
 * the exact rest. Returns a new object; the input is not modified.
 */
export function accrueMarket(market: MarketState, config: AccrualConfig, timestamp: bigint, carry = true): MarketState {
  return accrueMarketDetailed(market, config, timestamp, carry).market;
}

/** A copy of the market totals as a plain object (also converts an ethers Result). */
export function copyMarket(m: MarketState): MarketState {
  return {
    totalSupplyAssets: m.totalSupplyAssets,
    totalSupplyShares: m.totalSupplyShares,
    totalBorrowAssets: m.totalBorrowAssets,
    totalBorrowShares: m.totalBorrowShares,
    reserves: m.reserves,
    premiumOwed: m.premiumOwed,
    pendingShortfall: m.pendingShortfall,
    lastUpdate: m.lastUpdate,
    liquidationGraceUntil: m.liquidationGraceUntil,
    flaggedPositions: m.flaggedPositions ?? 0n,
  };
}

/** Cash held for a market: supplied + reserves + premium owed - borrowed (the core's identity), floored at 0. */
export function cash(m: MarketState): bigint {
  return zeroFloorSub(m.totalSupplyAssets + m.reserves + m.premiumOwed, m.totalBorrowAssets);
}

// ===================================================================================================== insurance & shortfall

/** The fund's caps now (InsuranceFund): gross assets, rolling-window cap left and `maxDraw()`. */
export interface FundLimits {
  grossAssets: bigint;
  windowCapLeft: bigint;
  maxDraw: bigint;
}

/**
 * Mirrors InsuranceFund.grossAssets / windowCapLeft / maxDraw given the fund's balance and the premium the core
 * owes it (use the accrued `premiumOwed` for figures "as of now").
 */
export function fundLimits(fund: FundState, premiumOwed: bigint): FundLimits {
  const grossAssets = fund.balance + premiumOwed;
  const cap = wMulDown(grossAssets + fund.drawnInWindow, fund.windowShare);
  const windowCapLeft = zeroFloorSub(cap, fund.drawnInWindow);
  const maxDraw = min(wMulDown(grossAssets, fund.maxDrawPerEvent), windowCapLeft);
  return { grossAssets, windowCapLeft, maxDraw };
}

/**
 * InsuranceFund.drawBounds (DrawBoundsLib): the least and the most the fund pays for the market's pending shortfall
 * after reserves. least = min(owed, maxDraw); most = min(owed, gross, flaggedPositions x perEvent x gross (up) +
 * premium owed beyond the market's cash).
 */
export function drawBounds(m: MarketState, fund: FundLimits, maxDrawPerEvent: bigint): { least: bigint; most: bigint } {
  const owed = zeroFloorSub(m.pendingShortfall, m.reserves);
  if (owed === 0n) return { least: 0n, most: 0n };
  const count = m.flaggedPositions ?? 0n;
  const events = count === 0n ? 1n : count;
  const unbacked = zeroFloorSub(m.premiumOwed, cash(m));
  const most = min(min(owed, fund.grossAssets), mulDivUp(fund.grossAssets, maxDrawPerEvent * events, WAD) + unbacked);
  return { least: min(owed, fund.maxDraw), most };
}

/** InsuranceFund.expectedDraw: the most the pending shortfall can draw (stakers' exits are priced with it). */
export function expectedDraw(m: MarketState, fund: FundLimits, maxDrawPerEvent: bigint): bigint {
  return drawBounds(m, fund, maxDrawPerEvent).most;
}

/**
 * The pending shortfall not expected to be covered: max(0, pendingShortfall - reserves - fund draw). Pass
 * the fund's `maxDraw` (or `drawBounds().least`) for the figure exits are priced with (the core's
 * `uncoveredShortfall`), `drawBounds().most` for the one entries (supply) are priced with, 0 without a fund.
 */
export function uncoveredShortfall(m: MarketState, fundMaxDraw: bigint): bigint {
  if (m.pendingShortfall === 0n) return 0n;
  return zeroFloorSub(zeroFloorSub(m.pendingShortfall, m.reserves), fundMaxDraw);
}

/** Supply-side totals used by every share conversion: assets net of the uncovered shortfall, and shares. */
export function supplyPricing(m: MarketState, uncovered: bigint): { totalAssets: bigint; totalShares: bigint } {
  const totalAssets = m.pendingShortfall !== 0n ? zeroFloorSub(m.totalSupplyAssets, uncovered) : m.totalSupplyAssets;
  return { totalAssets, totalShares: m.totalSupplyShares };
}

/** The supply share price as the lens quotes it: assets (WAD) for 1e6 shares, net of the uncovered shortfall,
 * rounded down (1e18 = par). */
export function supplySharePrice(m: MarketState, uncovered: bigint): bigint {
  const p = supplyPricing(m, uncovered);
  return toAssetsDown(SHARE_PRICE_SHARES, p.totalAssets, p.totalShares);
}

/** What `supply(assets)` mints (shares rounded down; 0 means the core reverts ZeroShares). */
export function previewSupply(m: MarketState, uncovered: bigint, assets: bigint): bigint {
  const p = supplyPricing(m, uncovered);
  return toSharesDown(assets, p.totalAssets, p.totalShares);
}

/** What `supply(0, shares)` costs (assets rounded up). */
export function previewMint(m: MarketState, uncovered: bigint, shares: bigint): bigint {
  const p = supplyPricing(m, uncovered);
  return toAssetsUp(shares, p.totalAssets, p.totalShares);
}

/** What `withdraw(assets)` burns (shares rounded up). */
export function previewWithdraw(m: MarketState, uncovered: bigint, assets: bigint): bigint {
  const p = supplyPricing(m, uncovered);
  return toSharesUp(assets, p.totalAssets, p.totalShares);
}

/** What `withdraw(0, shares)` pays (assets rounded down). */
export function previewRedeem(m: MarketState, uncovered: bigint, shares: bigint): bigint {
  const p = supplyPricing(m, uncovered);
  return toAssetsDown(shares, p.totalAssets, p.totalShares);
}

/** What `borrow(assets)` adds as debt shares (rounded up). */
export function previewBorrow(m: MarketState, assets: bigint): bigint {
  return toSharesUp(assets, m.totalBorrowAssets, m.totalBorrowShares);
}

/** What `repay(assets)` burns (shares rounded down; 0 means the core reverts ZeroShares). */
export function previewRepay(m: MarketState, assets: bigint): bigint {
  return toSharesDown(assets, m.totalBorrowAssets, m.totalBorrowShares);
}

/** A position's debt in loan assets, rounded up. */
export function debtOf(m: MarketState, borrowShares: bigint): bigint {
  return toAssetsUp(borrowShares, m.totalBorrowAssets, m.totalBorrowShares);
}

// ===================================================================================================== PositionLib

/** What a position is worth at given prices, with the core's roundings (PositionLib.valuation). */
export interface Valuation {
  /** Debt in loan assets, rounded up. */
  debt: bigint;
  /** Debt value in USD (18 dec), rounded up. */
  debtValue: bigint;
  /** Each collateral's value in USD, rounded down (0 if not held). */
  values: bigint[];
  /** Sum of the values. */
  collateralValue: bigint;
  /** Sum of value x LTV, each rounded down. */
  borrowPower: bigint;
  /** Sum of value x liquidation threshold, each rounded down. */
  liquidationValue: bigint;
  /** Sum of value / (1 + bonus), each rounded down, in USD (informative; the core's estimate uses `recoverable`). */
  recoveryValue: bigint;
  /**
   * What full liquidations of every held collateral would repay, in loan assets: for each, {@link repaidForAll}
   * (the whole balance's cost, rounded up once), exactly as a liquidation charges for a whole balance
   * (PositionLib.shortfall).
   */
  recoverable: bigint;
}

/**
 * Values a position at `prices` on the (accrued) market `m`, as PositionLib does: only held collaterals are
 * priced; `risks[i]` and `prices.collaterals[i]` are needed for each held index.
 */
export function valuation(
  m: MarketState,
  pos: PositionState,
  risks: readonly CollateralRisk[],
  prices: Prices,
): Valuation {
  const debt = debtOf(m, pos.borrowShares);
  const debtValue = mulDivUp(debt, prices.loan, PRICE_SCALE);
  const v: Valuation = {
    debt,
    debtValue,
    values: [],
    collateralValue: 0n,
    borrowPower: 0n,
    liquidationValue: 0n,
    recoveryValue: 0n,
    recoverable: 0n,
  };
  pos.collateral.forEach((amount, i) => {
    if (amount === 0n) {
      v.values.push(0n);
      return;
    }
    const risk = at(risks, i, "risks");
    const price = at(prices.collaterals, i, "prices.collaterals");
    const value = mulDivDown(amount, price, PRICE_SCALE);
    v.values.push(value);
    v.collateralValue += value;
    v.borrowPower += wMulDown(value, risk.ltv);
    v.liquidationValue += wMulDown(value, risk.liquidationThreshold);
    v.recoveryValue += wDivDown(value, WAD + risk.liquidationBonus);
    v.recoverable += repaidForAll(amount, price, prices.loan, risk.liquidationBonus);
  });
  return v;
}

function at<T>(xs: readonly T[], i: number, what: string): T {
  const x = xs[i];
  if (x === undefined) throw new RangeError(`${what}[${i}] missing`);
  return x;
}

/** Health factor (WAD): liquidation-threshold-weighted value / debt value, rounded down; MAX_UINT256 without
 * debt. Below 1e18 the position is liquidatable (exactly the core's test `weighted < debtValue`). */
export function healthFactor(v: Valuation): bigint {
  if (v.debt === 0n) return MAX_UINT256;
  return wDivDown(v.liquidationValue, v.debtValue);
}

/**
 * The most `borrow(assets)` would accept by the LTV check now (the lens's `borrowPowerLeft`): the new debt, with
 * shares minted up and debt rounded up on the new totals, must be worth at most the borrow power. Liquidity,
 * caps and the minimum borrow are not applied.
 */
export function maxBorrow(m: MarketState, pos: PositionState, v: Valuation, loanPrice: bigint): bigint {
  const maxDebt = mulDivDown(v.borrowPower, PRICE_SCALE, loanPrice);
  if (maxDebt <= v.debt) return 0n;
  const over = (x: bigint): bigint => {
    const s = toSharesUp(x, m.totalBorrowAssets, m.totalBorrowShares);
    return zeroFloorSub(toAssetsUp(pos.borrowShares + s, m.totalBorrowAssets + x, m.totalBorrowShares + s), maxDebt);
  };
  let x = maxDebt - v.debt;
  for (let k = 0; k < 16; k++) {
    const o = over(x);
    if (o === 0n) return x;
    x -= min(o, x);
  }
  // After extreme debt-share growth the steps may not converge: binary search (0 is always accepted).
  let lo = 0n;
  while (lo < x) {
    const mid = lo + (x - lo + 1n) / 2n;
    if (over(mid) === 0n) lo = mid;
    else x = mid - 1n;
  }
  return lo;
}

/**
 * Whether `supplyCollateral(index)` reads that collateral's price (and reverts with the adapter's error while it is
 * invalid): only when the position has debt and does not hold that collateral yet. Adding more of a held collateral,
 * or anything to a position without debt, never needs a price.
 */
export function supplyCollateralNeedsPrice(pos: PositionState, index: number): boolean {
  return pos.borrowShares !== 0n && (pos.collateral[index] ?? 0n) === 0n;
}

/**
 * Liquidation price of each collateral (adapter scale): the lowest price at which the position is still healthy
 * (HF >= 1) holding the other prices constant; any lower price makes it liquidatable. 0 where the collateral is
 * not held, without debt, or when the other collaterals alone keep HF >= 1.
 */
export function liquidationPrices(v: Valuation, pos: PositionState, risks: readonly CollateralRisk[]): bigint[] {
  return pos.collateral.map((amount, i) => {
    if (amount === 0n || v.debt === 0n) return 0n;
    const risk = at(risks, i, "risks");
    const weighted = wMulDown(at(v.values, i, "values"), risk.liquidationThreshold);
    const others = v.liquidationValue - weighted;
    if (others >= v.debtValue) return 0n;
    const valueNeeded = wDivUp(v.debtValue - others, risk.liquidationThreshold);
    return mulDivUp(valueNeeded, PRICE_SCALE, amount);
  });
}

/**
 * Shortfall estimate (PositionLib.shortfall): debt - recoverable, floored at 0, where recoverable is what full
 * liquidations of every collateral would repay (see {@link Valuation.recoverable}), so a flag predicts the realized
 * bad debt to the unit at unchanged prices.
 * @param v The valuation (at the same prices).
 * @param _loanPrice Unused (kept for a stable signature: `recoverable` already used the loan price).
 */
export function shortfallEstimate(v: Valuation, _loanPrice?: bigint): { estimate: bigint; recoverable: bigint } {
  return { estimate: zeroFloorSub(v.debt, v.recoverable), recoverable: v.recoverable };
}

// ===================================================================================================== liquidation

/** Collateral seized for `repaid` (PositionLib.seizedFor): repaid x loanPrice x (1 + bonus) / colPrice, in one
 * exact step rounded down once. */
export function seizedFor(repaid: bigint, loanPrice: bigint, colPrice: bigint, bonus: bigint): bigint {
  return mulDivDown(repaid, loanPrice * (WAD + bonus), colPrice * WAD);
}

/** What a whole balance costs the liquidator (PositionLib.repaidForAll): amount x colPrice / (loanPrice x
 * (1 + bonus)), in one exact step rounded up once. */
export function repaidForAll(amount: bigint, colPrice: bigint, loanPrice: bigint, bonus: bigint): bigint {
  return mulDivUp(amount, colPrice * WAD, loanPrice * (WAD + bonus));
}

/** Inputs of {@link liquidationAmounts}. */
export interface LiquidationInput {
  /** The market totals, accrued to the liquidation's timestamp (use {@link accrueMarket}). */
  market: MarketState;
  position: PositionState;
  /** Risk parameters of every collateral of the market, by index. */
  risks: readonly CollateralRisk[];
  prices: Prices;
  /** The collateral to seize. */
  index: number;
  /** The liquidator's upper bound (MAX_UINT256 for "as much as allowed"). */
  repayAssets: bigint;
  closeFactorHfThreshold: bigint;
  minLeftover: bigint;
  protocolBonusShare: bigint;
  /** The fund's `maxDraw()` at the liquidation (with the accrued premium), or null without a fund. */
  fundMaxDraw: bigint | null;
  /** The fund's state, if known: then its cap is recomputed after any premium write-off (exact in every case;
   * `fundMaxDraw` alone is exact only when no premium is written off). */
  fund?: FundState;
  /** Market id, only used in predicted error arguments (default 0). */
  id?: bigint;
  /** Optional checks done by the core before the liquidation logic. */
  paused?: number;
  liquidationGraceUntil?: bigint;
  timestamp?: bigint;
}

/** The waterfall split of the bad debt a liquidation realizes. */
export interface BadDebtSplit {
  amount: bigint;
  fromReserves: bigint;
  fromInsurance: bigint;
  /** The part of `fromInsurance` netted against premium the core owed the fund (no tokens move). */
  fromPremium: bigint;
  /** The part of `fromInsurance` that was premium owed beyond the market's cash, written off first (never drawn,
   * outside the fund's caps). What the fund's `draw` records is fromInsurance - writtenOff. */
  writtenOff: bigint;
  socialized: bigint;
}

/** A predicted successful liquidation. */
export interface LiquidationOk {
  ok: true;
  /** Loan assets the liquidator pays. */
  repaid: bigint;
  /** Debt shares burned. */
  repaidShares: bigint;
  /** Collateral taken from the position (protocol share included). */
  seized: bigint;
  /** The protocol's share of the bonus (kept in the core). */
  protocolSeized: bigint;
  /** Collateral sent to the receiver: seized - protocolSeized. */
  seizedToReceiver: bigint;
  /** Debt left on the position before any bad-debt write-off. */
  debtLeft: bigint;
  /** Whether the close factor was 100% (HF below the threshold, or the 50% would leave dust). */
  fullCloseFactor: boolean;
  /** The maximum repay the close factor allowed. */
  maxRepay: bigint;
  /** Bad debt realized in the same call, or null. */
  badDebt: BadDebtSplit | null;
  /** The market after the liquidation. */
  marketAfter: MarketState;
  /** The position after the liquidation. */
  positionAfter: { borrowShares: bigint; collateral: bigint[]; shortfall: bigint };
}

/** A predicted revert: the core's custom error name and its arguments. */
export interface LiquidationRevert {
  ok: false;
  error: { name: string; args: bigint[] };
}

/** Result of {@link liquidationAmounts}. */
export type LiquidationPreview = LiquidationOk | LiquidationRevert;

function fail(name: string, ...args: bigint[]): LiquidationRevert {
  return { ok: false, error: { name, args } };
}

/**
 * Predicts `liquidate(id, borrower, index, repayAssets, ...)` exactly as BallastCore + LiquidationLogic execute it:
 * the close factor (50% of the debt rounded down while HF >= threshold, else 100%; 100% also when 50% would leave
 * less than minLeftover), the clamp of the request, seized = {@link seizedFor} (rounded down once) capped at the
 * balance (repaid then {@link repaidForAll}, rounded up once), the dust rules of a partial seizure that leaves debt
 * (DebtDustLeft, then CollateralDustLeft; a whole balance may always be taken), debt shares burned, the protocol's
 * bonus share (rounded up), and the bad-debt waterfall when no
 * collateral is left: reserves, then the fund up to `fundMaxDraw` (premium owed netted first), then socialized.
 * Returns `{ ok: false, error }` with the custom error the core would revert with (the borrower's address argument is omitted).
 */
export function liquidationAmounts(input: LiquidationInput): LiquidationPreview {
  const { market, position: pos, risks, prices, index } = input;
  const n = risks.length;
  const id = input.id ?? 0n;
  if (input.repayAssets === 0n) return fail("ZeroAmount");
  if (input.paused !== undefined && (input.paused & PAUSE.LIQUIDATE) !== 0) {
    return fail("ActionPaused", id, BigInt(PAUSE.LIQUIDATE));
  }
  if (index < 0 || index >= n) return fail("InvalidCollateralIndex", id, BigInt(index));
  if (
    input.timestamp !== undefined &&
    input.liquidationGraceUntil !== undefined &&
    input.timestamp < input.liquidationGraceUntil
  ) {
    return fail("LiquidationGracePeriod", id, input.liquidationGraceUntil);
  }
  if (pos.borrowShares === 0n) return fail("NoDebt", id);
  const colBal = pos.collateral[index] ?? 0n;
  if (colBal === 0n) return fail("InsufficientBalance", 0n, 1n);

  const v = valuation(market, pos, risks, prices);
  if (v.liquidationValue >= v.debtValue) return fail("HealthyPosition", id);
  const debtAssets = v.debt;
  const loanPrice = prices.loan;
  const colPrice = at(prices.collaterals, index, "prices.collaterals");
  const deep = v.liquidationValue < wMulDown(input.closeFactorHfThreshold, v.debtValue);
  let maxRepay = deep ? debtAssets : wMulDown(debtAssets, CLOSE_FACTOR);
  const minLeftover = input.minLeftover;
  if (debtAssets - maxRepay < minLeftover) maxRepay = debtAssets;
  const bonus = at(risks, index, "risks").liquidationBonus;

  let repaid = min(input.repayAssets, maxRepay);
  let seized = seizedFor(repaid, loanPrice, colPrice, bonus);
  if (seized >= colBal) {
    seized = colBal;
    repaid = min(repaidForAll(colBal, colPrice, loanPrice, bonus), debtAssets);
  }
  if (repaid === 0n) return fail("ZeroAmount");
  const debtLeft = debtAssets - repaid;
  // Dust rule, only for a partial seizure that leaves debt: a whole balance may always be taken.
  if (debtLeft !== 0n && seized < colBal) {
    if (debtLeft < minLeftover) return fail("DebtDustLeft", debtLeft, minLeftover);
    const leftValue = mulDivDown(colBal - seized, colPrice, loanPrice);
    if (leftValue < minLeftover) return fail("CollateralDustLeft", leftValue, minLeftover);
  }

  const m = copyMarket(market);
  const repaidShares =
    debtLeft === 0n
      ? pos.borrowShares
      : min(toSharesDown(repaid, m.totalBorrowAssets, m.totalBorrowShares), pos.borrowShares);
  let borrowShares = pos.borrowShares - repaidShares;
  m.totalBorrowShares -= repaidShares;
  requireUint(m.totalBorrowShares, "totalBorrowShares");
  m.totalBorrowAssets = zeroFloorSub(m.totalBorrowAssets, repaid);

  let protocolSeized = 0n;
  if (input.protocolBonusShare !== 0n && bonus !== 0n) {
    const bonusPart = seized - wDivUp(seized, WAD + bonus);
    protocolSeized = min(wMulUp(bonusPart, input.protocolBonusShare), bonusPart);
  }
  const collateral = pos.collateral.map((c, i) => (i === index ? c - seized : c));

  let badDebt: BadDebtSplit | null = null;
  let shortfall = pos.shortfall ?? 0n;
  const hasCollateral = collateral.slice(0, n).some((c) => c !== 0n);
  if (borrowShares !== 0n && !hasCollateral) {
    // The flag is replaced by what the liquidation realizes.
    setFlag(m, shortfall, 0n);
    shortfall = 0n;
    badDebt = realizeBadDebt(m, borrowShares, input);
    borrowShares = 0n;
  } else if (shortfall !== 0n) {
    // A flagged position left with debt and collateral keeps its flag at the new estimate, same prices.
    const estimate =
      borrowShares === 0n ? 0n : shortfallEstimate(valuation(m, { borrowShares, collateral }, risks, prices)).estimate;
    setFlag(m, shortfall, estimate);
    shortfall = estimate;
  }

  return {
    ok: true,
    repaid,
    repaidShares,
    seized,
    protocolSeized,
    seizedToReceiver: seized - protocolSeized,
    debtLeft,
    fullCloseFactor: maxRepay === debtAssets,
    maxRepay,
    badDebt,
    marketAfter: m,
    positionAfter: { borrowShares, collateral, shortfall },
  };
}

/** PositionLib.setShortfall on the market totals: the sum of the flags and their count. */
export function setFlag(m: MarketState, old: bigint, amount: bigint): void {
  m.pendingShortfall = m.pendingShortfall - old + amount;
  const count = m.flaggedPositions ?? 0n;
  if (old === 0n && amount !== 0n) m.flaggedPositions = count + 1n;
  else if (old !== 0n && amount === 0n) m.flaggedPositions = count - 1n;
}

/** LiquidationLogic._realizeBadDebt on `m` (mutated) for a position of `shares` debt shares left without
 * collateral: premium owed beyond cash written off first, reserves, the fund within its cap (premium owed netted
 * first; `fund` given: the cap recomputed after the write-off), then socialized (never above the supplied assets). */
export function realizeBadDebt(
  m: MarketState,
  shares: bigint,
  input: { fundMaxDraw: bigint | null; fund?: FundState },
): BadDebtSplit {
  const amount = min(toAssetsUp(shares, m.totalBorrowAssets, m.totalBorrowShares), m.totalBorrowAssets);
  const cashBefore = cash(m);
  m.totalBorrowShares -= shares;
  m.totalBorrowAssets -= amount;
  const writtenOff = min(amount, zeroFloorSub(m.premiumOwed, cashBefore));
  m.premiumOwed -= writtenOff;
  let rest = amount - writtenOff;
  const fromReserves = min(rest, m.reserves);
  m.reserves -= fromReserves;
  rest -= fromReserves;
  let drawn = 0n;
  let fromPremium = 0n;
  if (rest !== 0n && input.fundMaxDraw !== null) {
    const cap = input.fund ? fundLimits(input.fund, m.premiumOwed).maxDraw : input.fundMaxDraw;
    drawn = min(rest, cap);
    fromPremium = min(drawn, m.premiumOwed);
    m.premiumOwed -= fromPremium;
    rest -= drawn;
  }
  m.totalSupplyAssets = zeroFloorSub(m.totalSupplyAssets, rest);
  return { amount, fromReserves, fromInsurance: writtenOff + drawn, fromPremium, writtenOff, socialized: rest };
}

// ============================================================================================ insurance fund rules

/** A staker's cooldown snapshot (`InsuranceFund.cooldowns(staker)`): the shares that may leave, and when it began. */
export interface FundCooldownSnapshot {
  shares: bigint;
  start: bigint;
}

/**
 * Shares a live (not retired) fund lets the snapshot's owner redeem at `now` (InsuranceFund.maxRedeem): the cooled
 * shares while the window [start + cooldownPeriod, start + cooldownPeriod + unstakeWindow] is open, else 0. Shares
 * received after the cooldown never count.
 */
export function fundRedeemable(
  snapshot: FundCooldownSnapshot,
  now: bigint,
  cooldownPeriod: bigint,
  unstakeWindow: bigint,
): bigint {
  if (snapshot.shares === 0n) return 0n;
  const opensAt = snapshot.start + cooldownPeriod;
  return now >= opensAt && now <= opensAt + unstakeWindow ? snapshot.shares : 0n;
}

/**
 * Whether paying `assets` out of a live fund keeps what it pays the market's pending shortfall (InsuranceFund's
 * `ExitLowersCover` check): both draw bounds, recomputed on the fund's balance less `assets`, stay where they are.
 * Always true with nothing pending after reserves.
 */
export function fundExitKeepsCover(m: MarketState, fund: FundState, assets: bigint): boolean {
  const before = drawBounds(m, fundLimits(fund, m.premiumOwed), fund.maxDrawPerEvent);
  if (before.most === 0n) return true;
  const left = { ...fund, balance: zeroFloorSub(fund.balance + m.premiumOwed, assets) };
  const after = drawBounds(m, fundLimits(left, 0n), fund.maxDrawPerEvent);
  return after.least >= before.least && after.most >= before.most;
}

/**
 * Whether a live fund takes deposits (InsuranceFund.maxDeposit != 0): not while the market's stored pending shortfall
 * exceeds its stored reserves (the draw then depends on the fund's size; `DepositDuringShortfall`).
 */
export function fundDepositsOpen(m: Pick<MarketState, "pendingShortfall" | "reserves">): boolean {
  return m.pendingShortfall <= m.reserves;
}
