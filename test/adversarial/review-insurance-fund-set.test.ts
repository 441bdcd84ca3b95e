/**
 * Review finding 15 (issue 13): `setInsuranceFund` checks the fund's asset, and a fund can be replaced when nothing
 * is owed between it and the market. The replacing call first pays the outgoing fund what the core holds for it (its
 * parked cash and premium, as far as the market's cash allows, issue 15); premium borrowers have not paid yet and a
 * pending shortfall still refuse it. The outgoing fund is retired.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { InsuranceFund__factory } from "../../typechain-types";
import type { InsuranceFund } from "../../typechain-types";
import { createMarket, wad } from "../../scripts/lib/protocol";
import {
  zeroRateFixture,
  accrueYearOfPremium,
  accrueOnce,
  fundAssetsDown,
  setPrice,
  txTime,
  U,
  E,
  YEAR,
  FLAT_10,
  type Fx,
} from "../helpers/liquidation-helpers";
import { accruedMarket, expectedCash, nextTs } from "../helpers/core-helpers";

async function newFund(f: Fx, asset: string, marketId = f.id): Promise<InsuranceFund> {
  const fund = await new InsuranceFund__factory(f.deployer).deploy(
    asset,
    await f.core.getAddress(),
    marketId,
    f.deployer.address,
    "Ballast insurance 2",
    "bINS2",
  );
  await fund.waitForDeployment();
  return fund;
}

/** Bob stakes 1,000 in the fund in place; a year of 10% on 50,000 leaves premium owed to it. */
async function stakedWithPremium() {
  const f = await zeroRateFixture();
  await f.fund.connect(f.bob).deposit(1_000n * U, f.bob.address);
  const acc = await accrueYearOfPremium(f);
  const next = await newFund(f, await f.usdc.token.getAddress());
  return { ...f, acc, next };
}

