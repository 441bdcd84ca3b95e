/**
 * Review findings on the insurance fund (issue 13): the cooldown per amount (finding 2), deposits while a shortfall
 * is pending (finding 3), and the premium suspicions (a deposit / accrue / redeem sandwich; premium accrued before
 * the first stake). Each exploit test failed on the unfixed code (see docs/SECURITY-REVIEW.md).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import type { InsuranceFund } from "../../typechain-types";
import { fundExitKeepsCover } from "../../sdk";
import {
  zeroRateFixture,
  accrueYearOfPremium,
  setPrice,
  repaidForAll,
  adapterPrice,
  feedAnswer,
  fundAssetsDown,
  refreshFeeds,
  fundSharesDown,
  fundMaxDraw,
  waterfall,
  txTime,
  U,
  B,
  E,
  MAX,
  YEAR,
  USDC_PRICE,
  FLAT_10,
  type Fx,
} from "../helpers/liquidation-helpers";
import { impersonate } from "../helpers/impersonate";
import { accruedMarket, nextTs } from "../helpers/core-helpers";

const DAY = 86_400n;
const COOLDOWN = 10n * DAY;
const BTC_BONUS = 7n * 10n ** 16n;

/** Puts `shares` of the caller's fund shares in cooldown; returns the block time. */
async function cool(fund: InsuranceFund, s: Signer, shares: bigint): Promise<bigint> {
  return txTime(await fund.connect(s).cooldown(shares));
}

/** The cooldown snapshot of `s`: [shares cooling, start]. */
async function cooling(fund: InsuranceFund, s: Signer): Promise<bigint[]> {
  const c = await fund.cooldowns(await s.getAddress());
  return [c.shares, c.start];
}

/** Alice supplies 100,000; Dave borrows 4,499 against 0.1 WBTC (bad debt once WBTC is at $30,000). */
async function crashReady(f: Fx) {
  await f.core.connect(f.alice).supply(f.id, 100_000n * U, 0, f.alice.address);
  await f.core.connect(f.dave).supplyCollateral(f.id, 1, B / 10n, f.dave.address);
  await f.core.connect(f.dave).borrow(f.id, 4_499n * U, 0, f.dave.address, f.dave.address);
  const repaid = repaidForAll(B / 10n, USDC_PRICE, adapterPrice(feedAnswer("30000"), 8), BTC_BONUS);
  return { bad: 4_499n * U - repaid };
}

