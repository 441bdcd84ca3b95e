import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  U6,
  VIRTUAL_SHARES,
  accruedMarket,
  borrowedMarketFixture,
  expectedCash,
  fundedMarketFixture,
  nextTs,
  toAssetsDown,
  toSharesUp,
} from "../helpers/core-helpers";

describe("integration: withdraw", function () {
  it("withdraw by assets burns shares rounded up and sends the assets to the receiver", async function () {
    const { core, usdc, id, alice, bob } = await loadFixture(fundedMarketFixture);
    const assets = 40_000n * U6;
    const tx = core.connect(alice).withdraw(id, assets, 0, alice.address, bob.address);
    await expect(tx)
      .to.emit(core, "Withdraw")
      .withArgs(id, alice.address, alice.address, bob.address, assets, assets * VIRTUAL_SHARES);
    await expect(tx).to.changeTokenBalances(usdc.token, [alice, bob, core], [0n, assets, -assets]);
    expect((await core.position(id, alice.address)).supplyShares).to.equal(60_000n * U6 * VIRTUAL_SHARES);
    expect((await core.market(id)).totalSupplyAssets).to.equal(60_000n * U6);
  });

  it("withdrawing all shares after interest pays the accrued value rounded down and leaves the cash identity", async function () {
    const { core, usdc, id, alice, carol } = await loadFixture(borrowedMarketFixture);
    // repay carol's debt first so alice's whole balance is liquid
    await core.connect(carol).repay(id, 0, (await core.position(id, carol.address)).borrowShares, carol.address);
    const shares = (await core.position(id, alice.address)).supplyShares;
    const ts = await nextTs();
    const m = await accruedMarket(core, id, ts);
    const assets = toAssetsDown(shares, m.totalSupplyAssets, m.totalSupplyShares);
    expect(assets > 100_000n * U6).to.equal(true); // earned interest
    const tx = core.connect(alice).withdraw(id, 0, shares, alice.address, alice.address);
    await expect(tx)
      .to.emit(core, "Withdraw")
      .withArgs(id, alice.address, alice.address, alice.address, assets, shares);
    await expect(tx).to.changeTokenBalances(usdc.token, [alice, core], [assets, -assets]);
    const after = await core.market(id);
    expect(after.totalSupplyShares).to.equal(0n);
    expect(after.totalSupplyAssets).to.equal(m.totalSupplyAssets - assets);
    expect(await usdc.token.balanceOf(await core.getAddress())).to.equal(await expectedCash(core, id));
  });

  it("withdraw by assets after interest burns exactly toSharesUp", async function () {
    const { core, id, alice } = await loadFixture(borrowedMarketFixture);
    const assets = 1_234n * U6 + 1n;
    const ts = await nextTs();
    const m = await accruedMarket(core, id, ts);
    const shares = toSharesUp(assets, m.totalSupplyAssets, m.totalSupplyShares);
    const before = (await core.position(id, alice.address)).supplyShares;
    await expect(core.connect(alice).withdraw(id, assets, 0, alice.address, alice.address))
      .to.emit(core, "Withdraw")
      .withArgs(id, alice.address, alice.address, alice.address, assets, shares);
    expect((await core.position(id, alice.address)).supplyShares).to.equal(before - shares);
  });

  it("an authorized account withdraws for the owner; an unauthorized one reverts Unauthorized", async function () {
    const { core, usdc, id, alice, bob } = await loadFixture(fundedMarketFixture);
    await expect(core.connect(bob).withdraw(id, U6, 0, alice.address, bob.address))
      .to.be.revertedWithCustomError(core, "Unauthorized")
      .withArgs(alice.address, bob.address);
    await core.connect(alice).setAuthorization(bob.address, true);
    const tx = core.connect(bob).withdraw(id, U6, 0, alice.address, bob.address);
    await expect(tx)
      .to.emit(core, "Withdraw")
      .withArgs(id, bob.address, alice.address, bob.address, U6, U6 * VIRTUAL_SHARES);
    await expect(tx).to.changeTokenBalances(usdc.token, [alice, bob], [0n, U6]);
  });

  it("rejects bad input: more than the balance, zero receiver, both or neither amount, unknown market", async function () {
    const { core, id, alice, bob } = await loadFixture(fundedMarketFixture);
    const shares = (await core.position(id, alice.address)).supplyShares;
    await expect(core.connect(alice).withdraw(id, 0, shares + 1n, alice.address, alice.address))
      .to.be.revertedWithCustomError(core, "InsufficientBalance")
      .withArgs(shares, shares + 1n);
    await expect(core.connect(bob).withdraw(id, 1, 0, bob.address, bob.address))
      .to.be.revertedWithCustomError(core, "InsufficientBalance")
      .withArgs(0, VIRTUAL_SHARES);
    await expect(
      core.connect(alice).withdraw(id, 1, 0, alice.address, ethers.ZeroAddress),
    ).to.be.revertedWithCustomError(core, "ZeroAddress");
    await expect(core.connect(alice).withdraw(id, 0, 0, alice.address, alice.address)).to.be.revertedWithCustomError(
      core,
      "InconsistentInput",
    );
    await expect(core.connect(alice).withdraw(id, 1, 1, alice.address, alice.address)).to.be.revertedWithCustomError(
      core,
      "InconsistentInput",
    );
    await expect(core.connect(alice).withdraw(7, 1, 0, alice.address, alice.address))
      .to.be.revertedWithCustomError(core, "MarketNotCreated")
      .withArgs(7);
    expect((await core.position(id, alice.address)).supplyShares).to.equal(shares);
  });
});
