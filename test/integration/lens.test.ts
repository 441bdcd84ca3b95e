import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "../helpers/fixtures";
import { createMarket, wad } from "../../scripts/lib/protocol";
import { BallastLens__factory } from "../../typechain-types";
import { lossTotals } from "../../sdk/losses";
import {
  decodeRevertData,
  OracleError,
  toAssetsDown,
  toAssetsUp,
  toSharesDown,
  wDivDown,
  wDivUp,
  wMulDown,
  mulDivUp,
  compoundedInterest,
  borrowRate as sdkBorrowRate,
  utilization as sdkUtilization,
} from "../../sdk";

const U = 10n ** 6n; // USDC
const E18 = 10n ** 18n;
const MAX = ethers.MaxUint256;
const ZERO_RATE = { baseRate: 0n, slope1: 0n, slope2: 0n, targetUtilization: wad("0.8") };

async function lensFixture() {
  const f = await deployMarketFixture();
  const lens = await new BallastLens__factory(f.deployer).deploy(await f.core.getAddress());
  await lens.waitForDeployment();
  return { ...f, lens };
}

/** The lens's market and solvency views for the block `dt` seconds ahead, then the core accrued in that block. */
async function viewsThenAccrue(
  core: Awaited<ReturnType<typeof lensFixture>>["core"],
  lens: Awaited<ReturnType<typeof lensFixture>>["lens"],
  id: bigint,
  dt: bigint,
) {
  const t = BigInt(await time.latest()) + dt;
  await time.setNextBlockTimestamp(t);
  const v = await lens.market(id, { blockTag: "pending" });
  const solv = await lens.solvency(id, { blockTag: "pending" });
  await core.accrueInterest(id);
  return { t, v, solv, m: await core.market(id) };
}

/** Supplier alice 100k USDC; carol 1 WETH ($2000) + 0.1 WBTC ($6000) borrows 4000 USDC; zero interest. */
async function staticPositionFixture() {
  const f = await lensFixture();
  await f.core.setRateModel(f.id, ZERO_RATE);
  await f.core.connect(f.alice).supply(f.id, 100_000n * U, 0, f.alice.address);
  await f.core.connect(f.carol).supplyCollateral(f.id, 0, E18, f.carol.address);
  await f.core.connect(f.carol).supplyCollateral(f.id, 1, 10n ** 7n, f.carol.address);
  await f.core.connect(f.carol).borrow(f.id, 4_000n * U, 0, f.carol.address, f.carol.address);
  return f;
}

/**
 * Waterfall scenario without interest: reserves R built by a day at the default model, then a zero rate;
 * bob stakes 1000 USDC; carol 1 WETH borrows 1500 USDC; dave 1 WBTC borrows 10,000 USDC (stays healthy).
 */
async function waterfallFixture() {
  const f = await lensFixture();
  await f.core.connect(f.alice).supply(f.id, 100_000n * U, 0, f.alice.address);
  await f.core.connect(f.dave).supplyCollateral(f.id, 1, 10n ** 8n, f.dave.address);
  await f.core.connect(f.dave).borrow(f.id, 10_000n * U, 0, f.dave.address, f.dave.address);
  await time.increase(86_400);
  for (const [asset, price] of [
    [f.usdc, 10n ** 8n],
    [f.weth, 2_000n * 10n ** 8n],
    [f.wbtc, 60_000n * 10n ** 8n],
  ] as const) {
    await asset.feed.updateAnswer(price); // fresh rounds after the day
  }
  await f.core.setRateModel(f.id, ZERO_RATE); // accrues at the old model, then no more interest
  await f.fund.connect(f.bob).deposit(1_000n * U, f.bob.address);
  await f.core.connect(f.carol).supplyCollateral(f.id, 0, E18, f.carol.address);
  await f.core.connect(f.carol).borrow(f.id, 1_500n * U, 0, f.carol.address, f.carol.address);
  await f.weth.feed.updateAnswer(1_000n * 10n ** 8n); // -50%: carol is short
  return f;
}

