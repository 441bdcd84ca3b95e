import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { fundDepositsOpen, fundRedeemable } from "../../sdk";
import { zeroRateFixture, setPrice, U, B } from "../helpers/liquidation-helpers";

describe("SDK math: insurance fund cooldown and deposit rules equal the fund's", function () {
  it("fundRedeemable equals maxRedeem around the unstake window, with shares received after the cooldown", async function () {
    const f = await loadFixture(zeroRateFixture);
    const { fund, bob, eve } = f;
    await fund.connect(bob).deposit(1_000n * U, bob.address);
    await fund.connect(eve).deposit(10n * U, eve.address);
    await fund.connect(bob).cooldown((await fund.balanceOf(bob.address)) / 3n);
    await fund.connect(eve).transfer(bob.address, 5n); // received later: never redeemable in this window
    const [period, window] = [await fund.cooldownPeriod(), await fund.unstakeWindow()];
    const snap = await fund.cooldowns(bob.address);
    for (const dt of [period - 1n, period, period + window, period + window + 1n]) {
      await time.increaseTo(snap.start + dt);
      const now = BigInt(await time.latest());
      const sdk = fundRedeemable({ shares: snap.shares, start: snap.start }, now, period, window);
      expect(sdk).to.equal(await fund.maxRedeem(bob.address));
      expect(sdk === 0n).to.equal(dt < period || dt > period + window);
    }
  });

  it("fundDepositsOpen equals maxDeposit != 0 before and after a shortfall is flagged", async function () {
    const f = await loadFixture(zeroRateFixture);
    const { core, id, fund, eve } = f;
    await core.connect(f.alice).supply(id, 100_000n * U, 0, f.alice.address);
    await core.connect(f.dave).supplyCollateral(id, 1, B / 10n, f.dave.address);
    await core.connect(f.dave).borrow(id, 4_499n * U, 0, f.dave.address, f.dave.address);
    expect(fundDepositsOpen(await core.market(id))).to.equal(true);
    expect(await fund.maxDeposit(eve.address)).to.equal(ethers.MaxUint256);
    await setPrice(f.wbtc, "30000");
    await core.flagShortfall(id, f.dave.address);
    expect(fundDepositsOpen(await core.market(id))).to.equal(false);
    expect(await fund.maxDeposit(eve.address)).to.equal(0n);
  });
});
