import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { FeeOnTransferToken__factory, HookToken__factory, NoReturnToken__factory } from "../../typechain-types";
import { deployMarketFixture } from "../helpers/fixtures";
import { E18, U6, VIRTUAL_SHARES, createMarketFrom, deployAdapterFor, marketParams } from "../helpers/core-helpers";

async function tokensFixture() {
  const f = await deployMarketFixture();
  const { core, deployer, usdc, weth, alice, carol, eve } = f;
  const coreAddr = await core.getAddress();
  const wethCol = { token: await weth.token.getAddress(), adapter: await weth.adapter.getAddress() };
  const usdcAddr = await usdc.token.getAddress();
  const usdcAdapter = await usdc.adapter.getAddress();

  // USDT-style tokens (no return values): one as a loan asset, one as a collateral
  const usdt = await new NoReturnToken__factory(deployer).deploy();
  const usdtPrice = await deployAdapterFor(deployer, await usdt.getAddress(), "1", 8, 90000);
  const nrCol = await new NoReturnToken__factory(deployer).deploy();
  const nrColPrice = await deployAdapterFor(deployer, await nrCol.getAddress(), "1");
  const usdtMarket = await createMarketFrom(
    core,
    marketParams(await usdt.getAddress(), await usdtPrice.adapter.getAddress(), [wethCol]),
  );
  const nrColMarket = await createMarketFrom(
    core,
    marketParams(usdcAddr, usdcAdapter, [
      { token: await nrCol.getAddress(), adapter: await nrColPrice.adapter.getAddress() },
    ]),
  );

  // fee-on-transfer: as loan and as collateral
  const fot = await new FeeOnTransferToken__factory(deployer).deploy();
  const fotPrice = await deployAdapterFor(deployer, await fot.getAddress(), "1");
  const fotLoanMarket = await createMarketFrom(
    core,
    marketParams(await fot.getAddress(), await fotPrice.adapter.getAddress(), [wethCol]),
  );
  const fotColMarket = await createMarketFrom(
    core,
    marketParams(usdcAddr, usdcAdapter, [
      { token: await fot.getAddress(), adapter: await fotPrice.adapter.getAddress() },
    ]),
  );

  // hook token (re-enters on transfer) as a loan asset
  const hook = await new HookToken__factory(deployer).deploy();
  const hookPrice = await deployAdapterFor(deployer, await hook.getAddress(), "1");
  const hookMarket = await createMarketFrom(
    core,
    marketParams(await hook.getAddress(), await hookPrice.adapter.getAddress(), [wethCol]),
  );

  for (const s of [alice, carol, eve]) {
    await usdt.mint(s.address, 10n ** 18n);
    await usdt.connect(s).approve(coreAddr, ethers.MaxUint256);
    await nrCol.mint(s.address, 10n ** 18n);
    await nrCol.connect(s).approve(coreAddr, ethers.MaxUint256);
    await fot.mint(s.address, 10n ** 30n);
    await fot.connect(s).approve(coreAddr, ethers.MaxUint256);
    await hook.mint(s.address, 10n ** 30n);
    await hook.connect(s).approve(coreAddr, ethers.MaxUint256);
  }
  return { ...f, usdt, nrCol, fot, hook, usdtMarket, nrColMarket, fotLoanMarket, fotColMarket, hookMarket };
}

