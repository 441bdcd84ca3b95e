import { expect } from "chai";
import { ethers } from "hardhat";
import { impersonateAccount, loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { E18, U6, accruedMarket, fundedMarketFixture, nextTs, refreshFeeds } from "../helpers/core-helpers";
import { ZERO_RATE } from "../helpers/liquidation-helpers";

describe("integration: insufficient liquidity", function () {
  it("borrowing more than the supplied-but-not-borrowed assets reverts InsufficientLiquidity", async function () {
    const { core, id, carol, dave } = await loadFixture(fundedMarketFixture);
    await core.connect(carol).supplyCollateral(id, 0, 90n * E18, carol.address); // 100 WETH: $160,000 of power
    await expect(core.connect(carol).borrow(id, 100_000n * U6 + 1n, 0, carol.address, carol.address))
      .to.be.revertedWithCustomError(core, "InsufficientLiquidity")
      .withArgs(id, 100_000n * U6, 100_000n * U6 + 1n);
    await core.connect(carol).borrow(id, 60_000n * U6, 0, carol.address, carol.address);
    await core.connect(dave).supplyCollateral(id, 0, 100n * E18, dave.address);
    const ts = await nextTs();
    const acc = await accruedMarket(core, id, ts);
    const available = acc.totalSupplyAssets - acc.totalBorrowAssets;
    await expect(core.connect(dave).borrow(id, available + 1n, 0, dave.address, dave.address))
      .to.be.revertedWithCustomError(core, "InsufficientLiquidity")
      .withArgs(id, available, available + 1n);
  });

  it("withdrawing assets that are lent out reverts InsufficientLiquidity; the liquid part can leave", async function () {
    const { core, usdc, id, alice, carol } = await loadFixture(fundedMarketFixture);
    await core.connect(carol).borrow(id, 15_000n * U6, 0, carol.address, carol.address);
    let ts = await nextTs();
    let acc = await accruedMarket(core, id, ts);
    const available = acc.totalSupplyAssets - acc.totalBorrowAssets;
    await expect(core.connect(alice).withdraw(id, available + 1n, 0, alice.address, alice.address))
      .to.be.revertedWithCustomError(core, "InsufficientLiquidity")
      .withArgs(id, available, available + 1n);
    ts = await nextTs();
    acc = await accruedMarket(core, id, ts);
    const available2 = acc.totalSupplyAssets - acc.totalBorrowAssets;
    await expect(core.connect(alice).withdraw(id, available2, 0, alice.address, alice.address)).to.changeTokenBalance(
      usdc.token,
      alice,
      available2,
    );
    const m = await core.market(id);
    expect(m.totalSupplyAssets).to.equal(m.totalBorrowAssets);
    // reserves and premium stay backed by cash
    expect(await usdc.token.balanceOf(await core.getAddress())).to.equal(m.reserves + m.premiumOwed);
  });

  it("at full utilization interest lifts debt above the suppliers' total; reserves and premium leave only as cash", async function () {
    const f = await loadFixture(fundedMarketFixture);
    const { core, usdc, id, alice, carol, deployer, fund } = f;
    await core.connect(carol).supplyCollateral(id, 0, 90n * E18, carol.address); // 100 WETH, $200,000
    await core.connect(carol).borrow(id, 100_000n * U6, 0, carol.address, carol.address); // 100% utilization
    await time.increase(365 * 86_400);
    await refreshFeeds(f);
    const ts = await nextTs();
    const acc = await accruedMarket(core, id, ts);
    await core.accrueInterest(id);
    const m = await core.market(id);
    expect(m.totalBorrowAssets).to.equal(acc.totalBorrowAssets);
    // Debt exceeds the suppliers' total by exactly the reserve and premium cuts; the core holds no loan cash.
    expect(m.totalBorrowAssets - m.totalSupplyAssets).to.equal(m.reserves + m.premiumOwed);
    expect(m.reserves).to.be.greaterThan(0n);
    expect(m.premiumOwed).to.be.greaterThan(0n);
    expect(await usdc.token.balanceOf(await core.getAddress())).to.equal(0n);
    await expect(core.connect(alice).withdraw(id, 1n, 0, alice.address, alice.address))
      .to.be.revertedWithCustomError(core, "InsufficientLiquidity")
      .withArgs(id, 0, 1n);
    await expect(core.withdrawReserves(id, 1n, deployer.address))
      .to.be.revertedWithCustomError(core, "InsufficientLiquidity")
      .withArgs(id, 0, 1n);
    // Only the market's fund may claim the premium; with no cash it gets nothing.
    const fundAddr = await fund.getAddress();
    await impersonateAccount(fundAddr);
    await setBalance(fundAddr, 10n ** 18n);
    expect(await core.connect(await ethers.getSigner(fundAddr)).claimPremium.staticCall(id)).to.equal(0n);
    // Carol repays 1,000: that cash is the reserves' and the premium's (the suppliers still have no free liquidity).
    await core.connect(carol).repay(id, 1_000n * U6, 0, carol.address);
    const m2 = await core.market(id);
    const cash = m2.totalSupplyAssets + m2.reserves + m2.premiumOwed - m2.totalBorrowAssets;
    expect(await usdc.token.balanceOf(await core.getAddress())).to.equal(cash);
    expect(cash).to.equal(1_000n * U6);
    // The fund's claim comes first (issue 15: the core also holds the fund's parked stake in premiumOwed): while the
    // cash does not exceed it, no reserve leaves, and the fund's claim takes the whole cash.
    expect(m2.premiumOwed).to.be.greaterThanOrEqual(cash);
    await expect(core.withdrawReserves(id, 1n, deployer.address))
      .to.be.revertedWithCustomError(core, "InsufficientLiquidity")
      .withArgs(id, 0n, 1n);
    expect(await core.connect(await ethers.getSigner(fundAddr)).claimPremium.staticCall(id)).to.equal(cash);
    // Interest stops (so no accrual moves the figures), then carol repays the rest of the premium and 500 more:
    // reserves may take exactly the cash beyond the fund's claim.
    await core.setRateModel(id, ZERO_RATE);
    const owed = (await core.market(id)).premiumOwed;
    await core.connect(carol).repay(id, owed - cash + 500n * U6, 0, carol.address);
    const m3 = await core.market(id);
    const free = m3.totalSupplyAssets + m3.reserves - m3.totalBorrowAssets; // cash - premiumOwed
    expect(free).to.equal(500n * U6);
    await expect(core.withdrawReserves(id, free + 1n, deployer.address))
      .to.be.revertedWithCustomError(core, "InsufficientLiquidity")
      .withArgs(id, free, free + 1n);
    await expect(core.withdrawReserves(id, free, deployer.address)).to.changeTokenBalance(usdc.token, deployer, free);
  });
});
