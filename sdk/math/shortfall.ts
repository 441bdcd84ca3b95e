/** Insurance caps and the shortfall: draw bounds, the uncovered shortfall and the supply-side previews. */
import { SHARE_PRICE_SHARES, WAD } from "./constants";
import type { FundState, MarketState } from "./types";
import { min, mulDivUp, wMulDown, zeroFloorSub } from "./mathlib";
import { toAssetsDown, toAssetsUp, toSharesDown, toSharesUp } from "./shares";
import { cash } from "./interest";

/** The fund's caps now (InsuranceFund): gross assets, drawable assets, rolling-window cap left and `maxDraw()`. */
export interface FundLimits {
  /** `grossAssets()`: the fund's balance plus what the core holds for it (the share price's base). */
  grossAssets: bigint;
  /** What a draw can reach: what the core holds for the fund (`premiumOwed`); the caps are shares of it. */
  drawable: bigint;
  windowCapLeft: bigint;
  maxDraw: bigint;
}

/**
 * Mirrors InsuranceFund.grossAssets / windowCapLeft / maxDraw given the fund's balance and what the core holds for
 * it, `premiumOwed` (premium and parked cash; use the accrued figure for "as of now"). The caps are shares of
 * `premiumOwed` alone: the fund's own balance (0 at rest, tokens sent to it directly) counts once parked.
 */
export function fundLimits(fund: FundState, premiumOwed: bigint): FundLimits {
  const drawable = premiumOwed;
  const cap = wMulDown(drawable + fund.drawnInWindow, fund.windowShare);
  const windowCapLeft = zeroFloorSub(cap, fund.drawnInWindow);
  const maxDraw = min(wMulDown(drawable, fund.maxDrawPerEvent), windowCapLeft);
  return { grossAssets: fund.balance + premiumOwed, drawable, windowCapLeft, maxDraw };
}

/**
 * InsuranceFund.drawBounds (DrawBoundsLib): the least and the most the fund pays for the market's pending shortfall
 * after reserves. least = min(owed, maxDraw); most = min(owed, drawable, flaggedPositions x perEvent x drawable (up) +
 * premium owed beyond the market's cash).
 */
export function drawBounds(m: MarketState, fund: FundLimits, maxDrawPerEvent: bigint): { least: bigint; most: bigint } {
  const owed = zeroFloorSub(m.pendingShortfall, m.reserves);
  if (owed === 0n) return { least: 0n, most: 0n };
  const count = m.flaggedPositions ?? 0n;
  const events = count === 0n ? 1n : count;
  const unbacked = zeroFloorSub(m.premiumOwed, cash(m));
  const most = min(min(owed, fund.drawable), mulDivUp(fund.drawable, maxDrawPerEvent * events, WAD) + unbacked);
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
