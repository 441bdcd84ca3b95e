/**
 * Every crash episode whose assets the mainnet deployment lists, replayed at the real token, Chainlink and Uniswap
 * addresses (`npm run test:fork`: the offline replica, or a real fork with MAINNET_RPC_URL and FORK_BLOCK), on
 * Ballast deployed through Ignition with deploy/config/mainnet.ts. The keeper liquidates in flash mode: the
 * FlashLiquidator sells the seized collateral through the UniswapV3Swapper at the real pools.
 *
 * Episodes: blackthursday-2020-03, may2021, ftx-2022-11 (its ETH only: FTT and SOL are not listed on mainnet),
 * aug2024, oct2025 (ETH and BTC; SOL is not listed), usdc-2023-03 (USDT borrowed against USDC: a market
 * deploy/config/mainnet.ts does not have, listed here through the timelock, see markets.ts; its USDC/USDT pool is the
 * 0.05% tier). Not replayed: terra-2022-05 (LUNA, UST) and steth-2022-06 (stETH) have no asset on mainnet's list.
 * Each runs a short real window (below) with 6 borrowers, so the suite stays within CI time.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, reset } from "@nomicfoundation/hardhat-network-helpers";
import { forkWorld, REAL_FORK } from "./world";
import { runForkEpisode } from "./episode";
import { listUsdtMarket, usdcMarket } from "./markets";
import { describeOutcome } from "./outcome";
import { expectEpisode } from "./expect-episode";
import { WINDOWS } from "./windows";

const BORROWERS = 6;
/** STRESS PARAMETER (stated, replica only): a thin pool, 1/40 of the default depth, where liquidations stop paying. */
const THIN_DEPTH_USD_2PCT = 50_000;

describe(`scenario: fork: crash episodes through Uniswap (${REAL_FORK ? "real fork of MAINNET_RPC_URL" : "offline mainnet replica"})`, function () {
  before(async function () {
    if (!REAL_FORK) return;
    const block = await ethers.provider.getBlockNumber();
    const pinned = process.env.FORK_BLOCK ? "pinned by FORK_BLOCK" : "not pinned: set FORK_BLOCK to reproduce this run";
    console.log(`      real mainnet fork at block ${block} (${pinned})`);
  });

  after(async function () {
    await reset(); // back to the configured network; also clears loadFixture's snapshots for the files that follow
  });

  for (const [name, window] of Object.entries(WINDOWS)) {
    const where =
      name === "usdc-2023-03" ? "a USDT market against USDC listed through the timelock" : "the USDC market";
    it(`${name} in ${where}: the keeper flash-liquidates through the real pools, each swap pays its min-out, bad debt = reserves + insurance + socialized`, async function () {
      const w = await loadFixture(forkWorld);
      const market = name === "usdc-2023-03" ? await listUsdtMarket(w) : usdcMarket(w);
      const o = await runForkEpisode(w, market, name, window, { borrowers: BORROWERS });
      console.log(`      ${REAL_FORK ? "today's real depth: " : ""}${describeOutcome(o)}`);
      expectEpisode(o, w.replica);
    });
  }

  it(`blackthursday-2020-03 at a thin pool ($${THIN_DEPTH_USD_2PCT.toLocaleString("en-US")} per 2%): sales move the pool, the keeper skips what does not pay, bad debt arises and is paid by reserves, then insurance, then socialized`, async function () {
    const w = await loadFixture(forkWorld);
    const o = await runForkEpisode(w, usdcMarket(w), "blackthursday-2020-03", WINDOWS["blackthursday-2020-03"]!, {
      borrowers: BORROWERS,
      depthUsd2Pct: THIN_DEPTH_USD_2PCT,
    });
    console.log(`      ${REAL_FORK ? "today's real depth: " : ""}${describeOutcome(o)}`);
    expectEpisode(o, w.replica);
    if (w.replica) {
      expect(o.run.unprofitableSkips).to.be.greaterThan(0);
      expect(o.badDebt).to.be.greaterThan(0n);
      // The waterfall's order: reserves first, insurance next; nothing socialized while the fund can pay.
      expect(o.fromReserves).to.be.greaterThan(0n);
      expect(o.fromInsurance).to.be.greaterThan(0n);
      expect(o.socialized).to.equal(0n);
    }
  });
});
