import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  E18,
  E8,
  U6,
  VIRTUAL_SHARES,
  accruedMarket,
  borrowedMarketFixture,
  debtOf,
  expectedCash,
  fundedMarketFixture,
  mulDivDown,
  nextTs,
  toAssetsDown,
  toSharesUp,
  wMulDown,
} from "../helpers/core-helpers";

describe("integration: borrow", function () {
  it("the first borrow mints assets x 1e6 debt shares and sends the assets to the receiver", async function () {
    const { core, usdc, id, carol, dave } = await loadFixture(fundedMarketFixture);
    const assets = 5_000n * U6;
    const tx = core.connect(carol).borrow(id, assets, 0, carol.address, dave.address);
    await expect(tx)
      .to.emit(core, "Borrow")
      .withArgs(id, carol.address, carol.address, dave.address, assets, assets * VIRTUAL_SHARES);
    await expect(tx).to.changeTokenBalances(usdc.token, [carol, dave, core], [0n, assets, -assets]);
    const m = await core.market(id);
    expect(m.totalBorrowAssets).to.equal(assets);
    expect(m.totalBorrowShares).to.equal(assets * VIRTUAL_SHARES);
    expect(await debtOf(core, id, carol.address)).to.equal(assets);
  });

  it("borrows exactly up to the LTV; one unit more reverts BorrowAboveLtv with both values", async function () {
    const { core, weth, usdc, id, carol } = await loadFixture(fundedMarketFixture);
    // 10 WETH x $2000 x 80% LTV = $16,000
    const colValue = mulDivDown(10n * E18, await weth.adapter.price(), E18);
    const maxDebtValue = wMulDown(colValue, (await core.collateral(id, 0)).ltv);
    expect(maxDebtValue).to.equal(16_000n * E18);
    const loanPrice = await usdc.adapter.price();
    const max = 16_000n * U6;
    await expect(core.connect(carol).borrow(id, max + 1n, 0, carol.address, carol.address))
      .to.be.revertedWithCustomError(core, "BorrowAboveLtv")
      .withArgs(id, carol.address, ((max + 1n) * loanPrice + E18 - 1n) / E18, maxDebtValue);
    await expect(core.connect(carol).borrow(id, max, 0, carol.address, carol.address))
      .to.emit(core, "Borrow")
      .withArgs(id, carol.address, carol.address, carol.address, max, max * VIRTUAL_SHARES);
  });

  it("borrowing power sums every collateral held at its own LTV", async function () {
    const { core, usdc, id, carol } = await loadFixture(fundedMarketFixture);
    await core.connect(carol).supplyCollateral(id, 1, E8 / 2n, carol.address); // 0.5 WBTC = $30,000 at 75%
    const max = 16_000n * U6 + 22_500n * U6;
    await expect(
      core.connect(carol).borrow(id, max + 1n, 0, carol.address, carol.address),
    ).to.be.revertedWithCustomError(core, "BorrowAboveLtv");
    await expect(core.connect(carol).borrow(id, max, 0, carol.address, carol.address)).to.changeTokenBalance(
      usdc.token,
      carol,
      max,
    );
    expect(await debtOf(core, id, carol.address)).to.equal(max);
  });

  it("after interest, borrow by assets mints debt shares rounded up and by shares pays assets rounded down", async function () {
    const { core, usdc, id, carol } = await loadFixture(borrowedMarketFixture);
    const assets = 1_000n * U6 + 1n;
    let ts = await nextTs();
    let m = await accruedMarket(core, id, ts);
    const shares = toSharesUp(assets, m.totalBorrowAssets, m.totalBorrowShares);
    await expect(core.connect(carol).borrow(id, assets, 0, carol.address, carol.address))
      .to.emit(core, "Borrow")
      .withArgs(id, carol.address, carol.address, carol.address, assets, shares);
    const byShares = 999_999_999_999n;
    ts = await nextTs();
    m = await accruedMarket(core, id, ts);
    const paid = toAssetsDown(byShares, m.totalBorrowAssets, m.totalBorrowShares);
    const tx = core.connect(carol).borrow(id, 0, byShares, carol.address, carol.address);
    await expect(tx).to.emit(core, "Borrow").withArgs(id, carol.address, carol.address, carol.address, paid, byShares);
    await expect(tx).to.changeTokenBalances(usdc.token, [carol, core], [paid, -paid]);
    expect(await usdc.token.balanceOf(await core.getAddress())).to.equal(await expectedCash(core, id));
  });

  it("borrows on behalf only when authorized", async function () {
    const { core, usdc, id, carol, dave } = await loadFixture(fundedMarketFixture);
    await expect(core.connect(dave).borrow(id, 100n * U6, 0, carol.address, dave.address))
      .to.be.revertedWithCustomError(core, "Unauthorized")
      .withArgs(carol.address, dave.address);
    await core.connect(carol).setAuthorization(dave.address, true);
    const tx = core.connect(dave).borrow(id, 100n * U6, 0, carol.address, dave.address);
    await expect(tx)
      .to.emit(core, "Borrow")
      .withArgs(id, dave.address, carol.address, dave.address, 100n * U6, 100n * U6 * VIRTUAL_SHARES);
    await expect(tx).to.changeTokenBalances(usdc.token, [carol, dave], [0n, 100n * U6]);
    expect(await debtOf(core, id, carol.address)).to.equal(100n * U6);
    expect(await debtOf(core, id, dave.address)).to.equal(0n);
  });

  it("rejects a borrow without collateral and bad input", async function () {
    const { core, usdc, id, dave } = await loadFixture(fundedMarketFixture);
    const assets = 100n * U6;
    await expect(core.connect(dave).borrow(id, assets, 0, dave.address, dave.address))
      .to.be.revertedWithCustomError(core, "BorrowAboveLtv")
      .withArgs(id, dave.address, (assets * (await usdc.adapter.price())) / E18, 0);
    await expect(core.connect(dave).borrow(id, 0, 0, dave.address, dave.address)).to.be.revertedWithCustomError(
      core,
      "InconsistentInput",
    );
    await expect(core.connect(dave).borrow(id, 1, 1, dave.address, dave.address)).to.be.revertedWithCustomError(
      core,
      "InconsistentInput",
    );
    await expect(core.connect(dave).borrow(id, 1, 0, dave.address, ethers.ZeroAddress)).to.be.revertedWithCustomError(
      core,
      "ZeroAddress",
    );
    await expect(core.connect(dave).borrow(3, 1, 0, dave.address, dave.address))
      .to.be.revertedWithCustomError(core, "MarketNotCreated")
      .withArgs(3);
    expect((await core.market(id)).totalBorrowAssets).to.equal(0n);
  });
});
