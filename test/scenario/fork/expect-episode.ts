/**
 * What the fork suite asserts of every episode it replays (episodes.test.ts, node.test.ts).
 */
import { expect } from "chai";
import { MAINNET_POOLS } from "../../../replay/mainnet";
import type { EpisodeOutcome } from "./outcome";
import { depthOf } from "./pools";

/** Everything the suite asserts of one episode. */
export function expectEpisode(o: EpisodeOutcome, replica: boolean): void {
  // Liquidations happened, every one by the FlashLiquidator, each with its swap.
  expect(o.liquidations).to.be.greaterThan(0);
  expect(o.byFlashLiquidator).to.equal(o.liquidations);
  expect(o.sales).to.have.length(o.liquidations);
  // The pools are mainnet's (the factory's getPool): on the replica, the factory placed at the real address created
  // them at their real addresses.
  const pools = o.run.venue.pools.map((p) => p.pool);
  expect(pools).to.deep.equal(
    o.run.venue.pools.map((p) => MAINNET_POOLS[`${p.asset.symbol}/${p.loan.symbol}/${p.fee}`]),
  );
  for (const s of o.sales) {
    // The swapper paid at least its min-out (the repayment), through one of those pools.
    expect(s.amountOut).to.be.at.least(s.minOut);
    expect(s.minOut).to.equal(s.repaid);
    expect(pools).to.include(s.pool);
  }
  // The loss waterfall closes: bad debt = reserves + insurance + socialized; no position left without collateral.
  expect(o.badDebt).to.equal(o.fromReserves + o.fromInsurance + o.socialized);
  expect(o.fromInsurance).to.equal(o.fundDrawn); // the core's split agrees with what the fund paid
  expect(o.orphans).to.equal(0);
  expect(o.run.keeperFailures).to.deep.equal([]);
  if (replica) {
    // The replica's pools hold the stated depth at the episode's first price (within 1%).
    for (const [i, d] of o.run.depths.entries()) {
      const want = depthOf(o.run.venue.pools[i]!.asset);
      expect(Math.abs(d.depthUsd2Pct - want) / want).to.be.lessThan(0.01);
    }
  }
}
