/**
 * previewAction: what a position looks like after a proposed supply, withdraw, borrow, repay, collateral in or
 * collateral out, before the user signs. Uses the same roundings as the core (see math.ts) on the accrued market
 * and predicts the revert the core would raise for the cases it can see from the position alone (LTV, balance,
 * liquidity, minimum debt), so a form can show "this would fail: ..." instead of sending.
 */
import {
  type CollateralRisk,
  type MarketState,
  type PositionState,
  type Prices,
  type Valuation,
  MAX_UINT256,
  PRICE_SCALE,
  copyMarket,
  healthFactor,
  liquidationPrices,
  maxBorrow,
  mulDivDown,
  supplyPricing,
  toAssetsDown,
  toAssetsUp,
  toSharesDown,
  toSharesUp,
  valuation,
  zeroFloorSub,
} from "./math";

/** The six position actions. */
export type ActionKind = "supply" | "withdraw" | "borrow" | "repay" | "supplyCollateral" | "withdrawCollateral";

/** A proposed action: exactly one of `assets` / `shares` for the loan-asset actions, `assets` and `index` for
 * collateral. */
export interface ProposedAction {
  kind: ActionKind;
  assets?: bigint;
  shares?: bigint;
  /** Collateral index (collateral actions only). */
  index?: number;
}

/** What the preview needs: the accrued market, the position, every collateral's risk and the prices. */
export interface PreviewContext {
  /** Market totals accrued to now (`lens.accruedMarket(id)` or {@link accrueMarket}). */
  market: MarketState;
  position: PositionState & { supplyShares?: bigint };
  risks: readonly CollateralRisk[];
  prices: Prices;
  /** The market's uncovered shortfall (lens `uncoveredShortfall`), priced into supply shares. */
  uncovered?: bigint;
  /** Minimum debt after a borrow, and the minimum left after a partial repay (`minBorrow`, `minLeftover`). */
  minBorrow?: bigint;
  minLeftover?: bigint;
}

/** The figures a borrower looks at. */
export interface PositionFigures {
  debt: bigint;
  /** USD (18 decimals). */
  debtValue: bigint;
  collateralValue: bigint;
  /** USD: sum of value x LTV. */
  borrowPower: bigint;
  /** Loan assets `borrow` would still accept by collateral. */
  borrowPowerLeft: bigint;
  /** WAD; MAX_UINT256 without debt. */
  healthFactor: bigint;
  /** Per collateral index, adapter scale; 0 where not applicable. */
  liquidationPrices: bigint[];
  collateral: bigint[];
  borrowShares: bigint;
  supplyShares: bigint;
}

/** The core's custom error a preview predicts, with its arguments in order, leaving out the market id and the
 * borrower's address (a caller knows both). */
export interface PredictedRevert {
  name: string;
  args: bigint[];
}

export interface ActionPreview {
  before: PositionFigures;
  after: PositionFigures;
  /** Loan or collateral assets moved, and loan shares minted or burned (0 for collateral). */
  assets: bigint;
  shares: bigint;
  marketAfter: MarketState;
  /** The revert the core would raise, or null. */
  revert: PredictedRevert | null;
}

type Pos = PreviewContext["position"];

function figures(m: MarketState, pos: Pos, ctx: PreviewContext): PositionFigures {
  const v: Valuation = valuation(m, pos, ctx.risks, ctx.prices);
  return {
    debt: v.debt,
    debtValue: v.debtValue,
    collateralValue: v.collateralValue,
    borrowPower: v.borrowPower,
    borrowPowerLeft: maxBorrow(m, pos, v, ctx.prices.loan),
    healthFactor: healthFactor(v),
    liquidationPrices: liquidationPrices(v, pos, ctx.risks),
    collateral: [...pos.collateral],
    borrowShares: pos.borrowShares,
    supplyShares: pos.supplyShares ?? 0n,
  };
}

interface Step {
  m: MarketState;
  pos: Pos;
  assets: bigint;
  shares: bigint;
  revert: PredictedRevert | null;
}

const err = (name: string, ...args: bigint[]): PredictedRevert => ({ name, args });

/** The core's liquidity check: what stays supplied must cover every borrow. */
function liquidity(m: MarketState, assets: bigint): PredictedRevert | null {
  if (m.totalBorrowAssets + assets <= m.totalSupplyAssets) return null;
  return err("InsufficientLiquidity", zeroFloorSub(m.totalSupplyAssets, m.totalBorrowAssets), assets);
}

function oneOf(a: ProposedAction): PredictedRevert | null {
  const assets = a.assets ?? 0n;
  const shares = a.shares ?? 0n;
  return (assets === 0n) === (shares === 0n) ? err("InconsistentInput") : null;
}

function supplySide(a: ProposedAction, ctx: PreviewContext, m: MarketState, pos: Pos): Step {
  const p = supplyPricing(m, ctx.uncovered ?? 0n);
  const held = pos.supplyShares ?? 0n;
  let assets = a.assets ?? 0n;
  let shares = a.shares ?? 0n;
  let revert = oneOf(a);
  if (a.kind === "supply") {
    if (assets > 0n) shares = toSharesDown(assets, p.totalAssets, p.totalShares);
    else assets = toAssetsUp(shares, p.totalAssets, p.totalShares);
    if (!revert && shares === 0n) revert = err("ZeroShares", assets);
    m.totalSupplyAssets += assets;
    m.totalSupplyShares += shares;
    return { m, pos: { ...pos, supplyShares: held + shares }, assets, shares, revert };
  }
  if (assets > 0n) shares = toSharesUp(assets, p.totalAssets, p.totalShares);
  else assets = toAssetsDown(shares, p.totalAssets, p.totalShares);
  if (!revert && shares > held) revert = err("InsufficientBalance", held, shares);
  revert ??= liquidity(m, assets);
  m.totalSupplyAssets = zeroFloorSub(m.totalSupplyAssets, assets);
  m.totalSupplyShares = zeroFloorSub(m.totalSupplyShares, shares);
  return { m, pos: { ...pos, supplyShares: zeroFloorSub(held, shares) }, assets, shares, revert };
}

