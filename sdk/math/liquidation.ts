/** LiquidationLogic: seizure amounts and the prediction of a liquidation (close factor, dust rules). */
import { CLOSE_FACTOR, PAUSE, WAD } from "./constants";
import type { CollateralRisk, FundState, MarketState, PositionState, Prices } from "./types";
import { at, requireUint } from "./internal";
import { min, mulDivDown, mulDivUp, wDivUp, wMulDown, wMulUp, zeroFloorSub } from "./mathlib";
import { toSharesDown } from "./shares";
import { copyMarket } from "./interest";
import { shortfallEstimate, valuation } from "./position";
import { realizeBadDebt, setFlag } from "./bad-debt";

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
  const early = precheck(input);
  if (early) return early;
  const amounts = closeAmounts(input);
  if ("ok" in amounts) return amounts;
  return applyLiquidation(input, amounts);
}

/** The reverts the core checks before pricing: zero amount, pause, index, grace period, no debt, no balance. */
function precheck(input: LiquidationInput): LiquidationRevert | undefined {
  const { position: pos, index } = input;
  const id = input.id ?? 0n;
  if (input.repayAssets === 0n) return fail("ZeroAmount");
  if (input.paused !== undefined && (input.paused & PAUSE.LIQUIDATE) !== 0) {
    return fail("ActionPaused", id, BigInt(PAUSE.LIQUIDATE));
  }
  if (index < 0 || index >= input.risks.length) return fail("InvalidCollateralIndex", id, BigInt(index));
  if (
    input.timestamp !== undefined &&
    input.liquidationGraceUntil !== undefined &&
    input.timestamp < input.liquidationGraceUntil
  ) {
    return fail("LiquidationGracePeriod", id, input.liquidationGraceUntil);
  }
  if (pos.borrowShares === 0n) return fail("NoDebt", id);
  if ((pos.collateral[index] ?? 0n) === 0n) return fail("InsufficientBalance", 0n, 1n);
  return undefined;
}

/** What the close factor, the request and the collateral balance allow: repaid, seized, the debt left. */
interface CloseAmounts {
  repaid: bigint;
  seized: bigint;
  debtLeft: bigint;
  maxRepay: bigint;
  debtAssets: bigint;
  bonus: bigint;
}

/** The close factor, the clamp of the request, the seizure capped at the balance, and the dust rules. */
function closeAmounts(input: LiquidationInput): CloseAmounts | LiquidationRevert {
  const { market, position: pos, risks, prices, index, minLeftover } = input;
  const colBal = pos.collateral[index] ?? 0n;
  const v = valuation(market, pos, risks, prices);
  if (v.liquidationValue >= v.debtValue) return fail("HealthyPosition", input.id ?? 0n);
  const debtAssets = v.debt;
  const loanPrice = prices.loan;
  const colPrice = at(prices.collaterals, index, "prices.collaterals");
  const deep = v.liquidationValue < wMulDown(input.closeFactorHfThreshold, v.debtValue);
  let maxRepay = deep ? debtAssets : wMulDown(debtAssets, CLOSE_FACTOR);
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
  return { repaid, seized, debtLeft, maxRepay, debtAssets, bonus };
}

/** The liquidation applied to copies of the totals: shares burned, the protocol's bonus share, the bad debt or flag. */
function applyLiquidation(input: LiquidationInput, a: CloseAmounts): LiquidationOk {
  const { market, position: pos, risks, prices, index } = input;
  const { repaid, seized, debtLeft, bonus } = a;
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
  const hasCollateral = collateral.slice(0, risks.length).some((c) => c !== 0n);
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
    fullCloseFactor: a.maxRepay === a.debtAssets,
    maxRepay: a.maxRepay,
    badDebt,
    marketAfter: m,
    positionAfter: { borrowShares, collateral, shortfall },
  };
}
