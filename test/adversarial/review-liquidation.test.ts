/**
 * Regression tests of the liquidation findings of issue 13 (review findings 5, 6, 7, 8 and 16, and the collateral
 * cap suspicion). Each exploit was run against the unfixed code first; docs/SECURITY-REVIEW.md says how it failed.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { wad } from "../../scripts/lib/protocol";
import { LensMaxBorrowHarness__factory } from "../../typechain-types";
import { supplyCollateralNeedsPrice } from "../../sdk";
import {
  zeroRateFixture,
  Fx,
  U,
  E,
  B,
  MAX,
  USDC_PRICE,
  adapterPrice,
  feedAnswer,
  setPrice,
  refreshFeeds,
  repaidForAll,
  txTime,
  mulDivDown,
  toSharesUp,
  toAssetsUp,
  openWeth,
} from "../helpers/liquidation-helpers";
import { lossTotals } from "../../sdk/losses";

const BONUS_WETH = wad("0.05");
const wethPrice = (usd: string) => adapterPrice(feedAnswer(usd), 18);
const wbtcPrice = (usd: string) => adapterPrice(feedAnswer(usd), 8);

async function positionOf(f: Fx, who: string) {
  const [, borrowShares, , cols] = await f.core.position(f.id, who);
  return { borrowShares, weth: cols[0]!, wbtc: cols[1]! };
}

const liquidateAll = (f: Fx, index: number) =>
  f.core.connect(f.bob).liquidate(f.id, f.carol.address, index, MAX, f.bob.address, "0x");

/** Lets the WBTC feed go stale (WBTC max age 4,200 s) while USDC and WETH stay fresh. */
async function staleWbtc(f: Fx): Promise<void> {
  await time.increase(4_201);
  const [, usdc] = await f.usdc.feed.latestRoundData();
  await (await f.usdc.feed.updateAnswer(usdc)).wait();
  const [, weth] = await f.weth.feed.latestRoundData();
  await (await f.weth.feed.updateAnswer(weth)).wait();
}

