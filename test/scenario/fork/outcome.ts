/**
 * What an episode on the fork did, read back from the chain from the episode's first block (never from block 0):
 * the core's liquidations and loss totals, the FlashLiquidator's and the UniswapV3Swapper's events of the same
 * transactions (the swap's output against its minimum, the repayment), and the sale's slippage against the oracle.
 */
import { lossTotals } from "../../../sdk/losses";
import type { ForkRun } from "./episode";
import type { ForkWorld } from "./world";

export interface FlashSale {
  tx: string;
  borrower: string;
  repaid: bigint;
  /** The swap's output and its minimum (FlashLiquidator passes the repayment as the swapper's min-out). */
  amountOut: bigint;
  minOut: bigint;
  pool: string;
  /** (oracle value - proceeds) / oracle value of the sold collateral, in bps (fee included). */
  slippageBps: number;
}

export interface EpisodeOutcome {
  run: ForkRun;
  liquidations: number;
  /** Liquidations whose liquidator (the core's Liquidate event) is the FlashLiquidator. */
  byFlashLiquidator: number;
  sales: FlashSale[];
  badDebt: bigint;
  fromReserves: bigint;
  fromInsurance: bigint;
  socialized: bigint;
  /** What the insurance fund's own `Drawn` events paid (the fund's side of `fromInsurance`). */
  fundDrawn: bigint;
  /** Positions left with debt and no collateral at the end. */
  orphans: number;
}

/** The flash sales of the episode: each FlashLiquidated with the Swapped of the same transaction. */
async function flashSales(w: ForkWorld, run: ForkRun): Promise<FlashSale[]> {
  const id = run.market.id;
  const flashes = await w.liquidator.queryFilter(w.liquidator.filters.FlashLiquidated(id), run.fromBlock);
  const swaps = await run.venue.swapper.queryFilter(run.venue.swapper.filters.Swapped(), run.fromBlock);
  const sales: FlashSale[] = [];
  for (const f of flashes) {
    const s = swaps.find((x) => x.transactionHash === f.transactionHash);
    if (!s) throw new Error(`flash liquidation ${f.transactionHash} has no swap`);
    const symbol = run.ep.assets.find((a) => a.index === Number(f.args.index))!.symbol;
    const at = { blockTag: f.blockNumber - 1 };
    const loan = w.adapters[run.market.loan]!;
    const [colPrice, loanPrice] = await Promise.all([w.adapters[symbol]!.price(at), loan.price(at)]);
    const oracleOut = (s.args.amountIn * colPrice) / loanPrice;
    const slippage = oracleOut === 0n ? 0 : Number(((oracleOut - s.args.amountOut) * 10_000_000n) / oracleOut) / 1000;
    sales.push({
      tx: f.transactionHash,
      borrower: f.args.borrower,
      repaid: f.args.repaid,
      amountOut: s.args.amountOut,
      minOut: f.args.repaid,
      pool: s.args.pool,
      slippageBps: slippage,
    });
  }
  return sales;
}

/** Reads the episode's outcome back from the chain. */
export async function episodeOutcome(w: ForkWorld, run: ForkRun): Promise<EpisodeOutcome> {
  const id = run.market.id;
  const liqs = await w.core.queryFilter(w.core.filters.Liquidate(id), run.fromBlock);
  const flash = await w.liquidator.getAddress();
  const loss = await lossTotals(w.core, id, run.fromBlock);
  const draws = await run.market.fund.queryFilter(run.market.fund.filters.Drawn(), run.fromBlock);
  let orphans = 0;
  for (const b of run.borrowers) {
    const [, shares, , cols] = await w.core.position(id, b);
    if (shares > 0n && cols.every((c) => c === 0n)) orphans++;
  }
  return {
    run,
    liquidations: liqs.length,
    byFlashLiquidator: liqs.filter((l) => l.args.liquidator === flash).length,
    sales: await flashSales(w, run),
    badDebt: loss.badDebtRealized,
    fromReserves: loss.fromReserves,
    fromInsurance: loss.fromInsurance,
    socialized: loss.socialized,
    fundDrawn: draws.reduce((a, d) => a + d.args.amount, 0n),
    orphans,
  };
}

/** One line a person reads: what the episode did at the pools' depth. */
export function describeOutcome(o: EpisodeOutcome): string {
  const r = o.run;
  const avg = o.sales.length ? o.sales.reduce((s, x) => s + x.slippageBps, 0) / o.sales.length : 0;
  const usdc = (x: bigint) => (Number(x) / 1e6).toFixed(2); // both loan assets (USDC, USDT) have 6 decimals
  const depths = (ds: ForkRun["depths"]) =>
    ds.map((d) => `${d.pair} $${Math.round(d.depthUsd2Pct).toLocaleString("en-US")}/2%`).join(", ");
  const today = r.depthsToday ? ` (today, at today's price: ${depths(r.depthsToday)})` : "";
  return (
    `${r.ep.name}: ${r.ep.times.length} price steps, ${r.borrowers.length} borrowers; depth at the episode's ` +
    `price ${depths(r.depths)}${today}` +
    `; ${o.liquidations} flash liquidations, avg slippage ${avg.toFixed(1)} bps, max pool deviation ` +
    `${r.maxPoolDeviationBps.toFixed(0)} bps, ${r.unprofitableSkips} unprofitable skips; bad debt ${usdc(o.badDebt)} ${r.market.loan} ` +
    `= reserves ${usdc(o.fromReserves)} + insurance ${usdc(o.fromInsurance)} + socialized ${usdc(o.socialized)}`
  );
}
