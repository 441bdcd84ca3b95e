import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time, impersonateAccount, setBalance } from "@nomicfoundation/hardhat-network-helpers";
import { InsuranceFund__factory } from "../../typechain-types";
import {
  zeroRateFixture,
  accrueYearOfPremium,
  fundedSigner,
  alignToDay,
  refreshFeeds,
  U,
  E,
  B,
  YEAR,
  MAX,
  USDC_PRICE,
  adapterPrice,
  feedAnswer,
  setPrice,
  repaidForAll,
  fundAssetsDown,
  fundSharesDown,
  fundMaxDraw,
  waterfall,
  txTime,
  BorrowBook,
} from "../helpers/liquidation-helpers";

const DAY = 86_400n;
const COOLDOWN = 10n * DAY;
const WINDOW = 2n * DAY;
const b32 = (s: string) => ethers.encodeBytes32String(s);

/** Bob stakes 1,000 USDC; then a year of 10% interest on 50,000 borrowed accrues premium the core owes the fund. */
async function premiumFixture() {
  const f = await zeroRateFixture();
  await f.fund.connect(f.bob).deposit(1_000n * U, f.bob.address);
  const acc = await accrueYearOfPremium(f);
  return { ...f, acc };
}

/** The fund as seen from its core's address (impersonated): unit-tests draw() without a liquidation. */
async function fundAsCore(f: Awaited<ReturnType<typeof zeroRateFixture>>) {
  const coreAddr = await f.core.getAddress();
  await impersonateAccount(coreAddr);
  await setBalance(coreAddr, 10n ** 18n);
  return f.fund.connect(await ethers.getSigner(coreAddr));
}

/** The fund's own storage accesses in transaction `hash` sent to it (depth 1 of the trace): slots read or written,
 * in first-access order, and each SSTORE with its gas. */
async function fundStorageAccesses(hash: string) {
  const trace = (await ethers.provider.send("debug_traceTransaction", [hash, { disableMemory: true }])) as {
    structLogs: { op: string; depth: number; gasCost: number; stack: string[] }[];
  };
  const slots: bigint[] = [];
  const writes: { slot: bigint; gas: number }[] = [];
  for (const log of trace.structLogs) {
    if (log.depth !== 1 || (log.op !== "SLOAD" && log.op !== "SSTORE")) continue;
    const slot = BigInt(`0x${log.stack[log.stack.length - 1]!.replace(/^0x/, "")}`);
    if (!slots.includes(slot)) slots.push(slot);
    if (log.op === "SSTORE") writes.push({ slot, gas: log.gasCost });
  }
  return { slots, writes };
}

