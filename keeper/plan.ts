/**
 * The keeper's valuation and planning, pure functions of a market view: every tracked position's health, and the
 * best liquidation of one (collateral and amount that pay best after gas, with fall-backs around the dust rules).
 */
import {
  MAX_UINT256,
  PRICE_SCALE,
  WAD,
  healthFactor,
  liquidationAmounts,
  mulDivDown,
  shortfallEstimate,
  valuation,
  type PositionState,
  type Prices,
} from "../sdk/math";
import type { KeeperOptions, LiquidationPlan, MarketView, PositionHealth, TrackedPosition } from "./types";

/** Health of every tracked position with debt at `v` (sorted: most underwater first). */
export function positionsHealth(positions: Iterable<TrackedPosition>, v: MarketView): PositionHealth[] {
  const out: PositionHealth[] = [];
  for (const p of positions) {
    if (p.borrowShares === 0n) continue;
    const prices = pricesFor(v, p);
    if (typeof prices === "string") {
      out.push({
        borrower: p.borrower,
        debt: 0n,
        hf: MAX_UINT256,
        shortfall: 0n,
        flagged: p.shortfall,
        invalid: prices,
      });
      continue;
    }
    const val = valuation(v.accrued, p, v.risks, prices);
    out.push({
      borrower: p.borrower,
      debt: val.debt,
      hf: healthFactor(val),
      shortfall: shortfallEstimate(val, prices.loan).estimate,
      flagged: p.shortfall,
    });
  }
  return out.sort((a, b) => (a.hf < b.hf ? -1 : a.hf > b.hf ? 1 : 0));
}

/** The best liquidation of one position at `v`, or the reason there is none. */
export function planLiquidation(
  opts: Pick<KeeperOptions, "mode" | "swapFee" | "gasCostUsd">,
  v: MarketView,
  p: TrackedPosition,
  hf: bigint,
): LiquidationPlan | string {
  const prices = pricesFor(v, p);
  if (typeof prices === "string") return prices;
  const swapFee = opts.mode === "flash" ? (opts.swapFee ?? 0n) : 0n;
  const gas = opts.gasCostUsd ?? 5n * WAD;
  let best: LiquidationPlan | undefined;
  let lastError = "no collateral";
  const base = {
    market: v.accrued,
    position: p,
    risks: v.risks,
    prices,
    closeFactorHfThreshold: v.closeFactorHfThreshold,
    minLeftover: v.minLeftover,
    protocolBonusShare: v.protocolBonusShare,
    fundMaxDraw: v.fundMaxDraw,
    paused: v.paused,
    liquidationGraceUntil: v.market.liquidationGraceUntil,
    timestamp: v.timestamp + 1n,
  };
  p.collateral.forEach((bal, index) => {
    if (bal === 0n || index >= v.risks.length) return;
    const colPrice = prices.collaterals[index] ?? 0n;
    const candidates: bigint[] = [MAX_UINT256];
    let preview = liquidationAmounts({ ...base, index, repayAssets: MAX_UINT256 });
    if (!preview.ok && preview.error.name === "CollateralDustLeft") {
      // Repay less so the collateral left is worth at least the minimum leftover.
      const keep = mulDivDown(v.minLeftover, prices.loan, colPrice) + 2n;
      if (bal > keep) {
        const risk = v.risks[index]!;
        const seizable = bal - keep;
        const repay = mulDivDown((seizable * WAD) / (WAD + risk.liquidationBonus), colPrice, prices.loan);
        candidates.push(repay);
        preview = liquidationAmounts({ ...base, index, repayAssets: repay });
      }
    }
    if (!preview.ok && preview.error.name === "DebtDustLeft") {
      // Leave exactly the minimum leftover of debt instead of dust.
      const debt = valuation(v.accrued, p, v.risks, prices).debt;
      if (debt > v.minLeftover * 2n) {
        const repay = debt - v.minLeftover;
        candidates.push(repay);
        preview = liquidationAmounts({ ...base, index, repayAssets: repay });
      }
    }
    if (!preview.ok) {
      lastError = `${preview.error.name}(${preview.error.args.join(",")})`;
      return;
    }
    const seizedUsd = mulDivDown(preview.seizedToReceiver, colPrice, PRICE_SCALE);
    const proceeds = seizedUsd - (seizedUsd * swapFee) / WAD;
    const cost = mulDivDown(preview.repaid, prices.loan, PRICE_SCALE);
    const profitUsd = proceeds - cost - gas;
    const plan: LiquidationPlan = {
      borrower: p.borrower,
      index,
      repayAssets: candidates[candidates.length - 1]!,
      hf,
      preview,
      profitUsd,
    };
    if (!best || plan.profitUsd > best.profitUsd) best = plan;
  });
  return best ?? lastError;
}

/** Prices of the loan and of every collateral the position holds, or the reason one is invalid. */
export function pricesFor(v: MarketView, p: PositionState): Prices | string {
  if (v.loanPrice === null) return "loan price invalid";
  const collaterals: bigint[] = [];
  for (let i = 0; i < v.risks.length; i++) {
    const held = (p.collateral[i] ?? 0n) !== 0n;
    const price = v.collateralPrices[i] ?? null;
    if (held && price === null) return `collateral #${i} price invalid`;
    collaterals.push(price ?? 1n);
  }
  return { loan: v.loanPrice, collaterals };
}
