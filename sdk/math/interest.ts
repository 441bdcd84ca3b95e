/** InterestLib and BallastCore._accrue: utilization, the kinked rate, and one accrual's split. */
import { MAX_CUT, MAX_TOTAL, RAY, SECONDS_PER_YEAR, WAD } from "./constants";
import type { AccrualConfig, MarketState, RateModel } from "./types";
import { requireUint } from "./internal";
import { compoundUp, max, min, mulDivDown, wDivDown, wMulDown, zeroFloorSub } from "./mathlib";

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
 * no asset total passes 2^96 - 1 (MAX_TOTAL); the reserve cut and the premium cut (only with a fund) are rounded
 * down; suppliers get the exact rest. Returns a new object; the input is not modified.
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
