/**
 * Review findings 10 and 14 of issue 13 (interest), and property E5: every market keeps a path to repay, withdraw
 * its available cash and liquidate, whatever the time gap or the rate.
 *
 * 10. At the highest rate the bounds allow (base 100% + slopes 1,000% + 1,000% = 2,100% a year at full
 *     utilization), ~2.5 idle years, or 37 monthly accruals, overflowed the compounding or the uint128 totals: every
 *     action that accrues (accrueInterest, repay, withdraw, liquidate, setRateModel) reverted for good.
 * 14. Interest was rounded up to at least one base unit per accrual, and anyone may accrue every block: on a
 *     2-decimal token at 0.5% a year, 300 accruals charged 300 units where the exact interest is a fraction of one.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployPricedToken, wad } from "../../scripts/lib/protocol";
import { MAX_TOTAL } from "../../sdk/math/constants";
import { deployMarketFixture } from "../helpers/fixtures";
import {
  E18,
  SECONDS_PER_YEAR,
  U6,
  WAD,
  accruedMarket,
  createWethMarket,
  debtOf,
  refreshFeeds,
} from "../helpers/core-helpers";
import {
  MAX_GROWTH_FACTOR,
  RAY,
  borrowRate,
  compoundedInterest,
  debtOf as debtOfShares,
  utilization,
} from "../../sdk/math";
import { lossTotals } from "../../sdk/losses";

/** The highest rate model the bounds allow: 2,100% a year at 100% utilization. */
const MAX_RATE_MODEL = { baseRate: WAD, slope1: 10n * WAD, slope2: 10n * WAD, targetUtilization: wad("0.99") };
const MONTH = 30n * 86_400n;
/** 0.5% a year at any utilization. */
const HALF_PERCENT = { baseRate: wad("0.005"), slope1: 0n, slope2: 0n, targetUtilization: wad("0.8") };

/** A fully borrowed USDC market at the maximal rate model, without an insurance fund: alice supplies 100,000,
 * carol borrows all of it against 100 WETH ($200,000). */
async function maxRateMarket() {
  const f = await deployMarketFixture();
  const { core, alice, carol } = f;
  const id = await createWethMarket(f, { rateModel: MAX_RATE_MODEL, minLeftover: 10n * U6 });
  await core.connect(alice).supply(id, 100_000n * U6, 0, alice.address);
  await core.connect(carol).supplyCollateral(id, 0, 100n * E18, carol.address);
  await core.connect(carol).borrow(id, 100_000n * U6, 0, carol.address, carol.address);
  return { ...f, id };
}

/** A 2-decimal loan token at 0.5% a year: 10,000.00 supplied, 5,000.00 borrowed (debt 500,000 units). */
async function twoDecimalMarket() {
  const f = await deployMarketFixture();
  const { core, deployer, alice, carol } = f;
  const eurs = await deployPricedToken(deployer, { symbol: "EURS", decimals: 2, price: "1", heartbeat: 86400 });
  const id = await createWethMarket(f, { rateModel: HALF_PERCENT, reserveFactor: 0n }, eurs);
  for (const s of [alice, carol]) {
    await eurs.token.mint(s.address, 10n ** 12n);
    await eurs.token.connect(s).approve(await core.getAddress(), ethers.MaxUint256);
  }
  await core.connect(alice).supply(id, 1_000_000n, 0, alice.address);
  await core.connect(carol).supplyCollateral(id, 0, 10n * E18, carol.address);
  await core.connect(carol).borrow(id, 500_000n, 0, carol.address, carol.address);
  return { ...f, eurs, id };
}

/**
 * After the hopeless position is liquidated: no debt share is left, and alice withdraws every unit of cash the
 * market holds for suppliers (supplied - borrowed; the borrow total left is the virtual shares' part of the exploded
 * debt, owed by nobody and counted on both sides).
 */
async function expectSuppliersWithdrawCash(f: Awaited<ReturnType<typeof maxRateMarket>>) {
  const { core, usdc, id, alice } = f;
  const m = await core.market(id);
  expect(m.totalBorrowShares).to.equal(0n);
  expect(m.reserves).to.equal(0n); // the waterfall took them first
  const free = m.totalSupplyAssets - m.totalBorrowAssets;
  expect(free).to.be.greaterThan(100_000n * U6); // the liquidator's payment and carol's repayment
  const before = await usdc.token.balanceOf(alice.address);
  await core.connect(alice).withdraw(id, free, 0, alice.address, alice.address);
  expect((await usdc.token.balanceOf(alice.address)) - before).to.equal(free);
  await expect(core.connect(alice).withdraw(id, 1n, 0, alice.address, alice.address)).to.be.revertedWithCustomError(
    core,
    "InsufficientLiquidity",
  );
}

