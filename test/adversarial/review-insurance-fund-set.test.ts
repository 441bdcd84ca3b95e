/**
 * Review finding 15 (issue 13): `setInsuranceFund` checks the fund's asset, and a fund can be replaced when nothing
 * is owed between it and the market (no premium owed, no pending shortfall); the outgoing fund is retired.
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
  fundAssetsDown,
  setPrice,
  txTime,
  U,
  E,
  YEAR,
  FLAT_10,
  type Fx,
} from "../helpers/liquidation-helpers";

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

  it("refuses a replacement while premium is owed to the fund in place; settled in the same call, it passes", async function () {
    const f = await loadFixture(stakedWithPremium);
    const { core, id, fund, next, acc } = f;
    await expect(core.setInsuranceFund(id, await next.getAddress()))
      .to.be.revertedWithCustomError(core, "InsuranceFundOwed")
      .withArgs(id, acc.toPremium, 0n);
    // Premium keeps accruing at a live rate: the admin claims it and replaces the fund in one multicall.
    await core.setRateModel(id, FLAT_10);
    await time.increase(30n * 86_400n);
    const calls = [
      core.interface.encodeFunctionData("claimPremium", [id]),
      core.interface.encodeFunctionData("setInsuranceFund", [id, await next.getAddress()]),
    ];
    const tx = core.multicall(calls);
    await expect(tx).to.emit(fund, "Retired");
    await expect(tx)
      .to.emit(core, "InsuranceFundSet")
      .withArgs(id, await next.getAddress());
    expect((await core.config(id)).insuranceFund).to.equal(await next.getAddress());
    expect((await core.market(id)).premiumOwed).to.equal(0n);
    expect(await fund.retired()).to.equal(true);
  });

  it("the retired fund keeps what it holds, counts no new premium, takes no deposit and lets stakers leave at once", async function () {
    const f = await loadFixture(stakedWithPremium);
    const { core, id, fund, next, bob, eve, acc } = f;
    await core.claimPremium(id);
    await core.setInsuranceFund(id, await next.getAddress());
    const held = 1_000n * U + acc.toPremium;
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
    await expect(fund.connect(bob).redeem(shares, bob.address, bob.address)).to.changeTokenBalance(
      f.usdc.token,
      bob,
      fundAssetsDown(shares, held, shares),
    );
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