describe("Review: insurance fund cooldown, deposits and premium", function () {
  describe("finding 2: the cooldown is per amount", function () {
    it("shares minted after a cooldown do not join it: a cooled dust stake cannot carry a deposit out before a draw", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { fund, bob, eve, core, id, frank } = f;
      const { bad } = await crashReady(f);
      await fund.connect(bob).deposit(10_000n * U, bob.address);
      // Eve keeps 1 USDC cooled, and stakes 10,000 once her window is open.
      await fund.connect(eve).deposit(1n * U, eve.address);
      const dust = await fund.balanceOf(eve.address);
      const t = await cool(fund, eve, dust);
      await time.setNextBlockTimestamp(t + COOLDOWN);
      await refreshFeeds(f);
      await fund.connect(eve).deposit(10_000n * U, eve.address);
      const all = await fund.balanceOf(eve.address);
      // The crash is visible; nobody has flagged it yet. Eve tries to leave with everything.
      await setPrice(f.wbtc, "30000");
      await expect(fund.connect(eve).redeem(all, eve.address, eve.address))
        .to.be.revertedWithCustomError(fund, "CooldownSharesExceeded")
        .withArgs(eve.address, dust, all);
      expect(await fund.maxRedeem(eve.address)).to.equal(dust);
      await fund.connect(eve).redeem(dust, eve.address, eve.address); // only the cooled amount leaves
      // The draw falls on both stakes pro rata.
      const gross = await fund.totalAssets();
      const drawn = waterfall(bad, 0n, 0n, fundMaxDraw(gross)).fromInsurance;
      await core.connect(frank).liquidate(id, f.dave.address, 1, MAX, frank.address, "0x");
      const supply = await fund.totalSupply();
      const bobShares = await fund.balanceOf(bob.address);
      const eveShares = await fund.balanceOf(eve.address);
      const left = gross - drawn;
      expect(await fund.totalAssets()).to.equal(left);
      expect(await fund.previewRedeem(eveShares)).to.equal(fundAssetsDown(eveShares, left, supply));
      expect(await fund.previewRedeem(bobShares)).to.equal(fundAssetsDown(bobShares, left, supply));
      expect(await fund.previewRedeem(eveShares)).to.be.lt(10_000n * U - (drawn * 49n) / 100n);
    });

    it("an incoming transfer never resets the receiver's cooldown: 1 share cannot lock a staker", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { fund, bob, eve } = f;
      await fund.connect(bob).deposit(1_000n * U, bob.address);
      await fund.connect(eve).deposit(10n * U, eve.address);
      const shares = await fund.balanceOf(bob.address);
      const t = await cool(fund, bob, shares);
      await time.setNextBlockTimestamp(t + 9n * DAY);
      await fund.connect(eve).transfer(bob.address, 1n);
      expect(await cooling(fund, bob)).to.deep.equal([shares, t]);
      const supply = await fund.totalSupply();
      await time.setNextBlockTimestamp(t + COOLDOWN);
      await expect(fund.connect(bob).redeem(shares, bob.address, bob.address)).to.changeTokenBalance(
        f.usdc.token,
        bob,
        fundAssetsDown(shares, 1_010n * U, supply),
      );
      // The share that arrived is not cooled: it stays until its own cooldown.
      expect(await fund.balanceOf(bob.address)).to.equal(1n);
      expect(await fund.maxRedeem(bob.address)).to.equal(0n);
      await expect(fund.connect(bob).redeem(1n, bob.address, bob.address))
        .to.be.revertedWithCustomError(fund, "CooldownNotStarted")
        .withArgs(bob.address);
    });

    it("shares sent out of a cooling balance leave the cooldown: a fresh receiver gets no cooled amount", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { fund, bob, carol } = f;
      await fund.connect(bob).deposit(1_000n * U, bob.address);
      const shares = await fund.balanceOf(bob.address);
      const t = await cool(fund, bob, shares);
      const sent = (shares * 6n) / 10n;
      await expect(fund.connect(bob).transfer(carol.address, sent))
        .to.emit(fund, "CooldownReduced")
        .withArgs(bob.address, shares - sent);
      expect(await cooling(fund, bob)).to.deep.equal([shares - sent, t]);
      expect(await cooling(fund, carol)).to.deep.equal([0n, 0n]);
      // Sending back does not restore it, and a partial cooldown under the balance is kept whole.
      await fund.connect(carol).transfer(bob.address, sent);
      expect((await cooling(fund, bob))[0]).to.equal(shares - sent);
      await time.setNextBlockTimestamp(t + COOLDOWN);
      await expect(fund.connect(carol).redeem(1n, carol.address, carol.address))
        .to.be.revertedWithCustomError(fund, "CooldownNotStarted")
        .withArgs(carol.address);
      await expect(fund.connect(bob).redeem(shares - sent + 1n, bob.address, bob.address))
        .to.be.revertedWithCustomError(fund, "CooldownSharesExceeded")
        .withArgs(bob.address, shares - sent, shares - sent + 1n);
      await expect(fund.connect(bob).redeem(shares - sent, bob.address, bob.address)).to.emit(fund, "Withdraw");
      expect(await cooling(fund, bob)).to.deep.equal([0n, 0n]);
    });

    it("partial redemptions in the window use up the cooled amount; maxRedeem and maxWithdraw follow it", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { fund, bob } = f;
      await fund.connect(bob).deposit(1_000n * U, bob.address);
      const shares = await fund.balanceOf(bob.address);
      const cooled = (shares * 7n) / 10n;
      await expect(fund.connect(bob).cooldown(shares + 1n))
        .to.be.revertedWithCustomError(fund, "CooldownSharesExceeded")
        .withArgs(bob.address, shares, shares + 1n);
      await expect(fund.connect(bob).cooldown(0n)).to.be.revertedWithCustomError(fund, "NothingToStake");
      const t = await txTime(await fund.connect(bob).cooldown(cooled));
      await time.increaseTo(t + COOLDOWN);
      const supply = shares;
      expect(await fund.maxRedeem(bob.address)).to.equal(cooled);
      expect(await fund.maxWithdraw(bob.address)).to.equal(fundAssetsDown(cooled, 1_000n * U, supply));
      const first = cooled / 4n;
      await fund.connect(bob).redeem(first, bob.address, bob.address);
      expect(await fund.maxRedeem(bob.address)).to.equal(cooled - first);
      const maxW = await fund.maxWithdraw(bob.address);
      // At this exact price (1e6 shares per unit) maxWithdraw converts back to the whole cooled rest.
      expect(await fund.previewWithdraw(maxW)).to.equal(cooled - first);
      await expect(fund.connect(bob).withdraw(maxW + 1n, bob.address, bob.address))
        .to.be.revertedWithCustomError(fund, "CooldownSharesExceeded")
        .withArgs(bob.address, cooled - first, await fund.previewWithdraw(maxW + 1n));
      await expect(fund.connect(bob).withdraw(maxW, bob.address, bob.address))
        .to.emit(fund, "CooldownReduced")
        .withArgs(bob.address, 0n);
      // The cooled amount is used up; the uncooled 30% stays until its own cooldown.
      expect(await cooling(fund, bob)).to.deep.equal([0n, 0n]);
      expect(await fund.balanceOf(bob.address)).to.equal(shares - cooled);
      expect(await fund.maxRedeem(bob.address)).to.equal(0n);
      await expect(fund.connect(bob).redeem(1n, bob.address, bob.address))
        .to.be.revertedWithCustomError(fund, "CooldownNotStarted")
        .withArgs(bob.address);
    });
  });

  describe("finding 3: no fund deposit while a shortfall is pending beyond reserves", function () {
    it("deposit and mint revert DepositDuringShortfall; stakers' and suppliers' prices do not move", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { fund, bob, eve, core, id, frank } = f;
      await crashReady(f);
      // 4,000 staked: the 1,695 pending is above the fund's 30% per-event cap, so the fund's size sets the draw.
      await fund.connect(bob).deposit(4_000n * U, bob.address);
      const bobShares = await fund.balanceOf(bob.address);
      await setPrice(f.wbtc, "30000");
      await core.flagShortfall(id, f.dave.address);
      const pending = (await core.market(id)).pendingShortfall;
      const bobBefore = await fund.previewRedeem(bobShares);
      const uncoveredBefore = await core.uncoveredShortfall(id);
      expect([await fund.maxDeposit(eve.address), await fund.maxMint(eve.address)]).to.deep.equal([0n, 0n]);
      await expect(fund.connect(eve).deposit(10_000n * U, eve.address))
        .to.be.revertedWithCustomError(fund, "DepositDuringShortfall")
        .withArgs(pending);
      await expect(fund.connect(eve).mint(10n ** 12n, eve.address))
        .to.be.revertedWithCustomError(fund, "DepositDuringShortfall")
        .withArgs(pending);
      expect(await fund.previewRedeem(bobShares)).to.equal(bobBefore);
      expect(await core.uncoveredShortfall(id)).to.equal(uncoveredBefore);
      // Once the loss is realized, deposits reopen at the price after the draw.
      await core.connect(frank).liquidate(id, f.dave.address, 1, MAX, frank.address, "0x");
      expect(await fund.maxDeposit(eve.address)).to.equal(ethers.MaxUint256);
      const gross = await fund.totalAssets();
      await fund.connect(eve).deposit(1_000n * U, eve.address);
      expect(await fund.balanceOf(eve.address)).to.equal(fundSharesDown(1_000n * U, gross, bobShares));
    });

    it("a pending shortfall the reserves cover does not block deposits", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { fund, eve, core, id } = f;
      // A year at 10% on 50,000 leaves 500 of reserves; a 0.1 WETH position short by a little is covered by them.
      await accrueYearOfPremium(f);
      await core.connect(f.dave).supplyCollateral(id, 0, E / 10n, f.dave.address);
      await core.connect(f.dave).borrow(id, 150n * U, 0, f.dave.address, f.dave.address);
      await setPrice(f.weth, "1400");
      await core.flagShortfall(id, f.dave.address);
      const m = await core.market(id);
      expect(m.pendingShortfall).to.be.gt(0n);
      expect(m.pendingShortfall).to.be.lte(m.reserves);
      expect(await fund.maxDeposit(eve.address)).to.equal(ethers.MaxUint256);
      await expect(fund.connect(eve).deposit(100n * U, eve.address)).to.emit(fund, "Deposit");
    });
  });

  describe("fuzzer finding E4: an exit during a pending draw may not lower the fund's cover", function () {
    /** Bob and Eve stake 4,000 each; Eve cools all of hers and her window opens; WBTC crashes and Dave is flagged. */
    async function coverSetup() {
      const f = await loadFixture(zeroRateFixture);
      const { fund, bob, eve, core, id } = f;
      await crashReady(f);
      await fund.connect(bob).deposit(4_000n * U, bob.address);
      await fund.connect(eve).deposit(4_000n * U, eve.address);
      const eveShares = await fund.balanceOf(eve.address);
      const t = await cool(fund, eve, eveShares);
      await time.setNextBlockTimestamp(t + COOLDOWN);
      await refreshFeeds(f);
      await setPrice(f.wbtc, "30000");
      await core.flagShortfall(id, f.dave.address);
      return { ...f, eveShares, bobShares: await fund.balanceOf(bob.address) };
    }

    /** The SDK's mirror of the fund's cover check for paying out `assets` now. */
    async function sdkKeepsCover(f: Fx, assets: bigint): Promise<boolean> {
      const fs = {
        balance: await f.usdc.token.balanceOf(await f.fund.getAddress()),
        drawnInWindow: await f.fund.drawnInWindow(),
        maxDrawPerEvent: await f.fund.maxDrawPerEvent(),
        windowShare: await f.fund.windowShare(),
      };
      return fundExitKeepsCover(await f.core.market(f.id), fs, assets);
    }

    it("a whole exit that would shrink the per-event cap below the pending loss reverts; stakers and suppliers keep their prices", async function () {
      const f = await coverSetup();
      const { fund, core, id, eve, eveShares, bobShares } = f;
      // 8,000 staked: the 30% cap (2,400) covers the 1,695 pending; 4,000 staked would cover only 1,200.
      const [least, most] = await fund.drawBounds();
      const bobBefore = await fund.previewRedeem(bobShares);
      const uncoveredBefore = await core.uncoveredShortfall(id);
      expect(await fund.maxRedeem(eve.address)).to.equal(0n);
      const out = await fund.previewRedeem(eveShares); // priced at the worst-case draw
      expect(await sdkKeepsCover(f, out)).to.equal(false);
      await expect(fund.connect(eve).redeem(eveShares, eve.address, eve.address))
        .to.be.revertedWithCustomError(fund, "ExitLowersCover")
        .withArgs(most, fundMaxDraw(8_000n * U - out));
      await expect(fund.connect(eve).withdraw(3_000n * U, eve.address, eve.address)).to.be.revertedWithCustomError(
        fund,
        "ExitLowersCover",
      );
      expect(await fund.drawBounds()).to.deep.equal([least, most]);
      expect(await fund.previewRedeem(bobShares)).to.equal(bobBefore);
      expect(await core.uncoveredShortfall(id)).to.equal(uncoveredBefore);
    });

    it("an exit that leaves the cover whole goes through at the worst-case price; the rest may leave once the loss is realized", async function () {
      const f = await coverSetup();
      const { fund, core, id, eve, frank, eveShares, bobShares } = f;
      const bobBefore = await fund.previewRedeem(bobShares);
      const uncoveredBefore = await core.uncoveredShortfall(id);
      const tenth = eveShares / 10n; // 7,600 left: the cap (2,280) still covers the 1,695 pending
      expect(await sdkKeepsCover(f, await fund.previewRedeem(tenth))).to.equal(true);
      await expect(fund.connect(eve).redeem(tenth, eve.address, eve.address)).to.emit(fund, "Withdraw");
      expect(await fund.previewRedeem(bobShares)).to.be.closeTo(bobBefore, 1n);
      expect(await core.uncoveredShortfall(id)).to.equal(uncoveredBefore);
      await core.connect(frank).liquidate(id, f.dave.address, 1, MAX, frank.address, "0x");
      expect(await fund.maxRedeem(eve.address)).to.equal(eveShares - tenth);
      await expect(fund.connect(eve).redeem(eveShares - tenth, eve.address, eve.address)).to.emit(fund, "Withdraw");
    });

    it("the draw is bookkeeping in the core: premiumOwed falls by exactly the draw and no token leaves the fund (issue 15)", async function () {
      const f = await coverSetup();
      const { fund, core, id, frank, usdc } = f;
      const fundAddr = await fund.getAddress();
      // 8,000 staked, all parked in the core; no reserves at a zero rate: the fund covers the whole loss.
      const before = await core.market(id);
      expect(before.reserves).to.equal(0n);
      expect(before.premiumOwed).to.equal(8_000n * U);
      expect(await usdc.token.balanceOf(fundAddr)).to.equal(0n);
      const repaid = repaidForAll(B / 10n, USDC_PRICE, adapterPrice(feedAnswer("30000"), 8), BTC_BONUS);
      const bad = 4_499n * U - repaid;
      expect(bad).to.be.lte(fundMaxDraw(8_000n * U));
      const tx = core.connect(frank).liquidate(id, f.dave.address, 1, MAX, frank.address, "0x");
      await expect(tx).to.emit(fund, "Drawn").withArgs(bad, bad, bad);
      await expect(tx).to.emit(core, "BadDebtRealized").withArgs(id, f.dave.address, bad, 0n, bad, 0n);
      // Only the liquidator's repayment moves loan tokens: none from the fund, none to it.
      await expect(tx).to.changeTokenBalances(usdc.token, [fund, core, frank], [0n, repaid, -repaid]);
      expect((await core.market(id)).premiumOwed).to.equal(8_000n * U - bad);
      expect(await fund.grossAssets()).to.equal(8_000n * U - bad);
    });

    it("cash sent to the fund directly joins the draw once parked, which anyone may do", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { fund, core, id, bob, eve, frank, usdc } = f;
      const { bad } = await crashReady(f);
      await fund.connect(bob).deposit(1_000n * U, bob.address); // alone, a 300 cap: far below the loss
      await usdc.token.connect(eve).transfer(await fund.getAddress(), 10_000n * U);
      await expect(fund.connect(frank).park())
        .to.emit(core, "FundCashStored")
        .withArgs(id, await fund.getAddress(), 10_000n * U);
      expect((await core.market(id)).premiumOwed).to.equal(11_000n * U);
      expect(bad).to.be.lte(fundMaxDraw(11_000n * U));
      await setPrice(f.wbtc, "30000");
      const tx = core.connect(frank).liquidate(id, f.dave.address, 1, MAX, frank.address, "0x");
      await expect(tx).to.emit(fund, "Drawn").withArgs(bad, bad, bad);
      await expect(tx).to.emit(core, "BadDebtRealized").withArgs(id, f.dave.address, bad, 0n, bad, 0n);
      expect((await core.market(id)).premiumOwed).to.equal(11_000n * U - bad);
    });
  });

  describe("premium: sandwich and the first stake", function () {
    /** Bob stakes 1,000; a year of 10% on 50,000 borrowed earns premium that nobody has accrued yet. */
    async function idlePremium() {
      const f = await zeroRateFixture();
      await f.fund.connect(f.bob).deposit(1_000n * U, f.bob.address);
      await f.core.setRateModel(f.id, FLAT_10);
      await f.core.connect(f.alice).supply(f.id, 100_000n * U, 0, f.alice.address);
      await f.core.connect(f.carol).supplyCollateral(f.id, 0, 40n * E, f.carol.address);
      const t0 = await txTime(
        await f.core.connect(f.carol).borrow(f.id, 50_000n * U, 0, f.carol.address, f.carol.address),
      );
      return { ...f, t0 };
    }

    it("deposit, accrue and redeem in one block: the new shares cannot leave, so the premium is not taken", async function () {
      const f = await loadFixture(idlePremium);
      const { fund, bob, eve, core, id, usdc } = f;
      await fund.connect(eve).deposit(1n * U, eve.address);
      const dust = await fund.balanceOf(eve.address);
      await time.setNextBlockTimestamp(f.t0 + YEAR - COOLDOWN);
      const t = await cool(fund, eve, dust);
      await time.setNextBlockTimestamp(t + COOLDOWN);
      // At the stale price (premium not yet accrued) Eve stakes 100,000, then accrues the premium. She cannot claim
      // it for the fund herself (only the fund may): it stays in the core with the parked stakes.
      await fund.connect(eve).deposit(100_000n * U, eve.address);
      const all = await fund.balanceOf(eve.address);
      const bobValue = await fund.previewRedeem(await fund.balanceOf(bob.address));
      await expect(core.connect(eve).claimPremium(id))
        .to.be.revertedWithCustomError(core, "NotInsuranceFund")
        .withArgs(id, eve.address);
      await core.accrueInterest(id);
      const fundAddr = await fund.getAddress();
      expect(await usdc.token.balanceOf(fundAddr)).to.equal(0n);
      expect((await core.market(id)).premiumOwed).to.equal(await fund.grossAssets());
      await expect(fund.connect(eve).redeem(all, eve.address, eve.address))
        .to.be.revertedWithCustomError(fund, "CooldownSharesExceeded")
        .withArgs(eve.address, dust, all);
      expect(await fund.maxRedeem(eve.address)).to.equal(dust);
      // Only the cooled dust leaves: the exit claims from the core (accruing it first), pays Eve at the price after
      // that accrual and parks the rest again.
      const owedAtExit = (await accruedMarket(core, id, await nextTs())).premiumOwed;
      const paid = fundAssetsDown(dust, owedAtExit, await fund.totalSupply());
      await expect(fund.connect(eve).redeem(dust, eve.address, eve.address)).to.changeTokenBalance(
        usdc.token,
        eve,
        paid,
      );
      expect((await core.market(id)).premiumOwed).to.equal(owedAtExit - paid);
      expect(await usdc.token.balanceOf(fundAddr)).to.equal(0n);
      // Bob's value did not fall through Eve's stake nor her exit.
      const bobAfter = await fund.previewRedeem(await fund.balanceOf(bob.address));
      expect(bobAfter).to.be.gte(bobValue);
    });

    it("the fund's claim moves what the core holds for it to its balance, parking moves it back: the share price does not step", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { fund, bob, core, id, usdc } = f;
      await fund.connect(bob).deposit(1_000n * U, bob.address); // parked in the core at once
      // A year of premium, accrued when the rate is switched off; the claim's own accrual then adds nothing.
      const acc = await accrueYearOfPremium(f);
      const held = 1_000n * U + acc.toPremium;
      expect((await core.market(id)).premiumOwed).to.equal(held);
      const fundAddr = await fund.getAddress();
      const shares = await fund.balanceOf(bob.address);
      const before = [await fund.totalAssets(), await fund.previewRedeem(shares)];
      expect(before[0]).to.equal(held);
      // The fund (impersonated) claims: owed -> held, price unchanged.
      await expect(core.connect(await impersonate(fundAddr)).claimPremium(id))
        .to.emit(core, "PremiumClaimed")
        .withArgs(id, fundAddr, held);
      expect([(await core.market(id)).premiumOwed, await usdc.token.balanceOf(fundAddr)]).to.deep.equal([0n, held]);
      expect([await fund.totalAssets(), await fund.previewRedeem(shares)]).to.deep.equal(before);
      // Anyone may park it back: held -> owed, price unchanged.
      await expect(fund.connect(f.frank).park()).to.emit(core, "FundCashStored").withArgs(id, fundAddr, held);
      expect([(await core.market(id)).premiumOwed, await usdc.token.balanceOf(fundAddr)]).to.deep.equal([held, 0n]);
      expect([await fund.totalAssets(), await fund.previewRedeem(shares)]).to.deep.equal(before);
      // Bob's exit of half: claims, pays him, parks the rest; premiumOwed falls by exactly the payout.
      const half = shares / 2n;
      const t = await cool(fund, bob, half);
      await time.setNextBlockTimestamp(t + COOLDOWN);
      const paid = fundAssetsDown(half, held, shares);
      await expect(fund.connect(bob).redeem(half, bob.address, bob.address)).to.changeTokenBalance(
        usdc.token,
        bob,
        paid,
      );
      expect([(await core.market(id)).premiumOwed, await usdc.token.balanceOf(fundAddr)]).to.deep.equal([
        held - paid,
        0n,
      ]);
      expect(await fund.previewRedeem(shares - half)).to.equal(
        fundAssetsDown(shares - half, held - paid, shares - half),
      );
    });

    it("premium accrued before the first stake stays in the fund as backstop capital; the first staker buys at par", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { fund, bob, core, id, usdc } = f;
      const acc = await accrueYearOfPremium(f);
      const premium = acc.toPremium;
      // The core holds it for the fund (nobody claims it: only the fund may, and it holds no stake yet).
      expect((await core.market(id)).premiumOwed).to.equal(premium);
      expect(await fund.totalAssets()).to.equal(premium);
      expect(await fund.totalSupply()).to.equal(0n);
      // Bob's shares are priced with the premium in the assets: he gets what he pays, not the premium.
      await fund.connect(bob).deposit(1_000n * U, bob.address);
      const shares = await fund.balanceOf(bob.address);
      expect(shares).to.equal(fundSharesDown(1_000n * U, premium, 0n));
      const value = await fund.previewRedeem(shares);
      expect(value).to.be.lte(1_000n * U);
      expect(value).to.be.gte(1_000n * U - premium / 10n ** 6n - 2n); // one share is worth (premium + 1) / 1e6
      // The premium counts in what the fund can pay for the market's bad debt.
      expect(await fund.maxDraw()).to.equal(fundMaxDraw(1_000n * U + premium));
      // After Bob leaves, the premium is still there: it belongs to the virtual shares, no staker can take it.
      const t = await cool(fund, bob, shares);
      await time.setNextBlockTimestamp(t + COOLDOWN);
      await fund.connect(bob).redeem(shares, bob.address, bob.address);
      expect(await fund.totalSupply()).to.equal(0n);
      // His exit claimed from the core, paid him and parked the rest: the premium is held for the fund again.
      expect([await fund.totalAssets(), (await core.market(id)).premiumOwed]).to.deep.equal([
        premium + 1_000n * U - value,
        premium + 1_000n * U - value,
      ]);
      expect(await usdc.token.balanceOf(await fund.getAddress())).to.equal(0n);
      expect(await fund.totalAssets()).to.be.gte(premium);
    });
  });
});
