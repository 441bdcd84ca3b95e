/** The bad-debt waterfall of LiquidationLogic: shortfall flags and realizing a position's bad debt. */
import type { FundState, MarketState } from "./types";
import { min, zeroFloorSub } from "./mathlib";
import { toAssetsUp } from "./shares";
import { cash } from "./interest";
import { fundLimits } from "./shortfall";
import type { BadDebtSplit } from "./liquidation";

/** PositionLib.setShortfall on the market totals: the sum of the flags and their count. */
export function setFlag(m: MarketState, old: bigint, amount: bigint): void {
  m.pendingShortfall = m.pendingShortfall - old + amount;
  const count = m.flaggedPositions ?? 0n;
  if (old === 0n && amount !== 0n) m.flaggedPositions = count + 1n;
  else if (old !== 0n && amount === 0n) m.flaggedPositions = count - 1n;
}

/** LiquidationLogic._realizeBadDebt on `m` (mutated) for a position of `shares` debt shares left without
 * collateral: premium owed beyond cash written off first, reserves, the fund within its cap (taken from what the
 * core holds for it, premiumOwed: no tokens move; `fund` given: the cap recomputed after the write-off), then
 * socialized (never above the supplied assets). */
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
