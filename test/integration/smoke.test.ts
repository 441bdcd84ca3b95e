import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "../helpers/fixtures";
import { lossTotals } from "../../sdk/losses";

describe("BallastCore smoke: supply, borrow, crash, liquidation with bad debt", function () {
  it("realizes bad debt through reserves, insurance and socialization that add up", async function () {
    const { core, usdc, weth, id, fund, alice, bob, carol } = await loadFixture(deployMarketFixture);
    const U = 10n ** 6n;
    await core.connect(alice).supply(id, 100_000n * U, 0, alice.address);
    await fund.connect(bob).deposit(10_000n * U, bob.address);
    await core.connect(carol).supplyCollateral(id, 0, 10n ** 18n, carol.address); // 1 WETH = $2000
    await core.connect(carol).borrow(id, 1_500n * U, 0, carol.address, carol.address);
    await weth.feed.updateAnswer(1000n * 10n ** 8n); // crash -50%
    const tx = await core.connect(bob).liquidate(id, carol.address, 0, 2n ** 255n, bob.address, "0x");
    await expect(tx).to.emit(core, "BadDebtRealized");
    const [, borrowShares, , cols] = await core.position(id, carol.address);
    expect(borrowShares).to.equal(0n);
    expect(cols[0]).to.equal(0n);
    const losses = await lossTotals(core, id);
    expect(losses.fromReserves + losses.fromInsurance + losses.socialized).to.equal(losses.badDebtRealized);
    expect(losses.badDebtRealized).to.be.gt(0n);
  });
});
