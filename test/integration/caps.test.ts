import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { E18, U6, VIRTUAL_SHARES, accruedMarket, fundedMarketFixture, nextTs } from "../helpers/core-helpers";

describe("integration: caps", function () {
  it("supply cap: supplying up to the cap works, one unit more reverts SupplyCapExceeded; withdraw still works", async function () {
    const { core, id, alice, bob } = await loadFixture(fundedMarketFixture);
    const cap = 150_000n * U6;
    await core.setCaps(id, cap, cap);
    await expect(core.connect(bob).supply(id, 50_000n * U6 + 1n, 0, bob.address))
      .to.be.revertedWithCustomError(core, "SupplyCapExceeded")
      .withArgs(id, cap + 1n, cap);
    await expect(core.connect(bob).supply(id, 50_000n * U6, 0, bob.address))
      .to.emit(core, "Supply")
      .withArgs(id, bob.address, bob.address, 50_000n * U6, 50_000n * U6 * VIRTUAL_SHARES);
    await expect(core.connect(bob).supply(id, 1, 0, bob.address))
      .to.be.revertedWithCustomError(core, "SupplyCapExceeded")
      .withArgs(id, cap + 1n, cap);
    // supply by shares is capped on the assets it pulls
    await expect(core.connect(bob).supply(id, 0, VIRTUAL_SHARES, bob.address))
      .to.be.revertedWithCustomError(core, "SupplyCapExceeded")
      .withArgs(id, cap + 1n, cap);
    // a cap lowered below the total blocks supply but never withdrawals
    await core.setCaps(id, 0, cap);
    await expect(core.connect(alice).withdraw(id, 10_000n * U6, 0, alice.address, alice.address))
      .to.emit(core, "Withdraw")
      .withArgs(id, alice.address, alice.address, alice.address, 10_000n * U6, 10_000n * U6 * VIRTUAL_SHARES);
    expect((await core.market(id)).totalSupplyAssets).to.equal(140_000n * U6);
  });

  it("borrow cap: the market's total debt may reach the cap, not exceed it; interest may; repay still works", async function () {
    const { core, id, carol, dave } = await loadFixture(fundedMarketFixture);
    const cap = 3_000n * U6;
    await core.setCaps(id, 2n ** 128n - 1n, cap);
    await core.connect(dave).supplyCollateral(id, 0, 10n * E18, dave.address);
    await core.connect(carol).borrow(id, 2_000n * U6, 0, carol.address, carol.address);
    let ts = await nextTs();
    let acc = await accruedMarket(core, id, ts);
    const room = cap - acc.totalBorrowAssets;
    await expect(core.connect(dave).borrow(id, room + 1n, 0, dave.address, dave.address))
      .to.be.revertedWithCustomError(core, "BorrowCapExceeded")
      .withArgs(id, cap + 1n, cap);
    ts = await nextTs();
    acc = await accruedMarket(core, id, ts);
    const room2 = cap - acc.totalBorrowAssets;
    await expect(core.connect(dave).borrow(id, room2, 0, dave.address, dave.address)).to.emit(core, "Borrow");
    expect((await core.market(id)).totalBorrowAssets).to.equal(cap);
    // interest takes the total above the cap; any new borrow is then refused
    ts = await nextTs(3600n);
    acc = await accruedMarket(core, id, ts);
    expect(acc.totalBorrowAssets > cap).to.equal(true);
    await expect(core.connect(dave).borrow(id, 1, 0, dave.address, dave.address))
      .to.be.revertedWithCustomError(core, "BorrowCapExceeded")
      .withArgs(id, acc.totalBorrowAssets + 1n, cap);
    await expect(core.connect(carol).repay(id, 500n * U6, 0, carol.address)).to.emit(core, "Repay");
  });

  it("collateral cap: the market total of one collateral may reach its cap, not exceed it", async function () {
    const { core, id, carol, dave } = await loadFixture(fundedMarketFixture);
    const c = await core.collateral(id, 0);
    await expect(core.setCollateralRisk(id, 0, c.ltv, c.liquidationThreshold, c.liquidationBonus, 15n * E18))
      .to.emit(core, "CollateralRiskSet")
      .withArgs(id, 0, c.ltv, c.liquidationThreshold, c.liquidationBonus, 15n * E18);
    await expect(core.connect(dave).supplyCollateral(id, 0, 5n * E18 + 1n, dave.address))
      .to.be.revertedWithCustomError(core, "CollateralCapExceeded")
      .withArgs(id, 0, 15n * E18 + 1n, 15n * E18);
    await expect(core.connect(dave).supplyCollateral(id, 0, 5n * E18, dave.address))
      .to.emit(core, "SupplyCollateral")
      .withArgs(id, dave.address, dave.address, 0, 5n * E18);
    expect((await core.collateral(id, 0)).totalSupplied).to.equal(15n * E18);
    // the cap is per collateral: WBTC is unaffected
    await expect(core.connect(dave).supplyCollateral(id, 1, 10n ** 8n, dave.address)).to.emit(core, "SupplyCollateral");
    // withdrawing makes room again
    await core.connect(carol).withdrawCollateral(id, 0, E18, carol.address, carol.address);
    await expect(core.connect(dave).supplyCollateral(id, 0, E18, dave.address)).to.emit(core, "SupplyCollateral");
    await expect(core.connect(dave).supplyCollateral(id, 0, 1, dave.address))
      .to.be.revertedWithCustomError(core, "CollateralCapExceeded")
      .withArgs(id, 0, 15n * E18 + 1n, 15n * E18);
  });
});
