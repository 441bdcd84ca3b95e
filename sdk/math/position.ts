/** PositionLib: valuation, health factor, max borrow, liquidation prices and the shortfall estimate. */
import { MAX_UINT256, PRICE_SCALE, WAD } from "./constants";
import type { CollateralRisk, MarketState, PositionState, Prices } from "./types";
import { at } from "./internal";
import { min, mulDivDown, mulDivUp, wDivDown, wDivUp, wMulDown, zeroFloorSub } from "./mathlib";
import { toAssetsUp, toSharesUp } from "./shares";
import { debtOf } from "./shortfall";
import { repaidForAll } from "./liquidation";

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
