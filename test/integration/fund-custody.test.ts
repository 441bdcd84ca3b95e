import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "../helpers/fixtures";
import {
  deployUnregisteredFund,
  stakedFundFixture as stakedFixture,
  type StakedFx as Fx,
} from "../helpers/fund-helpers";

const U = 10n ** 6n;

async function balances(f: Fx) {
  return {
    fund: await f.usdc.token.balanceOf(await f.fund.getAddress()),
    core: await f.usdc.token.balanceOf(await f.core.getAddress()),
    held: (await f.core.market(f.id)).premiumOwed,
  };
}

describe("Insurance fund custody: idle cash parked in the core (issue 15)", function () {
  it("a stake is parked at once: the fund holds no tokens, the core holds them for it, its price is unchanged", async function () {
    const f = await loadFixture(deployMarketFixture);
    const before = await balances(f as Fx);
    await expect(f.fund.connect(f.bob).deposit(10_000n * U, f.bob.address))
      .to.emit(f.core, "FundCashStored")
      .withArgs(f.id, await f.fund.getAddress(), 10_000n * U);
    const after = await balances(f as Fx);
    expect(after.fund).to.equal(0n);
    expect(after.core - before.core).to.equal(10_000n * U);
    expect(after.held - before.held).to.equal(10_000n * U);
    expect(await f.fund.grossAssets()).to.equal(after.held);
    expect(await f.fund.totalAssets()).to.equal(10_000n * U);
  });

  it("nobody but the fund moves its parked cash: claimPremium and storeFund revert NotInsuranceFund, nothing changes", async function () {
    const f = await loadFixture(stakedFixture);
    const before = await balances(f);
    await expect(f.core.connect(f.eve).claimPremium(f.id))
      .to.be.revertedWithCustomError(f.core, "NotInsuranceFund")
      .withArgs(f.id, f.eve.address);
    await expect(f.core.connect(f.eve).storeFund(f.id, 1n))
      .to.be.revertedWithCustomError(f.core, "NotInsuranceFund")
      .withArgs(f.id, f.eve.address);
    await expect(f.core.connect(f.eve).storeFund(99n, 1n))
      .to.be.revertedWithCustomError(f.core, "NotInsuranceFund")
      .withArgs(99n, f.eve.address);
    expect(await balances(f)).to.deep.equal(before);
  });

  it("tokens sent to the fund directly count once parked; anyone may park them", async function () {
    const f = await loadFixture(stakedFixture);
    const fundAddr = await f.fund.getAddress();
    const maxDrawBefore = await f.fund.maxDraw();
    await f.usdc.token.connect(f.eve).transfer(fundAddr, 1_000n * U);
    const loose = await balances(f);
    expect(loose.fund).to.equal(1_000n * U);
    expect(await f.fund.grossAssets()).to.equal(loose.held + 1_000n * U); // the share price counts them at once
    // ...but a draw does not reach them until parked, and neither do the draw views the core prices exits with
    // (review: views counting them let a staker who is also a supplier inflate `least` with a donation).
    expect(await f.fund.maxDraw()).to.equal(maxDrawBefore);
    await expect(f.fund.connect(f.eve).park())
      .to.emit(f.core, "FundCashStored")
      .withArgs(f.id, fundAddr, 1_000n * U);
    const parked = await balances(f);
    expect(parked.fund).to.equal(0n);
    expect(parked.held - loose.held).to.equal(1_000n * U);
    expect(await f.fund.maxDraw()).to.equal((maxDrawBefore * 11_000n) / 10_000n); // 30% of 11,000 instead of 10,000
    await expect(f.fund.connect(f.eve).park()).not.to.emit(f.core, "FundCashStored"); // nothing idle: a no-op
  });

  it("a stake made before registration is parked when the core registers the fund", async function () {
    const f = await loadFixture(stakedFixture);
    const next = await deployUnregisteredFund(f);
    const nextAddr = await next.getAddress();
    await f.usdc.token.connect(f.carol).approve(nextAddr, ethers.MaxUint256);
    await next.connect(f.carol).deposit(2_000n * U, f.carol.address);
    expect(await f.usdc.token.balanceOf(nextAddr)).to.equal(2_000n * U); // not the market's fund yet: kept
    const oldAddr = await f.fund.getAddress();
    const held = (await f.core.market(f.id)).premiumOwed;
    await expect(f.core.setInsuranceFund(f.id, nextAddr))
      .to.emit(f.core, "PremiumClaimed")
      .withArgs(f.id, oldAddr, held)
      .and.to.emit(f.core, "FundCashStored")
      .withArgs(f.id, nextAddr, 2_000n * U);
    expect(await f.usdc.token.balanceOf(oldAddr)).to.equal(held); // the outgoing fund got its cash back
    expect(await f.fund.retired()).to.equal(true);
    expect(await f.usdc.token.balanceOf(nextAddr)).to.equal(0n);
    expect((await f.core.market(f.id)).premiumOwed).to.equal(2_000n * U);
    // The retired fund's stakers leave at once from what it now holds.
    const shares = await f.fund.balanceOf(f.bob.address);
    await f.fund.connect(f.bob).redeem(shares, f.bob.address, f.bob.address);
    expect(await f.usdc.token.balanceOf(oldAddr)).to.be.lessThan(2n); // virtual-share dust at most
  });

  it("an exit claims from the core, pays the staker and parks the rest: what the core holds falls by the payout", async function () {
    const f = await loadFixture(stakedFixture);
    await f.fund.connect(f.bob).cooldown(await f.fund.balanceOf(f.bob.address));
    await ethers.provider.send("evm_increaseTime", [10 * 86400 + 1]);
    const before = await balances(f);
    const bobBefore = await f.usdc.token.balanceOf(f.bob.address);
    await f.fund.connect(f.bob).withdraw(4_000n * U, f.bob.address, f.bob.address);
    const after = await balances(f);
    expect((await f.usdc.token.balanceOf(f.bob.address)) - bobBefore).to.equal(4_000n * U);
    expect(after.fund).to.equal(0n);
    expect(before.held - after.held).to.equal(4_000n * U);
    expect(before.core - after.core).to.equal(4_000n * U);
  });

  it("a bad-debt draw moves no token out of the fund: what the core holds for it falls by exactly the draw", async function () {
    const f = await loadFixture(stakedFixture);
    await f.core.connect(f.alice).supply(f.id, 100_000n * U, 0, f.alice.address);
    await f.core.connect(f.carol).supplyCollateral(f.id, 0, 10n ** 18n, f.carol.address); // 1 WETH = $2,000
    await f.core.connect(f.carol).borrow(f.id, 1_500n * U, 0, f.carol.address, f.carol.address);
    await f.weth.feed.updateAnswer(1_000n * 10n ** 8n); // -50%: the collateral cannot cover the debt
    const before = await balances(f);
    const maxDraw = await f.fund.maxDraw();
    const tx = await f.core.connect(f.dave).liquidate(f.id, f.carol.address, 0, 2n ** 255n, f.dave.address, "0x");
    const receipt = (await tx.wait())!;
    const realized = receipt.logs
      .map((l) => {
        try {
          return f.core.interface.parseLog(l);
        } catch {
          return null;
        }
      })
      .find((e) => e?.name === "BadDebtRealized")!;
    const fromInsurance: bigint = realized.args.fromInsurance;
    expect(fromInsurance).to.be.greaterThan(0n);
    expect(fromInsurance).to.be.at.most(maxDraw);
    await expect(tx).to.emit(f.fund, "Drawn").withArgs(fromInsurance, fromInsurance, fromInsurance);
    const fundAddr = (await f.fund.getAddress()).toLowerCase();
    const transfersFromFund = receipt.logs.filter(
      (l) => l.topics[0] === ethers.id("Transfer(address,address,uint256)") && l.topics[1]?.endsWith(fundAddr.slice(2)),
    );
    expect(transfersFromFund).to.have.length(0);
    const after = await balances(f);
    expect(after.fund).to.equal(0n);
    expect(before.held - after.held).to.equal(fromInsurance);
    expect(await f.fund.grossAssets()).to.equal(after.held);
  });

  it("reserves booked from unpaid interest cannot be withdrawn with the fund's parked stake (review of the custody)", async function () {
    // Full utilization for a year: the reserves are interest carol has not paid, and the only tokens the core holds
    // for the market are bob's parked stake. Before the fix withdrawReserves counted that stake as the market's cash.
    const f = await loadFixture(stakedFixture);
    await f.core.connect(f.alice).supply(f.id, 100_000n * U, 0, f.alice.address);
    await f.core.connect(f.carol).supplyCollateral(f.id, 0, 100n * 10n ** 18n, f.carol.address); // $200,000
    await f.core.connect(f.carol).borrow(f.id, 100_000n * U, 0, f.carol.address, f.carol.address);
    await ethers.provider.send("evm_increaseTime", [365 * 86400]);
    await f.core.accrueInterest(f.id);
    const m = await f.core.market(f.id);
    expect(m.reserves).to.be.greaterThan(10_000n * U);
    expect(await f.usdc.token.balanceOf(await f.core.getAddress())).to.equal(10_000n * U); // bob's stake only
    // cash - premiumOwed = supplied + reserves - borrowed, floored at 0: the cash the fund has no claim on
    const backed = m.totalSupplyAssets + m.reserves;
    const free = backed > m.totalBorrowAssets ? backed - m.totalBorrowAssets : 0n;
    await expect(f.core.withdrawReserves(f.id, 10_000n * U, f.deployer.address))
      .to.be.revertedWithCustomError(f.core, "InsufficientLiquidity")
      .withArgs(f.id, free, 10_000n * U);
    // bob's stake is intact: after the cooldown he takes it all back (less virtual-share rounding).
    await f.fund.connect(f.bob).cooldown(await f.fund.balanceOf(f.bob.address));
    await ethers.provider.send("evm_increaseTime", [10 * 86400 + 1]);
    const bobBefore = await f.usdc.token.balanceOf(f.bob.address);
    await f.fund.connect(f.bob).withdraw(10_000n * U, f.bob.address, f.bob.address);
    expect((await f.usdc.token.balanceOf(f.bob.address)) - bobBefore).to.equal(10_000n * U);
  });
});
