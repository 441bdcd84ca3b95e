/**
 * What the fork suite asserts of every episode it replays (episodes.test.ts, node.test.ts).
 */
import { expect } from "chai";
import { uniswapAt } from "../../../deploy/uniswap/contracts";
import { MAINNET } from "../../../replay/mainnet";
import type { EpisodeOutcome } from "./outcome";
import { depthOf } from "./pools";

/** Everything the suite asserts of one episode. */
export async function expectEpisode(o: EpisodeOutcome, factory: string, replica: boolean): Promise<void> {
  // Liquidations happened, every one by the FlashLiquidator, each with its swap.
  expect(o.liquidations).to.be.greaterThan(0);
  expect(o.byFlashLiquidator).to.equal(o.liquidations);
  expect(o.sales).to.have.length(o.liquidations);
  const f = uniswapAt("factory", factory);
  for (const s of o.sales) {
    // The swapper paid at least its min-out (the repayment), through the real pool of the pair.
    expect(s.amountOut).to.be.at.least(s.minOut);
    expect(s.minOut).to.equal(s.repaid);
    const pools = await Promise.all(
      o.run.venue.pools.map((p) =>
        f.connect(o.run.venue.swapper.runner).getFunction("getPool")(p.collateral, MAINNET.tokens.USDC.address, p.fee),
      ),
    );
    expect(pools).to.include(s.pool);
  }
  // The loss waterfall closes: bad debt = reserves + insurance + socialized; no position left without collateral.
  expect(o.badDebt).to.equal(o.fromReserves + o.fromInsurance + o.socialized);
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