describe("adversarial: review findings on interest (10, 14) and E5", function () {
  describe("finding 10: interest overflow cannot freeze a market", function () {
    it("after 3 idle years at 2,100% a year, accrue, setRateModel, repay, liquidation and withdrawal all work (E5)", async function () {
      const f = await loadFixture(maxRateMarket);
      const { core, usdc, weth, id, alice, bob, carol, dave } = f;
      const m0 = await core.market(id);
      await time.increase(3n * SECONDS_PER_YEAR);
      await refreshFeeds(f);

      // One accrual: the compounded factor saturates at MAX_GROWTH_FACTOR (the debt grows at most that much); the
      // SDK predicts it to the unit.
      const tAcc = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(tAcc);
      const predicted = await accruedMarket(core, id, tAcc);
      await core.accrueInterest(id);
      const m1 = await core.market(id);
      expect([m1.totalBorrowAssets, m1.totalSupplyAssets, m1.reserves]).to.deep.equal([
        predicted.totalBorrowAssets,
        predicted.totalSupplyAssets,
        predicted.reserves,
      ]);
      const grown = (m0.totalBorrowAssets * (MAX_GROWTH_FACTOR - RAY)) / RAY;
      expect(m1.totalBorrowAssets).to.equal(m0.totalBorrowAssets + grown);
      // The accounting identity still holds: cash (0: everything is lent) = supplied + reserves - borrowed.
      expect(m1.totalSupplyAssets + m1.reserves + m1.premiumOwed - m1.totalBorrowAssets).to.equal(0n);

      // The rate model stays settable (it accrues first).
      await core.setRateModel(id, {
        baseRate: 0n,
        slope1: wad("0.04"),
        slope2: wad("0.6"),
        targetUtilization: wad("0.8"),
      });

      // A repayment on carol's behalf lowers her debt by what was paid (rounded in the market's favour).
      const ts = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(ts);
      const [, shares0] = await core.position(id, carol.address);
      const debtBefore = debtOfShares(await accruedMarket(core, id, ts), shares0);
      await core.connect(bob).repay(id, 1_000n * U6, 0, carol.address);
      const debtAfter = await debtOf(core, id, carol.address);
      expect(debtBefore - debtAfter).to.be.within(1_000n * U6 - 1n, 1_000n * U6 + 1n);

      // The position is hopeless: one liquidation takes all its WETH and realizes the rest as bad debt.
      await weth.feed.updateAnswer(2000n * 10n ** 8n);
      await core.connect(dave).liquidate(id, carol.address, 0, ethers.MaxUint256, dave.address, "0x");
      const [, borrowShares, , cols] = await core.position(id, carol.address);
      expect(borrowShares).to.equal(0n);
      expect(cols[0]).to.equal(0n);
      expect((await lossTotals(core, id)).badDebtRealized).to.be.greaterThan(0n);

      await expectSuppliersWithdrawCash(f);
    });

    it("monthly accruals at 2,100% a year for 5 years never revert: the totals saturate at 2^96 - 1", async function () {
      const f = await loadFixture(maxRateMarket);
      const { core, id, carol, dave } = f;
      for (let i = 0; i < 60; i++) {
        await time.increase(MONTH);
        await core.accrueInterest(id);
      }
      const m = await core.market(id);
      expect(m.totalBorrowAssets).to.equal(MAX_TOTAL);
      // The lens's "accrued to now" view agrees with the saturated core (it would have reverted before the fix too).
      const lens = await (await ethers.getContractFactory("BallastLens")).deploy(await core.getAddress());
      expect((await lens.accruedMarket(id)).totalBorrowAssets).to.equal(MAX_TOTAL);
      expect(m.totalSupplyAssets + m.reserves + m.premiumOwed - m.totalBorrowAssets).to.equal(0n);
      // Saturated: a further accrual charges nothing and still succeeds; so do setRateModel and liquidation.
      await time.increase(MONTH);
      await core.accrueInterest(id);
      expect((await core.market(id)).totalBorrowAssets).to.equal(MAX_TOTAL);
      await core.setRateModel(id, MAX_RATE_MODEL);
      await refreshFeeds(f);
      await core.connect(dave).liquidate(id, carol.address, 0, ethers.MaxUint256, dave.address, "0x");
      const [, borrowShares] = await core.position(id, carol.address);
      expect(borrowShares).to.equal(0n);
      await expectSuppliersWithdrawCash(f);
    });
  });

  describe("finding 14: interest is rounded down and lastUpdate holds while it rounds to zero", function () {
    it("300 accruals one second apart on a 2-decimal token at 0.5% a year charge nothing and keep lastUpdate", async function () {
      const { core, id, carol } = await loadFixture(twoDecimalMarket);
      const m0 = await core.market(id);
      const debt0 = await debtOf(core, id, carol.address);
      for (let i = 0; i < 300; i++) await core.accrueInterest(id);
      const m1 = await core.market(id);
      // Exact interest over ~300 s is 500,000 x 0.5% x 300 / 31,536,000 = 0.024 of a unit: nothing is charged.
      expect(await debtOf(core, id, carol.address)).to.equal(debt0);
      expect(m1.totalBorrowAssets).to.equal(m0.totalBorrowAssets);
      expect(m1.lastUpdate).to.equal(m0.lastUpdate);
    });

    it("accruing every block charges at most what a single accrual over the same time charges", async function () {
      const { core, id, carol } = await loadFixture(twoDecimalMarket);
      const m0 = await core.market(id);
      const end = m0.lastUpdate + 30n * 86_400n;
      // Exact interest of one accrual over 30 days (rounded down): 500,000 x (e^(0.005 x 30/365) - 1) = 205 units.
      const rate = borrowRate(HALF_PERCENT, utilization(m0.totalBorrowAssets, m0.totalSupplyAssets));
      const single = compoundedInterest(m0.totalBorrowAssets, rate, end - m0.lastUpdate);
      expect(single).to.equal(205n);
      // An attacker accrues every 12 seconds for an hour, then every hour for the rest of the 30 days.
      for (let i = 0; i < 300; i++) {
        await time.increase(12);
        await core.accrueInterest(id);
      }
      let t = BigInt(await time.latest());
      while (t + 3600n < end) {
        t += 3600n;
        await time.setNextBlockTimestamp(t);
        await core.accrueInterest(id);
      }
      await time.setNextBlockTimestamp(end);
      await core.accrueInterest(id);
      const charged = (await core.market(id)).totalBorrowAssets - m0.totalBorrowAssets;
      // Each accrual charges whole units only and carries the unpaid seconds: the total stays within a unit of the
      // single accrual (the old code charged at least one unit per accrual: 300 + 716 units).
      expect(charged).to.be.within(single - 1n, single);
      expect(await debtOf(core, id, carol.address)).to.be.within(500_000n + single - 1n, 500_000n + single + 1n);
    });

    it("any other action settles: a supply after a held stretch books the rounded-down interest and sets lastUpdate to now", async function () {
      const { core, id, alice } = await loadFixture(twoDecimalMarket);
      const m0 = await core.market(id);
      await time.increase(3 * 3600); // 0.86 of a unit owed: accrueInterest books nothing and holds lastUpdate
      await core.accrueInterest(id);
      expect((await core.market(id)).lastUpdate).to.equal(m0.lastUpdate);
      // A supply changes the totals (and so the rate) right after: it settles, so the held seconds never meet the
      // new totals (the fraction of a unit is forgiven).
      await core.connect(alice).supply(id, 100n, 0, alice.address);
      const m1 = await core.market(id);
      expect(m1.lastUpdate).to.equal(BigInt(await time.latest()));
      expect(m1.totalBorrowAssets).to.equal(m0.totalBorrowAssets);
    });

    it("the SDK's accrual mirror equals the core's, carried seconds included", async function () {
      const { core, id } = await loadFixture(twoDecimalMarket);
      for (const dt of [1n, 7n, 3_600n, 86_400n, 30n * 86_400n]) {
        const ts = BigInt(await time.latest()) + dt;
        await time.setNextBlockTimestamp(ts);
        const predicted = await accruedMarket(core, id, ts);
        await core.accrueInterest(id);
        const m = await core.market(id);
        expect(m.totalBorrowAssets).to.equal(predicted.totalBorrowAssets);
        expect(m.totalSupplyAssets).to.equal(predicted.totalSupplyAssets);
        expect(m.lastUpdate).to.equal(predicted.lastUpdate);
      }
    });
  });
});
