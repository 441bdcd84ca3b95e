/**
 * Cumulative bad-debt figures of a market, summed from its `BadDebtRealized` events. The core keeps no running
 * totals (issue 15: two storage slots written from zero on a market's first bad debt cost its liquidator 44,400
 * gas); every event carries the split, so the sum is exact.
 */
import type { BallastCore } from "../typechain-types/contracts/core/BallastCore";

/** What a market's bad debt has cost so far, and who bore it: `badDebtRealized` = the three parts. */
export interface LossTotals {
  badDebtRealized: bigint;
  fromReserves: bigint;
  fromInsurance: bigint;
  socialized: bigint;
}

/**
 * Sums the `BadDebtRealized` events of market `id` between two blocks. Without `fromBlock` the scan starts at the
 * market's creation block (`Market.createdBlock`, one view call): never a scan from block 0 on a real chain.
 */
export async function lossTotals(
  core: Pick<BallastCore, "queryFilter" | "filters" | "market">,
  id: bigint | number,
  fromBlock?: number | string,
  toBlock: number | string = "latest",
): Promise<LossTotals> {
  const from = fromBlock ?? Number((await core.market(id)).createdBlock);
  const logs = await core.queryFilter(core.filters.BadDebtRealized(id), from, toBlock);
  const t: LossTotals = { badDebtRealized: 0n, fromReserves: 0n, fromInsurance: 0n, socialized: 0n };
  for (const { args } of logs) {
    t.badDebtRealized += args.amount;
    t.fromReserves += args.fromReserves;
    t.fromInsurance += args.fromInsurance;
    t.socialized += args.socialized;
  }
  return t;
}
