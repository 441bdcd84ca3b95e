import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "../helpers/fixtures";
import {
  E18,
  E8,
  U6,
  accruedMarket,
  fundedMarketFixture,
  mulDivDown,
  mulDivUp,
  nextTs,
  toAssetsUp,
  wMulDown,
} from "../helpers/core-helpers";

describe("integration: collateral", function () {
  it("supplyCollateral credits onBehalf (no authorization needed), counts the market total and emits", async function () {
    const { core, weth, wbtc, id, alice, bob } = await loadFixture(deployMarketFixture);
    const tx = core.connect(alice).supplyCollateral(id, 1, 3n * E8, bob.address);
    await expect(tx)
      .to.emit(core, "SupplyCollateral")
      .withArgs(id, alice.address, bob.address, 1, 3n * E8);
    await expect(tx).to.changeTokenBalances(wbtc.token, [alice, bob, core], [-3n * E8, 0n, 3n * E8]);
    await core.connect(bob).supplyCollateral(id, 0, E18, bob.address);
    const [, , , cols] = await core.position(id, bob.address);
    expect(cols[0]).to.equal(E18);
    expect(cols[1]).to.equal(3n * E8);
    expect((await core.collateral(id, 1)).totalSupplied).to.equal(3n * E8);
    expect((await core.collateral(id, 0)).totalSupplied).to.equal(E18);
    expect(await weth.token.balanceOf(await core.getAddress())).to.equal(E18);
  });

  it("withdrawCollateral without debt sends any amount up to the balance to the receiver", async function () {
    const { core, weth, id, carol, dave } = await loadFixture(fundedMarketFixture);
    const tx = core.connect(carol).withdrawCollateral(id, 0, 4n * E18, carol.address, dave.address);
    await expect(tx)
      .to.emit(core, "WithdrawCollateral")
      .withArgs(id, carol.address, carol.address, dave.address, 0, 4n * E18);
    await expect(tx).to.changeTokenBalances(weth.token, [carol, dave, core], [0n, 4n * E18, -4n * E18]);
    await expect(core.connect(carol).withdrawCollateral(id, 0, 6n * E18 + 1n, carol.address, carol.address))
      .to.be.revertedWithCustomError(core, "InsufficientBalance")
      .withArgs(6n * E18, 6n * E18 + 1n);
    await core.connect(carol).withdrawCollateral(id, 0, 6n * E18, carol.address, carol.address);
    expect((await core.position(id, carol.address)).collaterals[0]).to.equal(0n);
    expect((await core.collateral(id, 0)).totalSupplied).to.equal(0n);
  });

  it("with debt, withdrawCollateral must keep the position within its LTV (exact boundary)", async function () {
    const { core, usdc, weth, id, carol } = await loadFixture(fundedMarketFixture);
    await core.connect(carol).borrow(id, 8_000n * U6, 0, carol.address, carol.address);
    // $8,000 debt at 80% LTV and $2,000/WETH needs 5 WETH; 10 held, so 5 may leave
    const ts = await nextTs();
    const m = await accruedMarket(core, id, ts);
    const shares = (await core.position(id, carol.address)).borrowShares;
    const debt = toAssetsUp(shares, m.totalBorrowAssets, m.totalBorrowShares);
    const debtValue = mulDivUp(debt, await usdc.adapter.price(), E18);
    const wethPrice = await weth.adapter.price();
    const left = 5n * E18 - 1n;
    const maxDebtValue = wMulDown(mulDivDown(left, wethPrice, E18), (await core.collateral(id, 0)).ltv);
    await expect(core.connect(carol).withdrawCollateral(id, 0, 5n * E18 + 1n, carol.address, carol.address))
      .to.be.revertedWithCustomError(core, "BorrowAboveLtv")
      .withArgs(id, carol.address, debtValue, maxDebtValue);
    // a tiny amount of interest accrues every second: leave 1e12 wei of margin
    await expect(
      core.connect(carol).withdrawCollateral(id, 0, 5n * E18 - 10n ** 12n, carol.address, carol.address),
    ).to.changeTokenBalance(weth.token, carol, 5n * E18 - 10n ** 12n);
  });

  it("withdraws on behalf only when authorized", async function () {
    const { core, weth, id, carol, dave } = await loadFixture(fundedMarketFixture);
    await expect(core.connect(dave).withdrawCollateral(id, 0, E18, carol.address, dave.address))
      .to.be.revertedWithCustomError(core, "Unauthorized")
      .withArgs(carol.address, dave.address);
    await core.connect(carol).setAuthorization(dave.address, true);
    await expect(core.connect(dave).withdrawCollateral(id, 0, E18, carol.address, dave.address)).to.changeTokenBalances(
      weth.token,
      [carol, dave],
      [0n, E18],
    );
    expect((await core.position(id, carol.address)).collaterals[0]).to.equal(9n * E18);
  });

  it("rejects an unknown index, zero amounts, zero addresses and unknown markets", async function () {
    const { core, id, carol } = await loadFixture(fundedMarketFixture);
    await expect(core.connect(carol).supplyCollateral(id, 2, E18, carol.address))
      .to.be.revertedWithCustomError(core, "InvalidCollateralIndex")
      .withArgs(id, 2);
    await expect(core.connect(carol).withdrawCollateral(id, 2, E18, carol.address, carol.address))
      .to.be.revertedWithCustomError(core, "InvalidCollateralIndex")
      .withArgs(id, 2);
    await expect(core.collateral(id, 8)).to.be.revertedWithCustomError(core, "InvalidCollateralIndex").withArgs(id, 8);
    await expect(core.connect(carol).supplyCollateral(id, 0, 0, carol.address)).to.be.revertedWithCustomError(
      core,
      "ZeroAmount",
    );
    await expect(
      core.connect(carol).withdrawCollateral(id, 0, 0, carol.address, carol.address),
    ).to.be.revertedWithCustomError(core, "ZeroAmount");
    await expect(core.connect(carol).supplyCollateral(id, 0, 1, ethers.ZeroAddress)).to.be.revertedWithCustomError(
      core,
      "ZeroAddress",
    );
    await expect(
      core.connect(carol).withdrawCollateral(id, 0, 1, carol.address, ethers.ZeroAddress),
    ).to.be.revertedWithCustomError(core, "ZeroAddress");
    await expect(core.connect(carol).supplyCollateral(2, 0, 1, carol.address))
      .to.be.revertedWithCustomError(core, "MarketNotCreated")
      .withArgs(2);
    expect((await core.position(id, carol.address)).collaterals[0]).to.equal(10n * E18);
  });
});
