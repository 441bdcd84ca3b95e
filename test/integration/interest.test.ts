import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { wad } from "../../scripts/lib/protocol";
import { deployMarketFixture } from "../helpers/fixtures";
import {
  E18,
  RAY,
  SECONDS_PER_YEAR,
  U6,
  WAD,
  accruedMarket,
  borrowedMarketFixture,
  createWethMarket,
  debtOf,
  expScaled,
  expectedCash,
  nextTs,
  relErr,
  rpowUp,
  suppliedOf,
  toAssetsDown,
  toAssetsUp,
} from "../helpers/core-helpers";

const S = 10n ** 40n;

/** A market without an insurance fund whose rate at 100% utilization is `fullRate`, fully borrowed. */
async function fullUtilization(fullRate: bigint) {
  const f = await deployMarketFixture();
  const { core, alice, carol } = f;
  const id = await createWethMarket(f, {
    rateModel: { baseRate: 0n, slope1: wad("0.04"), slope2: fullRate - wad("0.04"), targetUtilization: wad("0.8") },
  });
  await core.connect(alice).supply(id, 1_000_000n * U6, 0, alice.address);
  await core.connect(carol).supplyCollateral(id, 0, 1_000n * E18, carol.address);
  await core.connect(carol).borrow(id, 1_000_000n * U6, 0, carol.address, carol.address);
  return { ...f, id };
}
const full10 = () => fullUtilization(wad("0.1"));
const full100 = () => fullUtilization(WAD);