describe("Insurance fund: staking, cooldown, draws, caps, premium", function () {
  describe("cooldown and unstake window", function () {
    it("deposits, then redeems only inside the window after the cooldown", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { fund, bob } = f;
      const shares = fundSharesDown(1_000n * U, 0n, 0n);
      await expect(fund.connect(bob).deposit(1_000n * U, bob.address))
        .to.emit(fund, "Deposit")
        .withArgs(bob.address, bob.address, 1_000n * U, shares);
      await expect(fund.connect(bob).redeem(shares, bob.address, bob.address))
        .to.be.revertedWithCustomError(fund, "CooldownNotStarted")
        .withArgs(bob.address);
      expect(await fund.maxRedeem(bob.address)).to.equal(0n);
      const t = await txTime(await fund.connect(bob).cooldown(shares));
      await expect(fund.connect(bob).redeem(shares, bob.address, bob.address))
        .to.be.revertedWithCustomError(fund, "CooldownNotElapsed")
        .withArgs(bob.address, t + COOLDOWN);
      await time.setNextBlockTimestamp(t + COOLDOWN - 1n);
      await expect(fund.connect(bob).withdraw(1n, bob.address, bob.address))
        .to.be.revertedWithCustomError(fund, "CooldownNotElapsed")
        .withArgs(bob.address, t + COOLDOWN);
      const snap = await ethers.provider.send("evm_snapshot", []);
      await time.setNextBlockTimestamp(t + COOLDOWN + WINDOW + 1n);
      await expect(fund.connect(bob).redeem(shares, bob.address, bob.address))
        .to.be.revertedWithCustomError(fund, "UnstakeWindowExpired")
        .withArgs(bob.address, t + COOLDOWN + WINDOW);
      await ethers.provider.send("evm_revert", [snap]);
      await time.setNextBlockTimestamp(t + COOLDOWN + WINDOW);
      const assets = fundAssetsDown(shares, 1_000n * U, shares);
      expect(assets).to.equal(1_000n * U);
      await expect(fund.connect(bob).redeem(shares, bob.address, bob.address)).to.changeTokenBalance(
        f.usdc.token,
        bob,
        assets,
      );
    });

    it("a staker who sees a crash coming cannot leave before the draw", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { core, id, fund, alice, bob, dave, frank } = f;
      await core.connect(alice).supply(id, 100_000n * U, 0, alice.address);
      await fund.connect(bob).deposit(10_000n * U, bob.address);
      const shares = fundSharesDown(10_000n * U, 0n, 0n);
      await core.connect(dave).supplyCollateral(id, 1, B / 10n, dave.address);
      await core.connect(dave).borrow(id, 4_499n * U, 0, dave.address, dave.address);
      await setPrice(f.wbtc, "30000"); // the crash is visible on chain
      await expect(fund.connect(bob).redeem(shares, bob.address, bob.address))
        .to.be.revertedWithCustomError(fund, "CooldownNotStarted")
        .withArgs(bob.address);
      const t = await txTime(await fund.connect(bob).cooldown(shares));
      await expect(fund.connect(bob).withdraw(1n, bob.address, bob.address))
        .to.be.revertedWithCustomError(fund, "CooldownNotElapsed")
        .withArgs(bob.address, t + COOLDOWN);
      const repaid = repaidForAll(B / 10n, USDC_PRICE, adapterPrice(feedAnswer("30000"), 8), 7n * 10n ** 16n);
      const bad = 4_499n * U - repaid;
      const drawn = waterfall(bad, 0n, 0n, fundMaxDraw(10_000n * U)).fromInsurance;
      await core.connect(frank).liquidate(id, dave.address, 1, MAX, frank.address, "0x");
      await time.setNextBlockTimestamp(t + COOLDOWN);
      await expect(fund.connect(bob).redeem(shares, bob.address, bob.address)).to.changeTokenBalance(
        f.usdc.token,
        bob,
        fundAssetsDown(shares, 10_000n * U - drawn, shares),
      );
      expect(drawn).to.equal(bad);
    });
  });

  describe("governance and access", function () {
    it("lets only the core draw", async function () {
      const f = await loadFixture(zeroRateFixture);
      await f.fund.connect(f.bob).deposit(1_000n * U, f.bob.address);
      await expect(f.fund.connect(f.bob).coverLimited(1n, 0n)).to.be.revertedWithCustomError(f.fund, "OnlyCore");
      await expect(f.fund.coverLimited(1n, 0n)).to.be.revertedWithCustomError(f.fund, "OnlyCore");
    });

    it("bounds setDrawLimits and setCooldownParams and restricts them to the admin", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { fund, bob } = f;
      const H = 3_600n;
      await expect(fund.setDrawLimits(5n * 10n ** 17n + 1n, 5n * 10n ** 17n, DAY))
        .to.be.revertedWithCustomError(fund, "ParameterOutOfBounds")
        .withArgs(b32("maxDrawPerEvent"), 5n * 10n ** 17n + 1n);
      await expect(fund.setDrawLimits(3n * 10n ** 17n, 8n * 10n ** 17n + 1n, DAY))
        .to.be.revertedWithCustomError(fund, "ParameterOutOfBounds")
        .withArgs(b32("windowShare"), 8n * 10n ** 17n + 1n);
      await expect(fund.setDrawLimits(3n * 10n ** 17n, 5n * 10n ** 17n, H - 1n))
        .to.be.revertedWithCustomError(fund, "ParameterOutOfBounds")
        .withArgs(b32("windowLength"), H - 1n);
      await expect(fund.setDrawLimits(3n * 10n ** 17n, 5n * 10n ** 17n, 30n * DAY + 1n))
        .to.be.revertedWithCustomError(fund, "ParameterOutOfBounds")
        .withArgs(b32("windowLength"), 30n * DAY + 1n);
      await expect(fund.setDrawLimits(5n * 10n ** 17n, 8n * 10n ** 17n, 30n * DAY))
        .to.emit(fund, "DrawLimitsSet")
        .withArgs(5n * 10n ** 17n, 8n * 10n ** 17n, 30n * DAY);
      await expect(fund.connect(bob).setDrawLimits(1n, 1n, DAY))
        .to.be.revertedWithCustomError(fund, "AccessControlUnauthorizedAccount")
        .withArgs(bob.address, ethers.ZeroHash);

      await expect(fund.setCooldownParams(30n * DAY + 1n, DAY))
        .to.be.revertedWithCustomError(fund, "ParameterOutOfBounds")
        .withArgs(b32("cooldown"), 30n * DAY + 1n);
      await expect(fund.setCooldownParams(DAY, H - 1n))
        .to.be.revertedWithCustomError(fund, "ParameterOutOfBounds")
        .withArgs(b32("unstakeWindow"), H - 1n);
      await expect(fund.setCooldownParams(DAY, 30n * DAY + 1n))
        .to.be.revertedWithCustomError(fund, "ParameterOutOfBounds")
        .withArgs(b32("unstakeWindow"), 30n * DAY + 1n);
      await expect(fund.setCooldownParams(30n * DAY, H))
        .to.emit(fund, "CooldownParamsSet")
        .withArgs(30n * DAY, H);
      await expect(fund.connect(bob).setCooldownParams(DAY, DAY))
        .to.be.revertedWithCustomError(fund, "AccessControlUnauthorizedAccount")
        .withArgs(bob.address, ethers.ZeroHash);
    });
  });

  describe("fund guards", function () {
    it("rejects a zero core or a zero admin at deployment", async function () {
      const f = await loadFixture(zeroRateFixture);
      const factory = new InsuranceFund__factory(f.deployer);
      const usdc = await f.usdc.token.getAddress();
      const core = await f.core.getAddress();
      for (const [c, admin] of [
        [ethers.ZeroAddress, f.deployer.address],
        [core, ethers.ZeroAddress],
      ] as const) {
        await expect(factory.deploy(usdc, c, f.id, admin, "x", "x"))
          .to.be.revertedWithCustomError(factory, "ParameterOutOfBounds")
          .withArgs(b32("address"), 0);
      }
    });

    it("refuses a cooldown without shares; maxWithdraw and maxRedeem are 0 outside the unstake window", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { fund, bob, carol } = f;
      await expect(fund.connect(carol).cooldown(1n))
        .to.be.revertedWithCustomError(fund, "CooldownSharesExceeded")
        .withArgs(carol.address, 0n, 1n);
      expect([...(await fund.cooldowns(carol.address))]).to.deep.equal([0n, 0n]);
      await fund.connect(bob).deposit(1_000n * U, bob.address);
      const shares = await fund.balanceOf(bob.address);
      expect([await fund.maxWithdraw(bob.address), await fund.maxRedeem(bob.address)]).to.deep.equal([0n, 0n]);
      const start = await txTime(await fund.connect(bob).cooldown(shares));
      await time.increaseTo(start + COOLDOWN - 1n);
      expect([await fund.maxWithdraw(bob.address), await fund.maxRedeem(bob.address)]).to.deep.equal([0n, 0n]);
      await time.increaseTo(start + COOLDOWN);
      expect(await fund.maxRedeem(bob.address)).to.equal(shares);
      expect(await fund.maxWithdraw(bob.address)).to.equal(fundAssetsDown(shares, 1_000n * U, shares));
      await time.increaseTo(start + COOLDOWN + WINDOW + 1n);
      expect([await fund.maxWithdraw(bob.address), await fund.maxRedeem(bob.address)]).to.deep.equal([0n, 0n]);
      await expect(fund.connect(bob).withdraw(1n, bob.address, bob.address))
        .to.be.revertedWithCustomError(fund, "UnstakeWindowExpired")
        .withArgs(bob.address, start + COOLDOWN + WINDOW);
    });

    it("an exit claims what the core holds for the fund, pays, and parks the rest: premiumOwed falls by the payout", async function () {
      const f = await loadFixture(premiumFixture);
      const { core, id, fund, bob, acc } = f;
      const fundAddr = await fund.getAddress();
      // Bob's 1,000 was parked in the core at the deposit: the core holds it with the premium, the fund holds nothing.
      const held = 1_000n * U + acc.toPremium;
      expect((await core.market(id)).premiumOwed).to.equal(held);
      expect(await f.usdc.token.balanceOf(fundAddr)).to.equal(0n);
      const start = await txTime(await fund.connect(bob).cooldown(await fund.balanceOf(bob.address)));
      await time.increaseTo(start + COOLDOWN);
      const assets = 1_000n * U + acc.toPremium / 2n; // more than the 1,000 staked: part of the premium too
      const tx = fund.connect(bob).withdraw(assets, bob.address, bob.address);
      await expect(tx).to.emit(core, "PremiumClaimed").withArgs(id, fundAddr, held);
      await expect(tx)
        .to.emit(core, "FundCashStored")
        .withArgs(id, fundAddr, held - assets);
      await expect(tx).to.changeTokenBalances(f.usdc.token, [bob, core, fund], [assets, -assets, 0n]);
      expect((await core.market(id)).premiumOwed).to.equal(held - assets);
      expect(await fund.grossAssets()).to.equal(held - assets);
    });

    it("a draw asked above the cap pays the cap; premium owed counts in gross and is met without tokens", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { core, id, fund, bob } = f;
      await fund.connect(bob).deposit(10_000n * U, bob.address);
      const asCore = await fundAsCore(f);
      // The stake is parked in the core (premiumOwed); 30% of 10,000 per event.
      expect((await core.market(id)).premiumOwed).to.equal(10_000n * U);
      expect(await fund.maxDraw()).to.equal(3_000n * U);
      // With 1,000 premium owed on top of the 10,000 parked, 30% of 11,000, all met in the core.
      expect(await asCore.coverLimited.staticCall(5_000n * U, 11_000n * U)).to.deep.equal([3_300n * U, 3_300n * U]);
      // Met in the core: no tokens move, the draw still counts in the window.
      const small = asCore.coverLimited(10n * U, 10_000n * U);
      await expect(small)
        .to.emit(fund, "Drawn")
        .withArgs(10n * U, 10n * U, 10n * U);
      await expect(small).to.changeTokenBalances(f.usdc.token, [fund, core], [0n, 0n]);
      // Above the cap, on the 10,000 the core still holds (an impersonated draw books nothing in it):
      // min(30% x 10,000, 50% x (10,000 + 10) - 10) = 3,000, again without tokens.
      const capped = asCore.coverLimited(3_000n * U + 1n, 10_000n * U);
      await expect(capped)
        .to.emit(fund, "Drawn")
        .withArgs(3_000n * U, 3_000n * U, 3_010n * U);
      await expect(capped).to.changeTokenBalances(f.usdc.token, [fund, core], [0n, 0n]);
      expect((await core.market(id)).premiumOwed).to.equal(10_000n * U);
      expect(await fund.drawnInWindow()).to.equal(3_010n * U);
    });

    it("a new window length carries what was drawn: the rolling cap never loosens by the change", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { fund, bob } = f;
      await fund.connect(bob).deposit(10_000n * U, bob.address);
      const asCore = await fundAsCore(f);
      // The core passes what it holds for the fund: the 10,000 parked. An impersonated draw books nothing in the
      // core, so the fund's gross stays 10,000 throughout.
      const held = 10_000n * U;
      expect(await fund.grossAssets()).to.equal(held);
      const t0 = await alignToDay(f);
      await time.setNextBlockTimestamp(t0 + 60n);
      await asCore.coverLimited(2_000n * U, held);
      // The next day the draw still counts (previous bucket), then the window is halved to 12 hours.
      await time.setNextBlockTimestamp(t0 + DAY);
      await expect(fund.setDrawLimits(3n * 10n ** 17n, 5n * 10n ** 17n, DAY / 2n))
        .to.emit(fund, "DrawLimitsSet")
        .withArgs(3n * 10n ** 17n, 5n * 10n ** 17n, DAY / 2n);
      expect(await fund.windowLength()).to.equal(DAY / 2n);
      expect(await fund.drawnInWindow()).to.equal(2_000n * U);
      // Cap left: 50% x (10,000 + 2,000) - 2,000.
      expect(await fund.windowCapLeft()).to.equal(4_000n * U);
      await time.increaseTo(t0 + DAY + DAY / 2n);
      expect(await fund.drawnInWindow()).to.equal(2_000n * U); // one more 12-hour window
      await time.increaseTo(t0 + 2n * DAY);
      expect(await fund.drawnInWindow()).to.equal(0n);
      expect(await fund.windowCapLeft()).to.equal(5_000n * U);
      // Same length again: only the shares change, the buckets stay.
      await asCore.coverLimited(1_000n * U, held);
      await expect(fund.setDrawLimits(2n * 10n ** 17n, 4n * 10n ** 17n, DAY / 2n))
        .to.emit(fund, "DrawLimitsSet")
        .withArgs(2n * 10n ** 17n, 4n * 10n ** 17n, DAY / 2n);
      expect(await fund.drawnInWindow()).to.equal(1_000n * U);
      // min(20% x 10,000, 40% x (10,000 + 1,000) - 1,000): the per-event cap.
      expect(await fund.maxDraw()).to.equal((held * 2n) / 10n);
    });
  });

  describe("rolling window cap", function () {
    it("caps several events in one window at 50% and frees the cap only two windows later", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { core, id, fund, alice, bob, frank } = f;
      await core.connect(alice).supply(id, 100_000n * U, 0, alice.address);
      await fund.connect(bob).deposit(10_000n * U, bob.address);
      const book = new BorrowBook();
      const borrowers = [f.carol, f.dave, f.eve, await fundedSigner(f, 7), await fundedSigner(f, 8)];
      const shares: bigint[] = [];
      for (const s of borrowers) {
        await core.connect(s).supplyCollateral(id, 1, B / 10n, s.address);
        await core.connect(s).borrow(id, 4_499n * U, 0, s.address, s.address);
        shares.push(book.borrow(4_499n * U));
      }
      await setPrice(f.wbtc, "30000");
      const t0 = await alignToDay(f);
      const repaid = repaidForAll(B / 10n, USDC_PRICE, adapterPrice(feedAnswer("30000"), 8), 7n * 10n ** 16n);

      let gross = 10_000n * U;
      let drawnWindow = 0n; // drawn in the current day bucket
      let drawnPrev = 0n; // drawn in the previous day bucket
      const draws: bigint[] = [];
      const liquidate = async (i: number) => {
        const burned = book.liquidate(repaid, shares[i]!);
        const bad = book.writeOff(shares[i]! - burned);
        const counted = drawnWindow + drawnPrev;
        const w = waterfall(bad, 0n, 0n, fundMaxDraw(gross, counted));
        await expect(core.connect(frank).liquidate(id, borrowers[i]!.address, 1, MAX, frank.address, "0x"))
          .to.emit(core, "BadDebtRealized")
          .withArgs(id, borrowers[i]!.address, bad, 0, w.fromInsurance, w.socialized);
        gross -= w.fromInsurance;
        drawnWindow += w.fromInsurance;
        draws.push(w.fromInsurance);
        expect(await fund.drawnInWindow()).to.equal(drawnWindow + drawnPrev);
        return w;
      };
      // Three events in one window: the third hits the 50% window cap before its 30% per-event cap.
      await liquidate(0);
      await liquidate(1);
      const w3 = await liquidate(2);
      expect(w3.socialized).to.be.gt(0n);
      expect(draws.reduce((a, b) => a + b, 0n)).to.equal(5_000n * U); // exactly 50% of the 10,000 at the start
      expect(await fund.windowCapLeft()).to.equal(0n);

      // Next window: what was drawn yesterday still counts.
      await time.setNextBlockTimestamp(t0 + DAY);
      await refreshFeeds(f);
      drawnPrev = drawnWindow;
      drawnWindow = 0n;
      const w4 = await liquidate(3);
      expect(w4.fromInsurance).to.equal(0n);

      // Two windows later the cap is free again.
      await time.setNextBlockTimestamp(t0 + 2n * DAY);
      await refreshFeeds(f);
      drawnPrev = 0n;
      drawnWindow = 0n;
      const w5 = await liquidate(4);
      // Only the 30% per-event cap binds: 30% of the 5,000 left.
      expect(w5.fromInsurance).to.equal(1_500n * U);
    });
  });

  describe("draw storage (issue 15)", function () {
    it("a draw reads two fund slots and writes one, not from zero, on the first draw of a new fund", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { fund, bob } = f;
      await fund.connect(bob).deposit(10_000n * U, bob.address);
      const asCore = await fundAsCore(f);
      await time.increase(DAY); // the draw rolls the window to a new bucket
      const tx = await asCore.coverLimited(1_000n * U, 10_000n * U); // the core passes the 10,000 parked in it
      await expect(tx)
        .to.emit(fund, "Drawn")
        .withArgs(1_000n * U, 1_000n * U, 1_000n * U);
      await expect(tx).to.changeTokenBalances(f.usdc.token, [fund, f.core], [0n, 0n]); // bookkeeping in the core
      expect(await fund.drawnInWindow()).to.equal(1_000n * U);
      // Slot 6: the draw parameters; slot 7: the window (bucket index and both buckets), written once.
      const { slots, writes } = await fundStorageAccesses(tx.hash);
      expect(slots).to.deep.equal([6n, 7n]);
      expect(writes).to.deep.equal([{ slot: 7n, gas: 2_900 }]);
    });
  });

  describe("premium", function () {
    it("raises the share price as premium accrues and claimPremium moves it to the fund", async function () {
      const f = await loadFixture(premiumFixture);
      const { core, id, fund, acc, deployer } = f;
      const fundAddr = await fund.getAddress();
      const shares = fundSharesDown(1_000n * U, 0n, 0n);
      expect(acc.toPremium).to.be.gt(0n);
      // The core holds the 1,000 parked and the premium.
      const held = 1_000n * U + acc.toPremium;
      expect((await core.market(id)).premiumOwed).to.equal(held);
      const assets = fundAssetsDown(shares, held, shares);
      expect(await fund.totalAssets()).to.equal(held);
      expect(await fund.previewRedeem(shares)).to.equal(assets);
      expect(assets).to.be.gt(1_000n * U);
      // Only the fund may take what the core holds for it.
      await expect(core.claimPremium(id))
        .to.be.revertedWithCustomError(core, "NotInsuranceFund")
        .withArgs(id, deployer.address);
      await impersonateAccount(fundAddr);
      await setBalance(fundAddr, 10n ** 18n);
      const tx = core.connect(await ethers.getSigner(fundAddr)).claimPremium(id);
      await expect(tx).to.emit(core, "PremiumClaimed").withArgs(id, fundAddr, held);
      await expect(tx).to.changeTokenBalances(f.usdc.token, [core, fund], [-held, held]);
      expect((await core.market(id)).premiumOwed).to.equal(0n);
      expect(await fund.previewRedeem(shares)).to.equal(assets);
      // Anyone may park it back: the share price is the same either way.
      await expect(fund.park()).to.emit(core, "FundCashStored").withArgs(id, fundAddr, held);
      expect((await core.market(id)).premiumOwed).to.equal(held);
      expect(await fund.previewRedeem(shares)).to.equal(assets);
    });
  });
});
