/**
 * One point of the run's chart: oracle and pool price of the first collateral, the market's debt and collateral
 * value, the insurance fund, and the cumulative bad debt split by who paid it (all in loan-asset units).
 */
import { PRICE_SCALE, WAD, mulDivDown } from "../sdk/math";
import type { MarketView } from "../keeper/keeper";
import { poolPrice, poolSqrt } from "./world/venue";
import { lastPriceOf, rpc } from "./util";
import type { RunState } from "./state";
import type { ChartPoint } from "./types";

export async function chartPoint(run: RunState, v: MarketView, t: number): Promise<ChartPoint> {
  const { ctx } = run;
  const toUnits = (x: bigint) => Number(x) / 10 ** ctx.loan.spec.decimals;
  // Collateral value from the keeper's positions (their sum is each collateral's total supplied).
  const totals = ctx.collaterals.map(() => 0n);
  for (const p of run.keeper.positions.values())
    p.collateral.forEach((c, i) => i < totals.length && (totals[i] = totals[i]! + c));
  let collateral = 0;
  totals.forEach((amount, i) => {
    const p = v.collateralPrices[i];
    if (p) collateral += toUnits((mulDivDown(amount, p, PRICE_SCALE) * 10n ** BigInt(ctx.loan.spec.decimals)) / WAD);
  });
  const fund = await ctx.fund.getAddress();
  const data = ctx.fund.interface.encodeFunctionData("grossAssets");
  const gross = BigInt((await rpc("eth_call", [{ to: fund, data }, "latest"])) as string);
  const pool = ctx.venue.pools[0]!;
  const c = run.tally.cum;
  return {
    time: t,
    price: v.collateralPrices[0] ? Number(lastPriceOf(ctx.collaterals[0]!, t)) : NaN,
    poolPrice: poolPrice(pool, await poolSqrt(pool.pool)),
    debt: toUnits(v.market.totalBorrowAssets),
    collateral,
    insurance: toUnits(gross),
    badDebt: toUnits(c.badDebt),
    fromReserves: toUnits(c.fromReserves),
    fromInsurance: toUnits(c.fromInsurance),
    socialized: toUnits(c.socialized),
  };
}