describe("integration: interest", function () {
  it("one year without activity at 100% utilization and 10% a year: debt grows by e^0.1 within 1e-9", async function () {
    const { core, usdc, id } = await loadFixture(full10);
    const m0 = await core.market(id);
    expect(m0.totalBorrowAssets).to.equal(m0.totalSupplyAssets); // 100% utilization
    const ts = m0.lastUpdate + SECONDS_PER_YEAR;
    await time.setNextBlockTimestamp(ts);
    const acc = await accruedMarket(core, id, ts);
    expect(acc.rate).to.equal(wad("0.1"));
    await expect(core.accrueInterest(id))
      .to.emit(core, "AccrueInterest")
      .withArgs(id, wad("0.1"), acc.interest, acc.toReserves, 0);
    const m1 = await core.market(id);
    expect(m1.totalBorrowAssets).to.equal(m0.totalBorrowAssets + acc.interest);
    expect(m1.reserves).to.equal(acc.interest / 10n); // reserve factor 10%, rounded down
    expect(m1.totalSupplyAssets).to.equal(m0.totalSupplyAssets + acc.interest - acc.interest / 10n);
    const growth = (m1.totalBorrowAssets * S) / m0.totalBorrowAssets;
    expect(relErr(growth, expScaled(wad("0.1"), S))).to.be.lessThan(1e-9);
    expect(await usdc.token.balanceOf(await core.getAddress())).to.equal(await expectedCash(core, id));
  });

  it("one year at 100% a year matches exact per-second compounding, and e^1 within r^2/2N", async function () {
    const { core, id, carol } = await loadFixture(full100);
    const m0 = await core.market(id);
    const ts = m0.lastUpdate + SECONDS_PER_YEAR;
    await time.setNextBlockTimestamp(ts);
    await core.accrueInterest(id);
    const m1 = await core.market(id);
    const perSecond = (WAD * 10n ** 9n) / SECONDS_PER_YEAR;
    const factor = rpowUp(perSecond, SECONDS_PER_YEAR);
    expect(m1.totalBorrowAssets).to.equal(
      m0.totalBorrowAssets + (m0.totalBorrowAssets * (factor - RAY)) / RAY, // rounded down
    );
    const growth = (m1.totalBorrowAssets * S) / m0.totalBorrowAssets;
    expect(relErr(growth, expScaled(WAD, S))).to.be.lessThan(1.6e-8);
    // the only borrower owes all of it but the sliver held by the virtual shares (under one unit here)
    const debt = await debtOf(core, id, carol.address);
    expect(debt).to.equal(toAssetsUp(m1.totalBorrowShares, m1.totalBorrowAssets, m1.totalBorrowShares));
    expect(m1.totalBorrowAssets - debt).to.equal(1n);
  });

  it("debt and supplier value never decrease across gaps from 1 second to 1 year; every accrual is exact", async function () {
    const { core, usdc, weth, wbtc, id, alice, carol } = await loadFixture(borrowedMarketFixture);
    let debt = await debtOf(core, id, carol.address);
    let supplied = await suppliedOf(core, id, alice.address);
    for (const gap of [1n, 13n, 3600n, 86400n, 7n * 86400n, 90n * 86400n, SECONDS_PER_YEAR]) {
      const ts = await nextTs(gap);
      const acc = await accruedMarket(core, id, ts);
      // A gap whose interest rounds down to zero books nothing (and holds lastUpdate: issue 13, finding 14).
      if (acc.interest === 0n) await expect(core.accrueInterest(id)).to.not.emit(core, "AccrueInterest");
      else {
        await expect(core.accrueInterest(id))
          .to.emit(core, "AccrueInterest")
          .withArgs(id, acc.rate, acc.interest, acc.toReserves, acc.toInsurance);
      }
      const m = await core.market(id);
      expect([m.totalBorrowAssets, m.totalSupplyAssets, m.reserves, m.premiumOwed, m.lastUpdate]).to.deep.equal([
        acc.totalBorrowAssets,
        acc.totalSupplyAssets,
        acc.reserves,
        acc.premiumOwed,
        acc.lastUpdate,
      ]);
      const d = await debtOf(core, id, carol.address);
      const s = await suppliedOf(core, id, alice.address);
      expect(gap < 3600n || d > debt).to.equal(true);
      expect(d >= debt).to.equal(true);
      expect(s >= supplied).to.equal(true);
      debt = d;
      supplied = s;
      expect(await usdc.token.balanceOf(await core.getAddress())).to.equal(await expectedCash(core, id));
    }
    // repaying everything after the long gap pays exactly the accrued debt
    await usdc.feed.updateAnswer(10n ** 8n);
    await weth.feed.updateAnswer(2000n * 10n ** 8n);
    await wbtc.feed.updateAnswer(60000n * 10n ** 8n);
    const shares = (await core.position(id, carol.address)).borrowShares;
    const ts = await nextTs();
    const acc = await accruedMarket(core, id, ts);
    const owed = toAssetsUp(shares, acc.totalBorrowAssets, acc.totalBorrowShares);
    await expect(core.connect(carol).repay(id, 0, shares, carol.address))
      .to.emit(core, "Repay")
      .withArgs(id, carol.address, carol.address, owed, shares);
    expect((await core.market(id)).totalBorrowAssets).to.equal(0n);
  });

  it("splits interest: reserve factor and premium rounded down, suppliers get the exact remainder", async function () {
    const { core, id } = await loadFixture(borrowedMarketFixture);
    const before = await core.market(id);
    const ts = await nextTs(86400n);
    const acc = await accruedMarket(core, id, ts);
    expect(acc.toReserves).to.equal((acc.interest * wad("0.1")) / WAD);
    expect(acc.toInsurance).to.equal((acc.interest * wad("0.05")) / WAD);
    await core.accrueInterest(id);
    const after = await core.market(id);
    expect(after.reserves - before.reserves).to.equal(acc.toReserves);
    expect(after.premiumOwed - before.premiumOwed).to.equal(acc.toInsurance);
    expect(after.totalSupplyAssets - before.totalSupplyAssets).to.equal(
      acc.interest - acc.toReserves - acc.toInsurance,
    );
    expect(after.totalBorrowAssets - before.totalBorrowAssets).to.equal(acc.interest);
    // Interest is booked in whole units, rounded down; the seconds the fraction leaves unpaid stay owed.
    expect(after.lastUpdate).to.equal(acc.lastUpdate);
    expect(ts - after.lastUpdate).to.be.lessThan(10n);
  });

  it("a market without borrows accrues nothing but moves its clock", async function () {
    const { core, id, alice } = await loadFixture(deployMarketFixture);
    await core.connect(alice).supply(id, 1_000n * U6, 0, alice.address);
    const ts = await nextTs(SECONDS_PER_YEAR);
    await expect(core.accrueInterest(id)).to.not.emit(core, "AccrueInterest");
    const m = await core.market(id);
    expect(m.lastUpdate).to.equal(ts);
    expect(m.totalSupplyAssets).to.equal(1_000n * U6);
  });

  it("once every debt share is repaid, no interest accrues any more (no phantom debt grows)", async function () {
    const { core, usdc, weth, wbtc, id, alice, carol } = await loadFixture(full100);
    const m0 = await core.market(id);
    await time.setNextBlockTimestamp(m0.lastUpdate + SECONDS_PER_YEAR);
    await core.accrueInterest(id);
    await usdc.feed.updateAnswer(10n ** 8n);
    await weth.feed.updateAnswer(2000n * 10n ** 8n);
    await wbtc.feed.updateAnswer(60000n * 10n ** 8n);
    const shares = (await core.position(id, carol.address)).borrowShares;
    await core.connect(carol).repay(id, 0, shares, carol.address);
    const m1 = await core.market(id);
    expect(m1.totalBorrowShares).to.equal(0n);
    // nobody owes anything: later accruals must not book interest on the sliver held by the virtual shares
    for (let i = 0; i < 5; i++) {
      await nextTs(86400n);
      await expect(core.accrueInterest(id)).to.not.emit(core, "AccrueInterest");
    }
    const m2 = await core.market(id);
    expect(m2.totalBorrowAssets).to.equal(m1.totalBorrowAssets);
    expect(m2.totalSupplyAssets).to.equal(m1.totalSupplyAssets);
    // and the only supplier can take out everything it is credited with
    const aliceShares = (await core.position(id, alice.address)).supplyShares;
    const credited = toAssetsDown(aliceShares, m2.totalSupplyAssets, m2.totalSupplyShares);
    await expect(core.connect(alice).withdraw(id, 0, aliceShares, alice.address, alice.address)).to.changeTokenBalance(
      usdc.token,
      alice,
      credited,
    );
  });
});