function borrowSide(a: ProposedAction, ctx: PreviewContext, m: MarketState, pos: Pos): Step {
  let assets = a.assets ?? 0n;
  let shares = a.shares ?? 0n;
  let revert = oneOf(a);
  if (a.kind === "borrow") {
    if (assets > 0n) shares = toSharesUp(assets, m.totalBorrowAssets, m.totalBorrowShares);
    else assets = toAssetsDown(shares, m.totalBorrowAssets, m.totalBorrowShares);
    revert ??= liquidity(m, assets);
    m.totalBorrowAssets += assets;
    m.totalBorrowShares += shares;
    return { m, pos: { ...pos, borrowShares: pos.borrowShares + shares }, assets, shares, revert };
  }
  if (!revert && pos.borrowShares === 0n) revert = err("NoDebt");
  if (assets > 0n) shares = toSharesDown(assets, m.totalBorrowAssets, m.totalBorrowShares);
  else assets = toAssetsUp(shares, m.totalBorrowAssets, m.totalBorrowShares);
  if (!revert && shares === 0n) revert = err("ZeroShares", assets);
  if (!revert && shares > pos.borrowShares) revert = err("InsufficientBalance", pos.borrowShares, shares);
  m.totalBorrowShares = zeroFloorSub(m.totalBorrowShares, shares);
  m.totalBorrowAssets = zeroFloorSub(m.totalBorrowAssets, assets);
  return { m, pos: { ...pos, borrowShares: zeroFloorSub(pos.borrowShares, shares) }, assets, shares, revert };
}

function collateralSide(a: ProposedAction, m: MarketState, pos: Pos): Step {
  const i = a.index ?? -1;
  const assets = a.assets ?? 0n;
  let revert: PredictedRevert | null = null;
  if (i < 0 || i >= pos.collateral.length) revert = err("InvalidCollateralIndex", BigInt(i));
  else if (assets === 0n) revert = err("ZeroAmount");
  const held = pos.collateral[i] ?? 0n;
  if (!revert && a.kind === "withdrawCollateral" && assets > held) revert = err("InsufficientBalance", held, assets);
  const delta = a.kind === "supplyCollateral" ? assets : -assets;
  const collateral = pos.collateral.map((c, k) => (k === i ? zeroFloorSub(c + delta, 0n) : c));
  return { m, pos: { ...pos, collateral }, assets, shares: 0n, revert };
}

/** The LTV and minimum-debt checks the core runs after a borrow or a collateral withdrawal, and after a repay. */
function postChecks(a: ProposedAction, ctx: PreviewContext, s: Step, after: PositionFigures): PredictedRevert | null {
  if (s.revert) return s.revert;
  const checksLtv = a.kind === "borrow" || (a.kind === "withdrawCollateral" && s.pos.borrowShares !== 0n);
  if (a.kind === "borrow" && ctx.minBorrow !== undefined && after.debt < ctx.minBorrow) {
    return err("DebtBelowMinimum", after.debt, ctx.minBorrow);
  }
  if (checksLtv && after.debtValue > after.borrowPower) {
    return err("BorrowAboveLtv", after.debtValue, after.borrowPower);
  }
  const left = a.kind === "repay" && s.pos.borrowShares !== 0n && ctx.minLeftover !== undefined;
  if (left && after.debt < ctx.minLeftover!) return err("DebtBelowMinimum", after.debt, ctx.minLeftover!);
  return null;
}

/**
 * Previews `action` on the position: the figures before and after (health factor, borrow power, liquidation
 * price per collateral), what moves, and the revert the core would raise if any. Pure: nothing is sent.
 */
export function previewAction(ctx: PreviewContext, action: ProposedAction): ActionPreview {
  const before = figures(ctx.market, ctx.position, ctx);
  const m = copyMarket(ctx.market);
  const pos: Pos = { ...ctx.position, collateral: [...ctx.position.collateral] };
  const step =
    action.kind === "supply" || action.kind === "withdraw"
      ? supplySide(action, ctx, m, pos)
      : action.kind === "borrow" || action.kind === "repay"
        ? borrowSide(action, ctx, m, pos)
        : collateralSide(action, m, pos);
  const after = figures(step.m, step.pos, ctx);
  return {
    before,
    after,
    assets: step.assets,
    shares: step.shares,
    marketAfter: step.m,
    revert: postChecks(action, ctx, step, after),
  };
}

/** A health factor as a number for display: Infinity without debt. */
export function healthFactorNumber(hf: bigint): number {
  return hf === MAX_UINT256 ? Infinity : Number(hf / 10n ** 12n) / 1e6;
}

/** Adapter-scale price of one whole token (`decimals`) in USD, as a number for display. */
export function priceUsd(price: bigint, decimals: number): number {
  return Number(mulDivDown(price, 10n ** BigInt(decimals), PRICE_SCALE) / 10n ** 12n) / 1e6;
}
