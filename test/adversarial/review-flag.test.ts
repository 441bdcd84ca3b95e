/**
 * Review finding 1 (issue 13): a partial liquidation must not wipe the flag of a position that is still short.
 * Two suppliers of 50,000 USDC (alice, bob); carol borrows 15,000 against 10 WETH; WETH falls to $1,000 and the
 * position is flagged (pending 5,476.190476). No fund stake, no reserves: the loss is the suppliers'.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import * as h from "../helpers/liquidation-helpers";

const { U, E, MAX, toAssetsDown, toSharesDown } = h;
const DEPOSIT = 50_000n * U;
const SHARES = DEPOSIT * 10n ** 6n;
const P = h.adapterPrice(h.feedAnswer("1000"), 18);
const ESTIMATE = 15_000n * U - h.recoverableOf([{ amount: 10n * E, price: P, bonus: 5n * 10n ** 16n }]);

async function flaggedFixture() {
  const f = await h.twoSuppliersCrashFixture();
  await f.core.connect(f.frank).flagShortfall(f.id, f.carol.address);
  return f;
}

describe("Review finding 1: the flag survives a partial liquidation", function () {
  it("keeps the flag at the new estimate after a 100 USDC liquidation, so the leaver still shares the loss", async function () {
    const f = await loadFixture(flaggedFixture);
    const { core, id, alice, bob, carol, frank } = f;
    expect(ESTIMATE).to.equal(5_476_190_476n);
    expect((await core.market(id)).pendingShortfall).to.equal(ESTIMATE);
    // alice liquidates 100 USDC of carol's debt: debt and collateral remain.
    await core.connect(alice).liquidate(id, carol.address, 0, 100n * U, alice.address, "0x");
    const est = await core.shortfallEstimate(id, carol.address);
    expect(est).to.be.gte(ESTIMATE - 1n);
    expect((await core.position(id, carol.address))[2], "carol's flag").to.equal(est);
    expect((await core.market(id)).pendingShortfall, "pendingShortfall").to.equal(est);
    // alice leaves: priced net of the loss, not at par.
    const m = await core.market(id);
    const aliceOut = toAssetsDown(SHARES, m.totalSupplyAssets - est, m.totalSupplyShares);
    await expect(core.connect(alice).withdraw(id, 0, SHARES, alice.address, alice.address)).to.changeTokenBalance(
      f.usdc.token,
      alice,
      aliceOut,
    );
    expect(aliceOut).to.be.lt(DEPOSIT - 2_700n * U);
    // The final liquidation realizes the rest on bob: both lose half (within a unit).
    const bad = await core.shortfallEstimate(id, carol.address);
    expect(bad).to.equal(est);
    await expect(core.connect(frank).liquidate(id, carol.address, 0, MAX, frank.address, "0x"))
      .to.emit(core, "BadDebtRealized")
      .withArgs(id, carol.address, bad, 0, 0, bad);
    const m2 = await core.market(id);
    const bobValue = toAssetsDown(SHARES, m2.totalSupplyAssets, m2.totalSupplyShares);
    const aliceLoss = DEPOSIT - aliceOut;
    const bobLoss = DEPOSIT - bobValue;
    expect(aliceLoss - bobLoss, `leaver lost ${aliceLoss}, stayer lost ${bobLoss}`)
      .to.be.gte(-2n)
      .and.lte(2n);
    await expect(core.connect(bob).withdraw(id, 0, SHARES, bob.address, bob.address)).to.changeTokenBalance(
      f.usdc.token,
      bob,
      bobValue,
    );
  });

  it("an atomic supply / liquidate 10 USDC / withdraw-all multicall gains the newcomer nothing", async function () {
    const f = await loadFixture(flaggedFixture);
    const { core, id, eve, carol } = f;
    const IN = 1_000_000n * U;
    const m = await core.market(id);
    const uncovered = await core.uncoveredShortfall(id);
    expect(uncovered).to.equal(ESTIMATE);
    const shares = toSharesDown(IN, m.totalSupplyAssets - uncovered, m.totalSupplyShares);
    const calls = [
      core.interface.encodeFunctionData("supply", [id, IN, 0, eve.address]),
      core.interface.encodeFunctionData("liquidate", [id, carol.address, 0, 10n * U, eve.address, "0x"]),
      core.interface.encodeFunctionData("withdraw", [id, 0, shares, eve.address, eve.address]),
    ];
    const usdcBefore = await f.usdc.token.balanceOf(eve.address);
    const wethBefore = await f.weth.token.balanceOf(eve.address);
    await core.connect(eve).multicall(calls);
    const usdcDelta = (await f.usdc.token.balanceOf(eve.address)) - usdcBefore;
    const wethDelta = (await f.weth.token.balanceOf(eve.address)) - wethBefore;
    // A liquidator may earn the bonus on what she repays (10 USDC buys 10.5 USDC of WETH); nothing else.
    expect(wethDelta).to.equal((10n * U * 10n ** 12n * 105n) / 100n / 1000n);
    expect(usdcDelta, `newcomer's USDC change ${ethers.formatUnits(usdcDelta, 6)}`).to.be.lte(-10n * U);
    expect((await core.position(id, eve.address))[0]).to.equal(0n);
    // The stayers' value is intact: the flag (and the price) still carry the whole loss.
    expect((await core.market(id)).pendingShortfall).to.be.gte(ESTIMATE - 1n);
  });
});