describe("Review finding 15: the insurance fund's asset, and replacing a fund", function () {
  it("rejects a fund whose asset is not the market's loan token", async function () {
    const f = await loadFixture(zeroRateFixture);
    const id2 = await createMarket(f.core, {
      loan: f.usdc,
      collaterals: [
        { asset: f.weth, ltv: wad("0.8"), liquidationThreshold: wad("0.85"), liquidationBonus: wad("0.05") },
      ],
    });
    const wethFund = await newFund(f, await f.weth.token.getAddress(), id2);
    await expect(f.core.setInsuranceFund(id2, await wethFund.getAddress()))
      .to.be.revertedWithCustomError(f.core, "InsuranceFundMismatch")
      .withArgs(await wethFund.getAddress());
    expect((await f.core.config(id2)).insuranceFund).to.equal(ethers.ZeroAddress);
    await expect(f.core.setInsuranceFund(id2, ethers.ZeroAddress)).to.be.revertedWithCustomError(f.core, "ZeroAddress");
  });

  it("a replacement first pays the outgoing fund what the core holds for it (stake and premium), then retires it", async function () {
    const f = await loadFixture(stakedWithPremium);
    const { core, id, fund, next, acc, usdc } = f;
    // The core holds Bob's parked stake and the year's premium for the fund in place; the fund holds no tokens.
    const held = 1_000n * U + acc.toPremium;
    expect((await core.market(id)).premiumOwed).to.equal(held);
    expect(await usdc.token.balanceOf(await fund.getAddress())).to.equal(0n);
    const tx = core.setInsuranceFund(id, await next.getAddress());
    await expect(tx)
      .to.emit(core, "PremiumClaimed")
      .withArgs(id, await fund.getAddress(), held);
    await expect(tx).to.changeTokenBalances(usdc.token, [fund, core], [held, -held]);
    await expect(tx).to.emit(fund, "Retired");
    expect((await core.config(id)).insuranceFund).to.equal(await next.getAddress());
    expect((await core.market(id)).premiumOwed).to.equal(0n);
    expect(await fund.retired()).to.equal(true);
    expect(await fund.grossAssets()).to.equal(held);
  });

  it("at a live rate, the premium accrued in the replacing call itself is paid to the outgoing fund too", async function () {
    const f = await loadFixture(stakedWithPremium);
    const { core, id, fund, next, usdc } = f;
    await core.setRateModel(id, FLAT_10);
    await time.increase(30n * 86_400n);
    const t = await nextTs();
    const owed = (await accruedMarket(core, id, t)).premiumOwed; // accrued by the call, before the payment
    expect(owed).to.be.gt((await core.market(id)).premiumOwed);
    const tx = core.setInsuranceFund(id, await next.getAddress());
    await expect(tx)
      .to.emit(core, "PremiumClaimed")
      .withArgs(id, await fund.getAddress(), owed);
    await expect(tx).to.changeTokenBalances(usdc.token, [fund, core], [owed, -owed]);
    expect((await core.config(id)).insuranceFund).to.equal(await next.getAddress());
    expect((await core.market(id)).premiumOwed).to.equal(0n);
  });

  it("refuses a replacement while premium is owed that borrowers have not paid (premiumOwed above the market's cash); once repaid, it passes", async function () {
    const f = await loadFixture(zeroRateFixture);
    const { core, id, fund, usdc, carol } = f;
    const next = await newFund(f, await usdc.token.getAddress());
    await fund.connect(f.bob).deposit(1_000n * U, f.bob.address); // parked: the core holds 1,000 for the fund
    // Carol borrows all 10,000 supplied, a year at 10%: the premium is interest still owed by her, not cash.
    const acc = await accrueOnce(f, {
      supplier: f.alice.address,
      borrower: carol.address,
      supplied: 10_000n * U,
      borrowed: 10_000n * U,
      colWeth: 40n * E,
      elapsed: YEAR,
    });
    const coreAddr = await core.getAddress();
    const fundAddr = await fund.getAddress();
    expect(acc.toPremium).to.be.gt(0n);
    expect((await core.market(id)).premiumOwed).to.equal(1_000n * U + acc.toPremium);
    expect(await expectedCash(core, id)).to.equal(1_000n * U); // the parked stake, the core's only tokens
    expect(await usdc.token.balanceOf(coreAddr)).to.equal(1_000n * U);
    // The call pays the 1,000 of cash back, then the unbacked premium still owed refuses it: all of it reverts.
    await expect(core.setInsuranceFund(id, await next.getAddress()))
      .to.be.revertedWithCustomError(core, "InsuranceFundOwed")
      .withArgs(id, acc.toPremium, 0n);
    expect((await core.config(id)).insuranceFund).to.equal(fundAddr);
    expect(await fund.retired()).to.equal(false);
    expect((await core.market(id)).premiumOwed).to.equal(1_000n * U + acc.toPremium);
    expect([await usdc.token.balanceOf(fundAddr), await usdc.token.balanceOf(coreAddr)]).to.deep.equal([
      0n,
      1_000n * U,
    ]);
    // Carol repays 2,000: the premium is backed by cash now, and the replacement pays all of it to the old fund.
    await core.connect(carol).repay(id, 2_000n * U, 0n, carol.address);
    const held = 1_000n * U + acc.toPremium;
    const tx = core.setInsuranceFund(id, await next.getAddress());
    await expect(tx).to.changeTokenBalances(usdc.token, [fund, core], [held, -held]);
    expect((await core.config(id)).insuranceFund).to.equal(await next.getAddress());
    expect((await core.market(id)).premiumOwed).to.equal(0n);
    expect(await fund.retired()).to.equal(true);
  });

  it("the retired fund keeps what it holds, counts no new premium, takes no deposit and lets stakers leave at once", async function () {
    const f = await loadFixture(stakedWithPremium);
    const { core, id, fund, next, bob, eve, acc } = f;
    await core.setInsuranceFund(id, await next.getAddress()); // pays the fund what the core held for it
    const held = 1_000n * U + acc.toPremium;
    expect(await f.usdc.token.balanceOf(await fund.getAddress())).to.equal(held);
    expect(await fund.totalAssets()).to.equal(held);
    // New premium belongs to the new fund only.
    await core.setRateModel(id, FLAT_10);
    await time.increase(30n * 86_400n);
    await core.accrueInterest(id);
    const owed = (await core.market(id)).premiumOwed;
    expect(owed).to.be.gt(0n);
    expect(await next.grossAssets()).to.equal(owed);
    expect([await fund.grossAssets(), await fund.totalAssets()]).to.deep.equal([held, held]);
    // No cooldown: every share may leave now, at the retired fund's own price.
    const shares = await fund.balanceOf(bob.address);
    expect(await fund.maxRedeem(bob.address)).to.equal(shares);
    expect([await fund.maxDeposit(eve.address), await fund.maxMint(eve.address)]).to.deep.equal([0n, 0n]);
    await expect(fund.connect(eve).deposit(1n * U, eve.address)).to.be.revertedWithCustomError(fund, "FundRetired");
    // Parking is a no-op once retired: what it holds stays with it, the new fund's premium untouched.
    await fund.park();
    expect(await f.usdc.token.balanceOf(await fund.getAddress())).to.equal(held);
    await expect(fund.connect(bob).redeem(shares, bob.address, bob.address)).to.changeTokenBalance(
      f.usdc.token,
      bob,
      fundAssetsDown(shares, held, shares),
    );
    expect((await core.market(id)).premiumOwed).to.equal(owed); // the retired fund never claims the new premium
    // The core cannot draw on it nor set it again.
    await expect(core.setInsuranceFund(id, await fund.getAddress()))
      .to.be.revertedWithCustomError(core, "InsuranceFundMismatch")
      .withArgs(await fund.getAddress());
    await expect(fund.retire()).to.be.revertedWithCustomError(fund, "OnlyCore");
  });

  it("refuses a replacement while a shortfall is pending, and the fund in place itself", async function () {
    const f = await loadFixture(zeroRateFixture);
    const { core, id, fund, carol } = f;
    const next = await newFund(f, await f.usdc.token.getAddress());
    await expect(core.setInsuranceFund(id, await fund.getAddress()))
      .to.be.revertedWithCustomError(core, "InsuranceFundMismatch")
      .withArgs(await fund.getAddress());
    await core.connect(f.alice).supply(id, 10_000n * U, 0, f.alice.address);
    await core.connect(carol).supplyCollateral(id, 0, E, carol.address);
    await core.connect(carol).borrow(id, 1_500n * U, 0, carol.address, carol.address);
    await setPrice(f.weth, "1000");
    const t = await txTime(await core.flagShortfall(id, carol.address));
    const pending = (await core.market(id)).pendingShortfall;
    expect(pending).to.be.gt(0n);
    await time.setNextBlockTimestamp(t + 1n);
    await expect(core.setInsuranceFund(id, await next.getAddress()))
      .to.be.revertedWithCustomError(core, "InsuranceFundOwed")
      .withArgs(id, 0n, pending);
    expect((await core.config(id)).insuranceFund).to.equal(await fund.getAddress());
  });
});
