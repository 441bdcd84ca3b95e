/**
 * Regression test for an issue the crash replays found (reports listed "stuck" positions, reason DebtDustLeft): a
 * position whose last collateral recovers less than (debt - minLeftover) could not be liquidated at all, so its bad
 * debt was never realized (seizing all of it left 0 < debt < minLeftover, seizing less left collateral dust). The
 * liquidation that takes the last collateral must write the remaining debt off through the waterfall instead.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "../helpers/fixtures";
import { wad } from "../../scripts/lib/protocol";
import { lossTotals } from "../../sdk/losses";

describe("scenario: liquidation of a position whose last collateral leaves dust debt", function () {
  it("seizing the last collateral realizes the remaining debt as bad debt instead of reverting DebtDustLeft", async function () {
    const { core, id, weth, alice, bob, carol } = await loadFixture(deployMarketFixture);
    await core.connect(alice).supply(id, 100_000n * 10n ** 6n, 0, alice.address);
    // 0.01 WETH at $2000 ($20), 10.5 USDC borrowed; minimum leftover is 10 USDC.
    await core.connect(bob).supplyCollateral(id, 0, wad("0.01"), bob.address);
    await core.connect(bob).borrow(id, 10_500_000n, 0, bob.address, bob.address);
    // WETH at $105: the collateral recovers 0.01 x 105 / 1.05 = 1 USDC; seizing it all would leave 9.5 USDC of debt.
    await weth.feed.updateAnswer(105n * 10n ** 8n);
    const tx = core.connect(carol).liquidate(id, bob.address, 0, ethers.MaxUint256, carol.address, "0x");
    await expect(tx).to.emit(core, "BadDebtRealized");
    const [, borrowShares, , cols] = await core.position(id, bob.address);
    expect([borrowShares, cols[0]]).to.deep.equal([0n, 0n]);
    const loss = await lossTotals(core, id);
    expect(loss.badDebtRealized).to.equal(loss.fromReserves + loss.fromInsurance + loss.socialized);
  });
});
