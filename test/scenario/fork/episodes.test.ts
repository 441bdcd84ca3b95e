/**
 * Every crash episode whose assets the mainnet deployment lists, replayed at the real token, Chainlink and Uniswap
 * addresses (`npm run test:fork`: the offline replica, or a real fork with MAINNET_RPC_URL and FORK_BLOCK), on
 * Ballast deployed through Ignition with deploy/config/mainnet.ts. The keeper liquidates in flash mode: the
 * FlashLiquidator sells the seized collateral through the UniswapV3Swapper at the real pools.
 *
 * Episodes: blackthursday-2020-03, may2021, ftx-2022-11 (its ETH only: FTT and SOL are not listed on mainnet),
 * aug2024, oct2025 (ETH and BTC; SOL is not listed). Not replayed: terra-2022-05 (LUNA, UST) and steth-2022-06
 * (stETH) have no listed asset; usdc-2023-03 borrows USDT against USDC, a market deploy/config/mainnet.ts does not
 * have (and no USDC/USDT pool is configured).
 * Each runs a short real window (below) with 6 borrowers, so the suite stays within CI time.
 */
import { expect } from "chai";
import { loadFixture, reset } from "@nomicfoundation/hardhat-network-helpers";
import { uniswapAt } from "../../../deploy/uniswap/contracts";
import { MAINNET } from "../../../replay/mainnet";
import { forkWorld, REAL_FORK } from "./world";
import { runForkEpisode } from "./episode";
import { describeOutcome, type EpisodeOutcome } from "./outcome";
import { depthOf } from "./pools";
import type { ForkWindow } from "./prices";

const BORROWERS = 6;

/** The crash hours of each episode (real rows; `every`: every n-th row). */
const WINDOWS: Record<string, ForkWindow> = {
  "blackthursday-2020-03": { from: "2020-03-12T06:00:00Z", to: "2020-03-13T03:00:00Z", every: 2 },
  may2021: { from: "2021-05-19T11:00:00Z", to: "2021-05-19T15:00:00Z", every: 2 },
  "ftx-2022-11": { from: "2022-11-08T00:00:00Z", to: "2022-11-10T00:00:00Z" },
  aug2024: { from: "2024-08-04T20:00:00Z", to: "2024-08-05T04:00:00Z" },
  oct2025: { from: "2025-10-10T19:00:00Z", to: "2025-10-10T23:00:00Z" },
};

/** Everything the suite asserts of one episode. */
async function expectEpisode(o: EpisodeOutcome, factory: string): Promise<void> {
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
  if (!REAL_FORK) {
    // The replica's pools hold the stated depth at the episode's first price (within 1%).
    for (const [i, d] of o.run.depths.entries()) {
      const want = depthOf(o.run.venue.pools[i]!.asset);
      expect(Math.abs(d.depthUsd2Pct - want) / want).to.be.lessThan(0.01);
    }
  }
}

describe(`scenario: fork: crash episodes through Uniswap (${REAL_FORK ? "real fork of MAINNET_RPC_URL" : "offline mainnet replica"})`, function () {
  after(async function () {
    await reset(); // back to the configured network; also clears loadFixture's snapshots for the files that follow
  });

  for (const [name, window] of Object.entries(WINDOWS)) {
    it(`${name}: the keeper flash-liquidates through the real pools, each swap pays its min-out, bad debt = reserves + insurance + socialized`, async function () {
      const w = await loadFixture(forkWorld);
      const o = await runForkEpisode(w, name, window, BORROWERS);
      console.log(`      ${REAL_FORK ? "today's real depth: " : ""}${describeOutcome(o)}`);
      await expectEpisode(o, w.uni.factory);
    });
  }
});
