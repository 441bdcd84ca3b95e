/** InsuranceFund's rules: cooldown redemptions, exits that keep the cover, deposits. */
import type { FundState, MarketState } from "./types";
import { zeroFloorSub } from "./mathlib";
import { drawBounds, fundLimits } from "./shortfall";

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
 * `ExitLowersCover` check): both draw bounds, recomputed on what the core holds for the fund less `assets`, stay where they are.
 * Always true with nothing pending after reserves.
 */
export function fundExitKeepsCover(m: MarketState, fund: FundState, assets: bigint): boolean {
  const before = drawBounds(m, fundLimits(fund, m.premiumOwed), fund.maxDrawPerEvent);
  if (before.most === 0n) return true;
  // As the fund checks it, before any cash moves: what the core holds for it, less the payout.
  const after = drawBounds(m, fundLimits(fund, zeroFloorSub(m.premiumOwed, assets)), fund.maxDrawPerEvent);
  return after.least >= before.least && after.most >= before.most;
}

/**
 * Whether a live fund takes deposits (InsuranceFund.maxDeposit != 0): not while the market's stored pending shortfall
 * exceeds its stored reserves (the draw then depends on the fund's size; `DepositDuringShortfall`).
 */
export function fundDepositsOpen(m: Pick<MarketState, "pendingShortfall" | "reserves">): boolean {
  return m.pendingShortfall <= m.reserves;
}