describe("BallastLens", function () {
  describe("market view", function () {
    it("reports totals, utilization, rates, caps, parameters, paused actions and each oracle's price", async function () {
      const { core, lens, id, alice, carol, usdc, weth, wbtc, fund } = await loadFixture(lensFixture);
      await core.connect(alice).supply(id, 100_000n * U, 0, alice.address);
      await core.setPaused(id, 1 | 64); // supply and liquidate
      await core.connect(carol).supplyCollateral(id, 0, E18, carol.address);
      await core.connect(carol).borrow(id, 1_500n * U, 0, carol.address, carol.address);

      const v = await lens.market(id); // same block as the last transaction: no interest yet
      expect(v.id).to.equal(id);
      expect(v.loanToken).to.equal(await usdc.token.getAddress());
      expect(v.insuranceFund).to.equal(await fund.getAddress());
      expect(v.totalSupplyAssets).to.equal(100_000n * U);
      expect(v.totalSupplyShares).to.equal(100_000n * U * 10n ** 6n);
      expect(v.totalBorrowAssets).to.equal(1_500n * U);
      expect(v.totalBorrowShares).to.equal(1_500n * U * 10n ** 6n);
      expect(v.cash).to.equal(98_500n * U);
      expect(v.reserves).to.equal(0n);
      // utilization 1.5%; rate = 4% x 0.015 / 0.8 = 0.075%; supply rate = rate x u x (1 - 10% - 5%)
      const u = wad("0.015");
      const rate = (wad("0.04") * u) / wad("0.8");
      expect(v.utilization).to.equal(u);
      expect(v.borrowRate).to.equal(rate);
      expect(v.supplyRate).to.equal(wMulDown(wMulDown(rate, u), wad("0.85")));
      expect(v.supplySharePrice).to.equal(E18); // par
      expect(v.supplyCap).to.equal((1n << 128n) - 1n);
      expect(v.borrowCap).to.equal((1n << 128n) - 1n);
      expect(v.minBorrow).to.equal(10n * U);
      expect(v.minLeftover).to.equal(10n * U);
      expect(v.reserveFactor).to.equal(wad("0.1"));
      expect(v.insurancePremiumFactor).to.equal(wad("0.05"));
      expect(v.closeFactorHfThreshold).to.equal(wad("0.95"));
      expect(v.liquidationGracePeriod).to.equal(3600n);
      expect(v.rateModel.slope2).to.equal(wad("3"));
      expect(v.paused.flags).to.equal(65n);
      expect([v.paused.supply, v.paused.withdraw, v.paused.borrow]).to.deep.equal([true, false, false]);
      expect([v.paused.collateralIn, v.paused.collateralOut, v.paused.liquidate]).to.deep.equal([false, false, true]);
      // Prices: USD per base unit x 1e36. $1 per 1e6 units, $2000 per 1e18, $60000 per 1e8.
      expect(v.loanOracle.adapter).to.equal(await usdc.adapter.getAddress());
      expect(v.loanOracle.valid).to.equal(true);
      expect(v.loanOracle.price).to.equal(10n ** 30n);
      expect(v.collaterals.length).to.equal(2);
      const [c0, c1] = [v.collaterals[0]!, v.collaterals[1]!];
      expect(c0.token).to.equal(await weth.token.getAddress());
      expect(c0.oracle.price).to.equal(2_000n * E18);
      expect([c0.ltv, c0.liquidationThreshold, c0.liquidationBonus]).to.deep.equal([
        wad("0.8"),
        wad("0.85"),
        wad("0.05"),
      ]);
      expect(c0.totalSupplied).to.equal(E18);
      expect(c1.token).to.equal(await wbtc.token.getAddress());
      expect(c1.oracle.price).to.equal(60_000n * 10n ** 28n);
      expect(c1.totalSupplied).to.equal(0n);
    });

    it("accrues totals to now exactly like the core's accrueInterest in the same block", async function () {
      const { core, lens, id, alice, carol } = await loadFixture(lensFixture);
      await core.connect(alice).supply(id, 100_000n * U, 0, alice.address);
      await core.connect(carol).supplyCollateral(id, 0, 10n * E18, carol.address);
      await core.connect(carol).borrow(id, 15_000n * U, 0, carol.address, carol.address);
      const { t, v, solv, m } = await viewsThenAccrue(core, lens, id, 30n * 86_400n);
      expect(m.lastUpdate).to.equal(t);
      expect(m.totalBorrowAssets).to.be.gt(15_000n * U);
      expect(v.totalSupplyAssets).to.equal(m.totalSupplyAssets);
      expect(v.totalBorrowAssets).to.equal(m.totalBorrowAssets);
      expect(v.reserves).to.equal(m.reserves);
      expect(v.premiumOwed).to.equal(m.premiumOwed);
      expect(v.utilization).to.equal(wDivDown(m.totalBorrowAssets, m.totalSupplyAssets));
      const after = await lens.market(id); // now at the accrued block
      expect(after.borrowRate).to.equal(v.borrowRate);
      expect(solv.reserves).to.equal(m.reserves);
      expect(solv.totalDebt).to.equal(m.totalBorrowAssets);
      const accrued = await lens.accruedMarket(id);
      expect(accrued.totalBorrowAssets).to.equal(m.totalBorrowAssets);
    });

    it("reports an invalid oracle with its error instead of reverting", async function () {
      const { core, lens, id, weth, usdc } = await loadFixture(lensFixture);
      await weth.feed.updateAnswer(0);
      const v = await lens.market(id);
      const c0 = v.collaterals[0]!;
      expect(c0.oracle.valid).to.equal(false);
      expect(c0.oracle.price).to.equal(0n);
      const decoded = decodeRevertData(c0.oracle.error);
      expect(decoded).to.be.instanceOf(OracleError);
      expect(decoded.errorName).to.equal("NonPositivePrice");
      expect(decoded.args).to.deep.equal([await weth.feed.getAddress(), 0n]);
      expect(v.collaterals[1]!.oracle.valid).to.equal(true);
      // Any address as an adapter: a contract without price() is reported invalid with empty revert data.
      const o = await lens.oracle(await usdc.token.getAddress());
      expect(o.valid).to.equal(false);
      expect(o.error).to.equal("0x");
      await expect(lens.market(99)).to.be.revertedWithCustomError(core, "MarketNotCreated").withArgs(99);
    });

    it("holds no state but the core's address", async function () {
      const { core, lens } = await loadFixture(lensFixture);
      expect(await lens.core()).to.equal(await core.getAddress());
      expect(await ethers.provider.getStorage(await lens.getAddress(), 0)).to.equal(ethers.ZeroHash);
    });
  });

  describe("position view", function () {
    it("reports collateral values, debt, health factor and borrow power left that borrow accepts exactly", async function () {
      const { core, lens, id, carol, alice } = await loadFixture(staticPositionFixture);
      const p = await lens.position(id, carol.address);
      const [c0, c1] = [p.collaterals[0]!, p.collaterals[1]!];
      expect([c0.amount, c1.amount]).to.deep.equal([E18, 10n ** 7n]);
      expect([c0.value, c1.value]).to.deep.equal([2_000n * E18, 6_000n * E18]);
      expect(p.collateralValue).to.equal(8_000n * E18);
      expect(p.debt).to.equal(4_000n * U);
      expect(p.debtValue).to.equal(4_000n * E18);
      expect(p.borrowPower).to.equal(1_600n * E18 + 4_500n * E18); // 2000 x 0.8 + 6000 x 0.75
      expect(p.liquidationValue).to.equal(1_700n * E18 + 4_800n * E18); // 2000 x 0.85 + 6000 x 0.8
      expect(p.healthFactor).to.equal(wad("1.625")); // 6500 / 4000
      expect(p.borrowPowerLeftValue).to.equal(2_100n * E18);
      expect(p.borrowPowerLeft).to.equal(2_100n * U);
      expect(p.pricesValid).to.equal(true);
      expect(p.shortfallEstimate).to.equal(0n);
      // The lens's borrow power left is exactly what the core accepts: one unit more is above the LTV.
      await expect(core.connect(carol).borrow(id, p.borrowPowerLeft + 1n, 0, carol.address, carol.address))
        .to.be.revertedWithCustomError(core, "BorrowAboveLtv")
        .withArgs(id, carol.address, 6_100n * E18 + 10n ** 12n, 6_100n * E18);
      await core.connect(carol).borrow(id, p.borrowPowerLeft, 0, carol.address, carol.address);
      expect((await lens.position(id, carol.address)).borrowPowerLeft).to.equal(0n);
      // A supplier: supply assets at par, no debt, health factor max.
      const a = await lens.position(id, alice.address);
      expect(a.supplyAssets).to.equal(100_000n * U);
      expect(a.healthFactor).to.equal(MAX);
      expect(a.debt).to.equal(0n);
    });

    it("gives each collateral's liquidation price: HF = 1 there, liquidatable one tick below", async function () {
      const { core, lens, id, carol, eve, wbtc } = await loadFixture(staticPositionFixture);
      const p = await lens.position(id, carol.address);
      // WETH alone cannot make it liquidatable (WBTC's 4800 covers the 4000 debt): no liquidation price.
      expect(p.collaterals[0]!.liquidationPrice).to.equal(0n);
      // WBTC: 0.1 BTC x P x 0.8 + 1700 = 4000  =>  P = $28,750 per BTC = 28750e8 x 1e20 in adapter scale.
      expect(p.collaterals[1]!.liquidationPrice).to.equal(28_750n * 10n ** 28n);
      await wbtc.feed.updateAnswer(28_750n * 10n ** 8n);
      expect(await lens.healthFactor(id, carol.address)).to.equal(E18);
      await expect(core.connect(eve).liquidate(id, carol.address, 1, MAX, eve.address, "0x"))
        .to.be.revertedWithCustomError(core, "HealthyPosition")
        .withArgs(id, carol.address);
      await wbtc.feed.updateAnswer(28_750n * 10n ** 8n - 1n);
      expect(await lens.healthFactor(id, carol.address)).to.be.lessThan(E18);
      await expect(core.connect(eve).liquidate(id, carol.address, 1, 100n * U, eve.address, "0x")).to.emit(
        core,
        "Liquidate",
      );
    });

    it("flags invalid prices: figures that need them are zero and healthFactor() bubbles the adapter error", async function () {
      const { lens, id, carol, alice, weth } = await loadFixture(staticPositionFixture);
      await weth.feed.updateAnswer(-5);
      const p = await lens.position(id, carol.address);
      expect(p.pricesValid).to.equal(false);
      expect(p.collaterals[0]!.priceValid).to.equal(false);
      expect(p.collaterals[0]!.value).to.equal(0n);
      expect(p.collaterals[1]!.value).to.equal(6_000n * E18);
      expect(p.debt).to.equal(4_000n * U);
      expect(p.healthFactor).to.equal(0n);
      await expect(lens.healthFactor(id, carol.address))
        .to.be.revertedWithCustomError(weth.adapter, "NonPositivePrice")
        .withArgs(await weth.feed.getAddress(), -5);
      // A position that holds no WETH and no debt does not need the WETH price.
      expect(await lens.healthFactor(id, alice.address)).to.equal(MAX);
      // The batch view returns the same as one by one.
      const batch = await lens.positions(id, [carol.address, alice.address]);
      expect(batch.length).to.equal(2);
      expect(batch[0]!.debt).to.equal(p.debt);
      expect(batch[1]!.supplyAssets).to.equal(100_000n * U);
    });
  });

  describe("edge cases: no insurance fund, invalid loan price, empty slots", function () {
    /** A second market on the same tokens without an insurance fund: alice 10,000 USDC, carol 1 WETH, 1,000 debt. */
    async function noFundFixture() {
      const f = await lensFixture();
      const id2 = await createMarket(f.core, {
        loan: f.usdc,
        collaterals: [
          { asset: f.weth, ltv: wad("0.8"), liquidationThreshold: wad("0.85"), liquidationBonus: wad("0.05") },
        ],
      });
      return { ...f, id2 };
    }

    it("a market without a fund: coverage max while empty, no premium cut, no fund figures", async function () {
      const { core, lens, id2, alice, carol } = await loadFixture(noFundFixture);
      const empty = await lens.solvency(id2);
      expect(empty.totalDebt).to.equal(0n);
      expect(empty.coverageRatio).to.equal(MAX); // nothing owed: fully covered
      expect(empty.insuranceFundAssets).to.equal(0n);

      await core.connect(alice).supply(id2, 10_000n * U, 0, alice.address);
      await core.connect(carol).supplyCollateral(id2, 0, E18, carol.address);
      await core.connect(carol).borrow(id2, 1_000n * U, 0, carol.address, carol.address);
      const { v, solv, m } = await viewsThenAccrue(core, lens, id2, 30n * 86_400n);
      // The whole interest goes to suppliers and reserves (10%): no premium without a fund.
      const rate = sdkBorrowRate(
        { baseRate: 0n, slope1: wad("0.04"), slope2: wad("3"), targetUtilization: wad("0.8") },
        sdkUtilization(1_000n * U, 10_000n * U),
      );
      const interest = compoundedInterest(1_000n * U, rate, 30n * 86_400n);
      expect(m.totalBorrowAssets).to.equal(1_000n * U + interest);
      expect(m.premiumOwed).to.equal(0n);
      expect(m.reserves).to.equal(wMulDown(interest, wad("0.1")));
      expect(v.totalSupplyAssets).to.equal(m.totalSupplyAssets);
      expect(v.reserves).to.equal(m.reserves);
      expect(v.premiumOwed).to.equal(0n);
      expect(v.insuranceFund).to.equal(ethers.ZeroAddress);
      // Supply rate: borrow rate x utilization x (1 - reserve factor), no premium factor.
      expect(v.supplyRate).to.equal(wMulDown(wMulDown(v.borrowRate, v.utilization), wad("0.9")));
      expect(solv.insuranceFundAssets).to.equal(0n);
      expect(solv.insuranceDrawnInWindow).to.equal(0n);
      expect(solv.insuranceWindowCapLeft).to.equal(0n);
      expect(solv.coverageRatio).to.equal(wDivDown(m.reserves, m.totalBorrowAssets));
    });

    it("an invalid loan price: a debtor's figures are flagged, a debt-free account keeps its values", async function () {
      const { core, lens, id, usdc, carol, dave } = await loadFixture(staticPositionFixture);
      await core.connect(dave).supplyCollateral(id, 0, E18, dave.address); // dave: collateral only, no debt
      await usdc.feed.updateAnswer(0);
      const p = await lens.position(id, carol.address);
      expect(p.pricesValid).to.equal(false);
      expect(p.loanPrice).to.equal(0n);
      expect(p.debt).to.equal(4_000n * U);
      expect(p.debtValue).to.equal(0n);
      expect(p.healthFactor).to.equal(0n);
      expect(p.shortfallEstimate).to.equal(0n);
      expect(p.collaterals[0]!.value).to.equal(2_000n * E18); // collateral prices still shown
      await expect(lens.healthFactor(id, carol.address))
        .to.be.revertedWithCustomError(usdc.adapter, "NonPositivePrice")
        .withArgs(await usdc.feed.getAddress(), 0);
      // No debt: the loan price is not needed for health, but borrow power left in loan units is unknown (0).
      const d = await lens.position(id, dave.address);
      expect(d.pricesValid).to.equal(true);
      expect(d.healthFactor).to.equal(MAX);
      expect(d.borrowPower).to.equal(1_600n * E18);
      expect(d.borrowPowerLeftValue).to.equal(1_600n * E18);
      expect(d.borrowPowerLeft).to.equal(0n);
      expect(await lens.healthFactor(id, dave.address)).to.equal(MAX);
    });

    it("healthFactor() skips empty collateral slots and bubbles the error of a held one", async function () {
      const { core, lens, id, alice, dave, wbtc } = await loadFixture(lensFixture);
      await core.connect(alice).supply(id, 100_000n * U, 0, alice.address);
      await core.connect(dave).supplyCollateral(id, 1, 10n ** 7n, dave.address); // WBTC only: slot 0 empty
      await core.connect(dave).borrow(id, 1_000n * U, 0, dave.address, dave.address);
      expect(await lens.healthFactor(id, dave.address)).to.equal(wDivDown(4_800n * E18, 1_000n * E18));
      await time.increase(3 * 3600); // WBTC's heartbeat is 1 hour: stale; USDC (24 h) still fresh
      await core.accrueInterest(id);
      await expect(lens.healthFactor(id, dave.address)).to.be.revertedWithCustomError(wbtc.adapter, "StalePrice");
      const p = await lens.position(id, dave.address);
      expect(p.pricesValid).to.equal(false);
      expect(p.collaterals[0]!.amount).to.equal(0n);
      expect(p.collaterals[1]!.priceValid).to.equal(false);
    });

    it("borrow power left after a year of interest (share price not round): the core accepts it, not one unit more", async function () {
      const { core, lens, id, alice, carol, dave, usdc, weth, wbtc } = await loadFixture(lensFixture);
      await core.connect(alice).supply(id, 100_000n * U, 0, alice.address);
      await core.connect(dave).supplyCollateral(id, 1, 10n ** 8n, dave.address);
      await core.connect(dave).borrow(id, 40_000n * U, 0, dave.address, dave.address); // 40% utilization
      await core.connect(carol).supplyCollateral(id, 0, E18, carol.address);
      await core.connect(carol).borrow(id, 333n * U, 0, carol.address, carol.address);
      // A year and an odd second of interest: the debt share price is no longer a round number.
      await time.increase(365 * 86_400 + 7);
      await usdc.feed.updateAnswer(10n ** 8n);
      await weth.feed.updateAnswer(2_000n * 10n ** 8n);
      await wbtc.feed.updateAnswer(60_000n * 10n ** 8n);
      await core.accrueInterest(id);
      const m = await core.market(id);
      // Read as of the next block's timestamp: the borrow below runs there, with its own second of interest.
      const next = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(next);
      const p = await lens.position(id, carol.address, { blockTag: "pending" });
      // At most borrow power / price - debt (USDC: 1e12 value units per unit), and positive.
      expect(p.borrowPowerLeft).to.be.lessThanOrEqual(p.borrowPower / 10n ** 12n - p.debt);
      expect(toSharesDown(p.borrowPowerLeft, m.totalBorrowAssets, m.totalBorrowShares)).to.be.gt(0n);
      await expect(
        core
          .connect(carol)
          .borrow.staticCall(id, p.borrowPowerLeft + 1n, 0, carol.address, carol.address, { blockTag: "pending" }),
      ).to.be.revertedWithCustomError(core, "BorrowAboveLtv");
      await core.connect(carol).borrow(id, p.borrowPowerLeft, 0, carol.address, carol.address); // mined at `next`
      expect(BigInt(await time.latest())).to.equal(next);
      const after = await lens.position(id, carol.address);
      expect(after.debtValue).to.be.lessThanOrEqual(after.borrowPower);
      expect(after.borrowPowerLeft).to.equal(0n);
    });
  });

  describe("solvency", function () {
    it("reports totals, cash, reserves, insurance and coverage before any loss", async function () {
      const { core, lens, id, fund, usdc } = await loadFixture(waterfallFixture);
      const m = await core.market(id);
      const s = await lens.solvency(id);
      expect(m.reserves).to.be.gt(0n);
      // Bob's 1,000 stake is parked in the core: premiumOwed holds it with the premium, the fund holds no tokens.
      expect(await usdc.token.balanceOf(await fund.getAddress())).to.equal(0n);
      expect(m.premiumOwed).to.be.gt(1_000n * U);
      expect(s.totalSupplyAssets).to.equal(m.totalSupplyAssets);
      expect(s.totalDebt).to.equal(m.totalBorrowAssets);
      expect(s.totalDebt).to.be.gt(11_500n * U);
      expect(s.cash).to.equal(m.totalSupplyAssets + m.reserves + m.premiumOwed - m.totalBorrowAssets);
      expect(s.reserves).to.equal(m.reserves);
      expect(s.insuranceFundAssets).to.equal(m.premiumOwed);
      expect(s.insuranceFundAssets).to.equal(await fund.grossAssets());
      expect(s.coverageRatio).to.equal(wDivDown(m.reserves + m.premiumOwed, m.totalBorrowAssets));
      const l0 = await lossTotals(core, id);
      expect([l0.badDebtRealized, l0.fromReserves, l0.fromInsurance, l0.socialized]).to.deep.equal([0n, 0n, 0n, 0n]);
      expect([s.pendingShortfall, s.uncoveredShortfall, s.insuranceDrawnInWindow]).to.deep.equal([0n, 0n, 0n]);
      expect(s.insuranceWindowCapLeft).to.equal(m.premiumOwed / 2n);
      expect(s.insuranceWindowCapLeft).to.equal(await fund.windowCapLeft());
    });

    it("reports the split of a bad-debt event through reserves, insurance and socialization", async function () {
      const { core, lens, id, fund, carol, eve } = await loadFixture(waterfallFixture);
      const before = await core.market(id);
      const R = before.reserves;
      const P = before.premiumOwed; // bob's 1,000 stake parked in the core, and the premium
      // Liquidation of all of carol's WETH at $1000: repaid = ceil(1000e6 / 1.05); the debt shares left (the
      // burn rounds down) are written off, valued rounded up.
      const repaid = 952_380_953n;
      const [, shares] = await core.position(id, carol.address);
      const burned = toSharesDown(repaid, before.totalBorrowAssets, before.totalBorrowShares);
      const amount = toAssetsUp(shares - burned, before.totalBorrowAssets - repaid, before.totalBorrowShares - burned);
      expect(amount).to.be.within(1_500n * U - repaid, 1_500n * U - repaid + 2n);
      const fromInsurance = (3n * P) / 10n; // 30% per-event cap
      const socialized = amount - R - fromInsurance;
      await expect(core.connect(eve).liquidate(id, carol.address, 0, MAX, eve.address, "0x"))
        .to.emit(core, "BadDebtRealized")
        .withArgs(id, carol.address, amount, R, fromInsurance, socialized);

      const s = await lens.solvency(id);
      const l = await lossTotals(core, id); // the core keeps no running totals: summed from BadDebtRealized
      expect([l.badDebtRealized, l.fromReserves, l.fromInsurance, l.socialized]).to.deep.equal([
        amount,
        R,
        fromInsurance,
        socialized,
      ]);
      // The whole draw is met by lowering what the core holds for the fund: no tokens move.
      const gross = P - fromInsurance;
      expect((await core.market(id)).premiumOwed).to.equal(gross);
      expect(s.totalSupplyAssets).to.equal(before.totalSupplyAssets - socialized);
      expect(s.totalDebt).to.equal(before.totalBorrowAssets - repaid - amount);
      expect(s.reserves).to.equal(0n);
      expect(s.insuranceFundAssets).to.equal(gross);
      expect(s.cash).to.equal(s.totalSupplyAssets + gross - s.totalDebt);
      expect(s.coverageRatio).to.equal(wDivDown(gross, s.totalDebt));
      expect(s.insuranceDrawnInWindow).to.equal(fromInsurance);
      expect(s.insuranceWindowCapLeft).to.equal(wMulDown(gross + fromInsurance, wad("0.5")) - fromInsurance);
      expect(s.insuranceWindowCapLeft).to.equal(await fund.windowCapLeft());
      expect([s.pendingShortfall, s.uncoveredShortfall]).to.deep.equal([0n, 0n]);
      // The share price fell by exactly the socialized part.
      const m = await lens.market(id);
      expect(m.supplySharePrice).to.equal(
        toAssetsDown(10n ** 24n, before.totalSupplyAssets - socialized, before.totalSupplyShares),
      );
    });

    it("reports a pending shortfall and prices supply shares net of its uncovered part", async function () {
      const { core, lens, id, fund, carol, alice } = await loadFixture(waterfallFixture);
      const m0 = await core.market(id);
      // Estimate = debt - what a liquidation of the whole WETH balance repays: ceil(ceil(1 WETH x $1000) / 1.05).
      const recoverable = wDivUp(mulDivUp(E18, 1_000n * E18, 10n ** 30n), wad("1.05"));
      const [, shares] = await core.position(id, carol.address);
      const debt = toAssetsUp(shares, m0.totalBorrowAssets, m0.totalBorrowShares);
      expect(debt).to.be.within(1_500n * U, 1_500n * U + 1n); // borrow minted shares rounded up
      expect(recoverable).to.equal(952_380_953n);
      const estimate = debt - recoverable;
      await expect(core.flagShortfall(id, carol.address))
        .to.emit(core, "ShortfallFlagged")
        .withArgs(id, carol.address, estimate);

      const maxDraw = (3n * m0.premiumOwed) / 10n; // 30% of the stake parked in the core and the premium
      const uncovered = estimate - m0.reserves - maxDraw;
      const s = await lens.solvency(id);
      expect(s.pendingShortfall).to.equal(estimate);
      expect(s.uncoveredShortfall).to.equal(uncovered);
      expect(s.uncoveredShortfall).to.equal(await core.uncoveredShortfall(id));
      expect(await fund.maxDraw()).to.equal(maxDraw);

      const p = await lens.position(id, carol.address);
      expect(p.flaggedShortfall).to.equal(estimate);
      expect(p.shortfallEstimate).to.equal(estimate);
      expect(p.shortfallEstimate).to.equal(await core.shortfallEstimate(id, carol.address));

      const net = m0.totalSupplyAssets - uncovered;
      const price = await lens.supplySharePrice(id);
      expect(price).to.equal(toAssetsDown(10n ** 24n, net, m0.totalSupplyShares));
      expect(price).to.be.lessThan(toAssetsDown(10n ** 24n, m0.totalSupplyAssets, m0.totalSupplyShares));
      // Alice's supply assets in the lens are net of the uncovered shortfall, like the core's withdrawals.
      const a = await lens.position(id, alice.address);
      expect(a.supplyAssets).to.equal(toAssetsDown(a.supplyShares, net, m0.totalSupplyShares));
      const half = a.supplyShares / 2n;
      await expect(core.connect(alice).withdraw(id, 0, half, alice.address, alice.address))
        .to.emit(core, "Withdraw")
        .withArgs(id, alice.address, alice.address, alice.address, toAssetsDown(half, net, m0.totalSupplyShares), half);
    });
  });
});
