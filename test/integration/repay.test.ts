import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  U6,
  accruedMarket,
  borrowedMarketFixture,
  debtOf,
  expectedCash,
  nextTs,
  toAssetsUp,
  toSharesDown,
} from "../helpers/core-helpers";

describe("integration: repay", function () {
  it("repay by assets burns debt shares rounded down and pulls exactly the assets", async function () {
    const { core, usdc, id, carol } = await loadFixture(borrowedMarketFixture);
    const assets = 2_000n * U6 + 3n;
    const ts = await nextTs();
    const m = await accruedMarket(core, id, ts);
    const shares = toSharesDown(assets, m.totalBorrowAssets, m.totalBorrowShares);
    const before = (await core.position(id, carol.address)).borrowShares;
    const tx = core.connect(carol).repay(id, assets, 0, carol.address);
    await expect(tx).to.emit(core, "Repay").withArgs(id, carol.address, carol.address, assets, shares);
    await expect(tx).to.changeTokenBalances(usdc.token, [carol, core], [-assets, assets]);
    expect((await core.position(id, carol.address)).borrowShares).to.equal(before - shares);
    const after = await core.market(id);
    expect(after.totalBorrowAssets).to.equal(m.totalBorrowAssets - assets);
    expect(after.totalBorrowShares).to.equal(m.totalBorrowShares - shares);
  });

  it("repay of all shares pulls the debt rounded up and clears the position and the market's debt", async function () {
    const { core, usdc, id, carol } = await loadFixture(borrowedMarketFixture);
    const shares = (await core.position(id, carol.address)).borrowShares;
    const ts = await nextTs();
    const m = await accruedMarket(core, id, ts);
    const assets = toAssetsUp(shares, m.totalBorrowAssets, m.totalBorrowShares);
    expect(assets > 5_000n * U6).to.equal(true); // interest accrued
    const tx = core.connect(carol).repay(id, 0, shares, carol.address);
    await expect(tx).to.emit(core, "Repay").withArgs(id, carol.address, carol.address, assets, shares);
    await expect(tx).to.changeTokenBalances(usdc.token, [carol, core], [-assets, assets]);
    expect((await core.position(id, carol.address)).borrowShares).to.equal(0n);
    const after = await core.market(id);
    expect(after.totalBorrowShares).to.equal(0n);
    expect(after.totalBorrowAssets).to.equal(0n);
    expect(await usdc.token.balanceOf(await core.getAddress())).to.equal(await expectedCash(core, id));
  });

  it("anyone can repay anyone's debt without authorization; the payer pays", async function () {
    const { core, usdc, id, carol, frank } = await loadFixture(borrowedMarketFixture);
    const assets = 1_000n * U6;
    const ts = await nextTs();
    const m = await accruedMarket(core, id, ts);
    const shares = toSharesDown(assets, m.totalBorrowAssets, m.totalBorrowShares);
    const tx = core.connect(frank).repay(id, assets, 0, carol.address);
    await expect(tx).to.emit(core, "Repay").withArgs(id, frank.address, carol.address, assets, shares);
    await expect(tx).to.changeTokenBalances(usdc.token, [frank, carol, core], [-assets, 0n, assets]);
  });

  it("repaying more than the debt reverts InsufficientBalance; no debt reverts NoDebt; bad input reverts", async function () {
    const { core, id, carol, dave } = await loadFixture(borrowedMarketFixture);
    const shares = (await core.position(id, carol.address)).borrowShares;
    await expect(core.connect(carol).repay(id, 0, shares + 1n, carol.address))
      .to.be.revertedWithCustomError(core, "InsufficientBalance")
      .withArgs(shares, shares + 1n);
    const debt = await debtOf(core, id, carol.address);
    const ts = await nextTs();
    const m = await accruedMarket(core, id, ts);
    const tooMuch = debt + 100n * U6;
    await expect(core.connect(carol).repay(id, tooMuch, 0, carol.address))
      .to.be.revertedWithCustomError(core, "InsufficientBalance")
      .withArgs(shares, toSharesDown(tooMuch, m.totalBorrowAssets, m.totalBorrowShares));
    await expect(core.connect(dave).repay(id, U6, 0, dave.address))
      .to.be.revertedWithCustomError(core, "NoDebt")
      .withArgs(id, dave.address);
    await expect(core.connect(carol).repay(id, 0, 0, carol.address)).to.be.revertedWithCustomError(
      core,
      "InconsistentInput",
    );
    await expect(core.connect(carol).repay(id, 1, 1, carol.address)).to.be.revertedWithCustomError(
      core,
      "InconsistentInput",
    );
    await expect(core.connect(carol).repay(5, 1, 0, carol.address))
      .to.be.revertedWithCustomError(core, "MarketNotCreated")
      .withArgs(5);
    expect((await core.position(id, carol.address)).borrowShares).to.equal(shares);
  });
});
