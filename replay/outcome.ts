/**
 * A replay's result: what each supplier got back or still holds (valued as a withdrawal is priced, flags
 * included), the positions left underwater, the liquidation sales' slippage against the oracle, and the totals.
 */
import { ethers } from "hardhat";
import { WAD, previewRedeem } from "../sdk/math";
import { lastPriceOf } from "./util";
import { invariants, lossSince, type StartPoint } from "./checks";
import type { RunState } from "./state";
import type { RunResult, SimAsset, SimContext, SupplierResult } from "./types";

async function supplierResults(run: RunState): Promise<SupplierResult[]> {
  const { ctx } = run;
  const acc = (await run.keeper.view()).accrued;
  const uncovered = await ctx.core.uncoveredShortfall(ctx.id);
  const out: SupplierResult[] = [];
  for (const s of ctx.suppliers) {
    const addr = (await s.signer.getAddress()).toLowerCase();
    const [shares] = await ctx.core.position(ctx.id, addr);
    const remainingValue = previewRedeem(acc, uncovered, shares);
    const withdrawn = run.tally.withdrawnBy.get(addr) ?? 0n;
    const lossAmt = s.deposited - withdrawn - remainingValue;
    out.push({
      address: addr,
      role: s.role,
      deposited: s.deposited,
      withdrawn,
      remainingValue,
      lossBps: Number((lossAmt * 1_000_000n) / s.deposited) / 100,
    });
  }
  return out;
}

/** Positions still underwater at the end, and why they were not liquidated. */
async function stuckPositions(run: RunState): Promise<RunResult["stuck"]> {
  const k = run.keeper;
  const v = await k.view();
  const stuck: RunResult["stuck"] = [];
  for (const x of k.health(v)) {
    if (x.invalid) stuck.push({ borrower: x.borrower, debt: 0n, reason: x.invalid });
    else if (x.hf < WAD) {
      const plan = k.bestLiquidation(v, k.positions.get(x.borrower)!, x.hf);
      stuck.push({ borrower: x.borrower, debt: x.debt, reason: typeof plan === "string" ? plan : "liquidatable" });
    }
  }
  return stuck;
}

/** Everything a replay reports. */
export async function runResult(run: RunState, s: StartPoint, steps: number): Promise<RunResult> {
  const { ctx, tally } = run;
  const d = await lossSince(ctx, s);
  const inv = await invariants(run, s, d);
  const m = await ctx.core.market(ctx.id);
  return {
    flag: run.flag,
    liquidations: tally.liquidations,
    failedTx: run.failedTx,
    ...d,
    supplyAtStart: s.supplyAtStart,
    supplierLossBps: s.supplyAtStart === 0n ? 0 : Number((d.socialized * 1_000_000n) / s.supplyAtStart) / 100,
    suppliers: await supplierResults(run),
    exitsWhilePending: tally.exitsWhilePending,
    exits: tally.exits,
    phases: [...tally.phases.values()],
    chart: run.chart,
    invariants: inv,
    steps,
    blocks: run.blocks,
    priceHalts: run.priceHalts,
    stuck: await stuckPositions(run),
    openDebtAtEnd: m.totalBorrowAssets,
    unprofitableSkips: run.quote?.skips() ?? 0,
    avgSlippageBps: await slippageBps(ctx, s.startBlock, lastPriceOf),
    maxPoolDeviationBps: Math.round((run.arbitrageur?.maxDeviationBps ?? 0) * 100) / 100,
    arbitrageSwaps: run.arbitrageur?.swaps ?? 0,
  };
}

/** Value-weighted shortfall of the liquidation swaps against the oracle prices of their block (bps, fee included). */
export async function slippageBps(
  ctx: SimContext,
  fromBlock: number,
  priceAt: (a: SimAsset, t: number) => string,
): Promise<number> {
  const logs = await ctx.swapper.queryFilter(ctx.swapper.filters.Swapped(), fromBlock, "latest");
  let atOracle = 0;
  let shortBy = 0;
  const stamps = new Map<number, number>();
  for (const l of logs) {
    const i = ctx.venue.pools.findIndex((p) => p.collateral === l.args.tokenIn);
    if (i < 0) continue;
    if (!stamps.has(l.blockNumber))
      stamps.set(l.blockNumber, (await ethers.provider.getBlock(l.blockNumber))!.timestamp);
    const ts = stamps.get(l.blockNumber)! - ctx.offset;
    const c = ctx.collaterals[i]!;
    const value =
      (Number(l.args.amountIn) / 10 ** c.spec.decimals) * (Number(priceAt(c, ts)) / Number(priceAt(ctx.loan, ts)));
    const out = Number(l.args.amountOut) / 10 ** ctx.loan.spec.decimals;
    atOracle += value;
    shortBy += value - out;
  }
  return atOracle === 0 ? 0 : Math.round((shortBy / atOracle) * 1e6) / 100;
}
