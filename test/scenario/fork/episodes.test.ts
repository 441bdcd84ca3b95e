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
import { loadFixture, reset } from "@nomicfoundation/hardhat-network-helpers";
import { forkWorld, REAL_FORK } from "./world";
import { runForkEpisode } from "./episode";
import { describeOutcome } from "./outcome";
import { expectEpisode } from "./expect-episode";
import { WINDOWS } from "./windows";

const BORROWERS = 6;

describe(`scenario: fork: crash episodes through Uniswap (${REAL_FORK ? "real fork of MAINNET_RPC_URL" : "offline mainnet replica"})`, function () {
  after(async function () {
    await reset(); // back to the configured network; also clears loadFixture's snapshots for the files that follow
  });

  for (const [name, window] of Object.entries(WINDOWS)) {
    it(`${name}: the keeper flash-liquidates through the real pools, each swap pays its min-out, bad debt = reserves + insurance + socialized`, async function () {
      const w = await loadFixture(forkWorld);
      const o = await runForkEpisode(w, name, window, BORROWERS);
      console.log(`      ${REAL_FORK ? "today's real depth: " : ""}${describeOutcome(o)}`);
      await expectEpisode(o, w.uni.factory, w.replica);
    });
  }
});