describe("review (issue 13, findings 5-8, 16): liquidation paths that must always exist", function () {
  describe("finding 5: 1 wei of a collateral whose feed is down must not shield a position", function () {
    it("a borrower cannot attach a collateral with a stale feed to dodge liquidation; nor can anyone else", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_500n * U);
      await setPrice(f.weth, "1500"); // HF 0.85: liquidatable
      await staleWbtc(f);
      const [, , , wbtcUpdatedAt] = await f.wbtc.feed.latestRoundData();
      await expect(f.core.connect(f.carol).supplyCollateral(f.id, 1, 1n, f.carol.address))
        .to.be.revertedWithCustomError(f.wbtc.adapter, "StalePrice")
        .withArgs(await f.wbtc.feed.getAddress(), wbtcUpdatedAt, 4_200);
      await expect(f.core.connect(f.dave).supplyCollateral(f.id, 1, 1n, f.carol.address)).to.be.revertedWithCustomError(
        f.wbtc.adapter,
        "StalePrice",
      );
      expect((await positionOf(f, f.carol.address)).wbtc).to.equal(0n);
      // The position stays liquidatable at valid prices.
      await expect(liquidateAll(f, 0)).to.emit(f.core, "Liquidate");
      expect((await positionOf(f, f.carol.address)).borrowShares).to.equal(0n);
    });

    it("adding more of a held collateral, or any collateral without debt, needs no price (I10)", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_500n * U);
      await f.core.connect(f.carol).supplyCollateral(f.id, 1, 1n, f.carol.address); // held while the feed is valid
      await staleWbtc(f);
      await time.increase(4_201); // WETH stale too
      await expect(f.core.connect(f.carol).supplyCollateral(f.id, 1, B, f.carol.address))
        .to.emit(f.core, "SupplyCollateral")
        .withArgs(f.id, f.carol.address, f.carol.address, 1, B);
      await expect(f.core.connect(f.carol).supplyCollateral(f.id, 0, E, f.carol.address)).to.emit(
        f.core,
        "SupplyCollateral",
      );
      await expect(f.core.connect(f.dave).supplyCollateral(f.id, 1, B, f.dave.address)).to.emit(
        f.core,
        "SupplyCollateral",
      );
      expect(await positionOf(f, f.carol.address)).to.deep.include({ weth: 2n * E, wbtc: B + 1n });
    });

    it("the SDK predicts which deposits read a price", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_500n * U);
      await staleWbtc(f);
      const [, carolShares, , carolCols] = await f.core.position(f.id, f.carol.address);
      const [, daveShares, , daveCols] = await f.core.position(f.id, f.dave.address);
      const carol = { borrowShares: carolShares, collateral: [...carolCols] };
      const dave = { borrowShares: daveShares, collateral: [...daveCols] };
      expect([0, 1].map((i) => supplyCollateralNeedsPrice(carol, i))).to.deep.equal([false, true]);
      expect([0, 1].map((i) => supplyCollateralNeedsPrice(dave, i))).to.deep.equal([false, false]);
      await expect(f.core.connect(f.carol).supplyCollateral(f.id, 0, 1n, f.carol.address)).to.emit(
        f.core,
        "SupplyCollateral",
      );
      await expect(
        f.core.connect(f.carol).supplyCollateral(f.id, 1, 1n, f.carol.address),
      ).to.be.revertedWithCustomError(f.wbtc.adapter, "StalePrice");
      await expect(f.core.connect(f.dave).supplyCollateral(f.id, 1, 1n, f.dave.address)).to.emit(
        f.core,
        "SupplyCollateral",
      );
    });

    it("a new collateral with a valid price can still be added to a position with debt (the cure)", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_500n * U);
      await setPrice(f.weth, "1500");
      await f.core.connect(f.carol).supplyCollateral(f.id, 1, B / 10n, f.carol.address); // $6,000 of WBTC
      await expect(liquidateAll(f, 0))
        .to.be.revertedWithCustomError(f.core, "HealthyPosition")
        .withArgs(f.id, f.carol.address);
    });
  });

  describe("finding 6: the seizure is rounded down once", function () {
    it("repaying exactly the price of the whole balance seizes all of it (no 1-wei CollateralDustLeft)", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_500n * U);
      await setPrice(f.weth, "1050"); // 1 WETH is worth 1,000 USDC of repayment with a 5% bonus
      const bad = 500n * U;
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, 1_000n * U, f.bob.address, "0x"))
        .to.emit(f.core, "Liquidate")
        .withArgs(f.id, f.bob.address, f.carol.address, 0, 1_000n * U, (x: bigint) => x > 0n, E, 0)
        .and.to.emit(f.core, "BadDebtRealized")
        .withArgs(f.id, f.carol.address, bad, 0, 0, bad);
      expect(await positionOf(f, f.carol.address)).to.deep.include({ borrowShares: 0n, weth: 0n });
    });

    it("a full repay at that price closes the position without leaving 1 wei of collateral", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_000n * U);
      await setPrice(f.weth, "1050");
      await expect(liquidateAll(f, 0))
        .to.emit(f.core, "Liquidate")
        .withArgs(f.id, f.bob.address, f.carol.address, 0, 1_000n * U, (x: bigint) => x > 0n, E, 0)
        .and.not.to.emit(f.core, "BadDebtRealized");
      expect(await positionOf(f, f.carol.address)).to.deep.include({ borrowShares: 0n, weth: 0n });
    });
  });

  describe("finding 7: multi-collateral dust stays liquidatable", function () {
    it("two $5.5 collaterals against 15 USDC: each whole balance can be taken, the last one realizes the rest", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { core, id, alice, carol } = f;
      await core.connect(alice).supply(id, 100_000n * U, 0, alice.address);
      const weth = (E * 55n) / 10_000n; // 0.0055 WETH = $11
      const wbtc = 18_333n; // 0.00018333 WBTC = $10.9998
      await core.connect(carol).supplyCollateral(id, 0, weth, carol.address);
      await core.connect(carol).supplyCollateral(id, 1, wbtc, carol.address);
      await core.connect(carol).borrow(id, 15n * U, 0, carol.address, carol.address);
      await setPrice(f.weth, "1000");
      await setPrice(f.wbtc, "30000");
      const r1 = repaidForAll(weth, USDC_PRICE, wethPrice("1000"), BONUS_WETH);
      const r2 = repaidForAll(wbtc, USDC_PRICE, wbtcPrice("30000"), wad("0.07"));
      const bad = 15n * U - r1 - r2;
      // The estimate a flag would book equals the bad debt the two whole-balance liquidations realize.
      expect(await core.shortfallEstimate(id, carol.address)).to.equal(bad);
      await expect(liquidateAll(f, 0))
        .to.emit(core, "Liquidate")
        .withArgs(id, f.bob.address, carol.address, 0, r1, (x: bigint) => x > 0n, weth, 0)
        .and.not.to.emit(core, "BadDebtRealized");
      expect(15n * U - r1).to.be.lt(10n * U); // debt below the minimum leftover, WBTC still held
      await expect(liquidateAll(f, 1)).to.emit(core, "BadDebtRealized").withArgs(id, carol.address, bad, 0, 0, bad);
      expect(await positionOf(f, carol.address)).to.deep.include({ borrowShares: 0n, weth: 0n, wbtc: 0n });
      expect((await lossTotals(core, id)).socialized).to.equal(bad);
    });

    it("a partial seizure that leaves debt below the minimum still reverts DebtDustLeft", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_360n * U);
      await setPrice(f.weth, "1500");
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, 1_355n * U, f.bob.address, "0x"))
        .to.be.revertedWithCustomError(f.core, "DebtDustLeft")
        .withArgs(5n * U, 10n * U);
    });
  });

  describe("finding 8: liquidation cannot run while borrowers cannot add collateral", function () {
    it("a pause of collateral deposits without a pause of liquidation is rejected", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_500n * U);
      await f.core.setPaused(f.id, 0x77);
      await expect(f.core.setPaused(f.id, 0x37))
        .to.be.revertedWithCustomError(f.core, "LiquidationWithoutCure")
        .withArgs(f.id, 0x37);
      await expect(f.core.setPaused(f.id, 0x10))
        .to.be.revertedWithCustomError(f.core, "LiquidationWithoutCure")
        .withArgs(f.id, 0x10);
      expect((await f.core.config(f.id)).paused).to.equal(0x77n);
      // Unpausing collateral deposits with liquidation, or before it, is allowed; the grace runs from the unpause.
      await setPrice(f.weth, "1500");
      await f.core.setPaused(f.id, 0x67);
      const t = await txTime(await f.core.setPaused(f.id, 0x27));
      await f.core.connect(f.carol).supplyCollateral(f.id, 0, E, f.carol.address); // the cure
      await time.setNextBlockTimestamp(t + 3_600n);
      await refreshFeeds(f);
      await expect(liquidateAll(f, 0))
        .to.be.revertedWithCustomError(f.core, "HealthyPosition")
        .withArgs(f.id, f.carol.address);
    });
  });

  describe("collateral cap: repay is the cure when the cap is full", function () {
    it("a full cap refuses more collateral, and a partial repay restores health", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_500n * U);
      await f.core.setCollateralRisk(f.id, 0, wad("0.8"), wad("0.85"), BONUS_WETH, E); // cap = what is supplied
      await setPrice(f.weth, "1700"); // HF = 1445 / 1500
      await expect(f.core.connect(f.carol).supplyCollateral(f.id, 0, 1n, f.carol.address))
        .to.be.revertedWithCustomError(f.core, "CollateralCapExceeded")
        .withArgs(f.id, 0, E + 1n, E);
      await f.core.connect(f.carol).repay(f.id, 100n * U, 0, f.carol.address); // HF = 1445 / 1400
      await expect(liquidateAll(f, 0))
        .to.be.revertedWithCustomError(f.core, "HealthyPosition")
        .withArgs(f.id, f.carol.address);
    });
  });

  describe("finding 16: the lens's borrow power left is always accepted by the core", function () {
    // A market after extreme debt-share growth (one debt share worth ~1e7 units): the lens's step-down needed
    // more than 16 steps and returned an amount the core's LTV check refuses.
    const CASES = [
      {
        tba: 1_000_000_005_395_170_000_878n,
        tbs: 100_000_000_538_347n,
        bs: 28_908_521_325_562n,
        power: 289_085_211_118_997_591_216_515_931_255_247n,
      },
      { tba: 1_637_702_002_384n, tbs: 1_637_702n, bs: 783_632n, power: 883_542_431_571_786_075_334_477n },
    ];
    for (const [i, c] of CASES.entries()) {
      it(`case ${i + 1}: borrowing borrowPowerLeft passes the core's LTV check`, async function () {
        const [deployer] = await ethers.getSigners();
        const h = await new LensMaxBorrowHarness__factory(deployer!).deploy();
        const debt = toAssetsUp(c.bs, c.tba, c.tbs);
        const loanPrice = USDC_PRICE;
        const x = await h.maxBorrow(c.tba, c.tbs, c.bs, debt, c.power, loanPrice);
        expect(x).to.be.gt(0n);
        // The core's borrow(x): shares minted up, the new debt rounded up on the new totals, valued up.
        const s = toSharesUp(x, c.tba, c.tbs);
        const debtAfter = toAssetsUp(c.bs + s, c.tba + x, c.tbs + s);
        expect(debtAfter).to.be.lte(mulDivDown(c.power, 10n ** 18n, loanPrice));
      });
    }
  });
});