describe("integration: token behaviours", function () {
  it("a USDT-style token without return values works as the loan asset: supply, borrow, repay, withdraw", async function () {
    const { core, usdt, usdtMarket: id, alice, carol } = await loadFixture(tokensFixture);
    await expect(core.connect(alice).supply(id, 10_000n * U6, 0, alice.address))
      .to.emit(core, "Supply")
      .withArgs(id, alice.address, alice.address, 10_000n * U6, 10_000n * U6 * VIRTUAL_SHARES);
    await core.connect(carol).supplyCollateral(id, 0, E18, carol.address);
    await expect(core.connect(carol).borrow(id, 1_000n * U6, 0, carol.address, carol.address)).to.changeTokenBalances(
      usdt,
      [carol, core],
      [1_000n * U6, -1_000n * U6],
    );
    const shares = (await core.position(id, carol.address)).borrowShares;
    await core.connect(carol).repay(id, 0, shares, carol.address);
    expect((await core.position(id, carol.address)).borrowShares).to.equal(0n);
    const m = await core.market(id);
    expect(m.totalBorrowAssets).to.equal(0n);
    // the repay paid the debt rounded up (interest of 2 seconds), so the core holds supplied + reserves
    expect(await usdt.balanceOf(await core.getAddress())).to.equal(m.totalSupplyAssets + m.reserves + m.premiumOwed);
    const aliceShares = (await core.position(id, alice.address)).supplyShares;
    await expect(core.connect(alice).withdraw(id, 0, aliceShares, alice.address, alice.address)).to.emit(
      core,
      "Withdraw",
    );
    expect(await usdt.balanceOf(await core.getAddress())).to.equal(
      (await core.market(id)).totalSupplyAssets + (await core.market(id)).reserves,
    );
  });

  it("a USDT-style token works as collateral: supplyCollateral and withdrawCollateral", async function () {
    const { core, nrCol, nrColMarket: id, carol } = await loadFixture(tokensFixture);
    await expect(core.connect(carol).supplyCollateral(id, 0, 500n * U6, carol.address)).to.changeTokenBalances(
      nrCol,
      [carol, core],
      [-500n * U6, 500n * U6],
    );
    await expect(core.connect(carol).withdrawCollateral(id, 0, 200n * U6, carol.address, carol.address))
      .to.emit(core, "WithdrawCollateral")
      .withArgs(id, carol.address, carol.address, carol.address, 0, 200n * U6);
    expect(await nrCol.balanceOf(await core.getAddress())).to.equal(300n * U6);
    expect((await core.position(id, carol.address)).collaterals[0]).to.equal(300n * U6);
  });

  it("a fee-on-transfer token is rejected with FeeOnTransferNotSupported, as loan asset and as collateral", async function () {
    const { core, fot, fotLoanMarket, fotColMarket, alice, carol } = await loadFixture(tokensFixture);
    const amount = 1_000n * E18;
    const received = amount - amount / 100n;
    await expect(core.connect(alice).supply(fotLoanMarket, amount, 0, alice.address))
      .to.be.revertedWithCustomError(core, "FeeOnTransferNotSupported")
      .withArgs(await fot.getAddress(), amount, received);
    await expect(core.connect(carol).supplyCollateral(fotColMarket, 0, amount, carol.address))
      .to.be.revertedWithCustomError(core, "FeeOnTransferNotSupported")
      .withArgs(await fot.getAddress(), amount, received);
    expect((await core.market(fotLoanMarket)).totalSupplyAssets).to.equal(0n);
    expect((await core.collateral(fotColMarket, 0)).totalSupplied).to.equal(0n);
    expect(await fot.balanceOf(await core.getAddress())).to.equal(0n);
  });

  it("a hook token re-entering withdraw during the withdraw transfer fails and gains nothing", async function () {
    const { core, hook, hookMarket: id, alice, eve } = await loadFixture(tokensFixture);
    await core.connect(alice).supply(id, 10_000n * E18, 0, alice.address);
    await core.connect(eve).supply(id, 1_000n * E18, 0, eve.address);
    // eve lets the token act for her, and arms it to withdraw her balance again mid-transfer
    await core.connect(eve).setAuthorization(await hook.getAddress(), true);
    const reenter = core.interface.encodeFunctionData("withdraw", [id, 1_000n * E18, 0, eve.address, eve.address]);
    await hook.connect(eve).arm(await core.getAddress(), reenter);
    const tx = core.connect(eve).withdraw(id, 1_000n * E18, 0, eve.address, eve.address);
    await expect(tx)
      .to.emit(core, "Withdraw")
      .withArgs(id, eve.address, eve.address, eve.address, 1_000n * E18, 1_000n * E18 * VIRTUAL_SHARES);
    await expect(tx).to.changeTokenBalances(hook, [eve, core], [1_000n * E18, -1_000n * E18]);
    expect(await hook.lastHookSucceeded()).to.equal(false);
    expect(await hook.lastHookReturn()).to.equal(core.interface.getError("ReentrancyGuardReentrantCall")!.selector);
    expect((await core.position(id, eve.address)).supplyShares).to.equal(0n);
    expect((await core.position(id, alice.address)).supplyShares).to.equal(10_000n * E18 * VIRTUAL_SHARES);
    expect(await hook.balanceOf(await core.getAddress())).to.equal(10_000n * E18);
    expect((await core.market(id)).totalSupplyAssets).to.equal(10_000n * E18);
  });

  it("a hook token re-entering withdraw during the supply pull (shares credited, not yet paid) fails", async function () {
    const { core, hook, hookMarket: id, alice, eve } = await loadFixture(tokensFixture);
    await core.connect(alice).supply(id, 10_000n * E18, 0, alice.address);
    await core.connect(eve).setAuthorization(await hook.getAddress(), true);
    const reenter = core.interface.encodeFunctionData("withdraw", [id, 1_000n * E18, 0, eve.address, eve.address]);
    await hook.connect(eve).arm(await core.getAddress(), reenter);
    const tx = core.connect(eve).supply(id, 1_000n * E18, 0, eve.address);
    await expect(tx).to.changeTokenBalances(hook, [eve, core], [-1_000n * E18, 1_000n * E18]);
    expect(await hook.lastHookSucceeded()).to.equal(false);
    expect(await hook.lastHookReturn()).to.equal(core.interface.getError("ReentrancyGuardReentrantCall")!.selector);
    expect((await core.position(id, eve.address)).supplyShares).to.equal(1_000n * E18 * VIRTUAL_SHARES);
    expect((await core.market(id)).totalSupplyAssets).to.equal(11_000n * E18);
    expect(await hook.balanceOf(await core.getAddress())).to.equal(11_000n * E18);
  });

  it("a hook token re-entering borrow during a borrow transfer fails: the debt is booked once", async function () {
    const { core, hook, hookMarket: id, alice, eve } = await loadFixture(tokensFixture);
    await core.connect(alice).supply(id, 10_000n * E18, 0, alice.address);
    await core.connect(eve).supplyCollateral(id, 0, E18, eve.address); // $2,000 of WETH, 80% LTV
    await core.connect(eve).setAuthorization(await hook.getAddress(), true);
    const reenter = core.interface.encodeFunctionData("borrow", [id, 1_000n * E18, 0, eve.address, eve.address]);
    await hook.connect(eve).arm(await core.getAddress(), reenter);
    const tx = core.connect(eve).borrow(id, 1_000n * E18, 0, eve.address, eve.address);
    await expect(tx).to.changeTokenBalances(hook, [eve, core], [1_000n * E18, -1_000n * E18]);
    expect(await hook.lastHookSucceeded()).to.equal(false);
    expect(await hook.lastHookReturn()).to.equal(core.interface.getError("ReentrancyGuardReentrantCall")!.selector);
    expect((await core.position(id, eve.address)).borrowShares).to.equal(1_000n * E18 * VIRTUAL_SHARES);
    expect((await core.market(id)).totalBorrowAssets).to.equal(1_000n * E18);
  });
});
