import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  zeroRateFixture,
  Fx,
  U,
  E,
  MAX,
  USDC_PRICE,
  adapterPrice,
  feedAnswer,
  setPrice,
  recoverableOf,
  repaidForAll,
  fundAssetsDown,
  fundSharesDown,
  fundMaxDraw,
  waterfall,
  min,
  zeroFloorSub,
  txTime,
  refreshFeeds,
} from "../helpers/liquidation-helpers";

const BONUS = 5n * 10n ** 16n;
const wethPrice = (usd: string) => adapterPrice(feedAnswer(usd), 18);
/** Estimate of a WETH-only position: debt - floor(value / 1.05) in USDC, i.e. rounded up. */
const estimate = (debt: bigint, weth: bigint, usd: string) =>
  zeroFloorSub(debt, recoverableOf([{ amount: weth, price: wethPrice(usd), bonus: BONUS }]));

/** alice supplies 100,000; carol 1 WETH / 1,500 debt; dave 2 WETH / 3,000 debt (all at $2000). */
async function shortfallFixture() {
  const f = await zeroRateFixture();
  await f.core.connect(f.alice).supply(f.id, 100_000n * U, 0, f.alice.address);
  await f.core.connect(f.carol).supplyCollateral(f.id, 0, E, f.carol.address);
  await f.core.connect(f.carol).borrow(f.id, 1_500n * U, 0, f.carol.address, f.carol.address);
  await f.core.connect(f.dave).supplyCollateral(f.id, 0, 2n * E, f.dave.address);
  await f.core.connect(f.dave).borrow(f.id, 3_000n * U, 0, f.dave.address, f.dave.address);
  return f;
}

const shortfallOf = async (f: Fx, who: string) => (await f.core.position(f.id, who))[2];
/** The market's pending shortfall; every read also checks the bit and the count packed beside it (issue 15). */
const pending = async (f: Fx) => {
  const m = await f.core.market(f.id);
  expect(m.shortfallPending, "shortfallPending == (pendingShortfall != 0)").to.equal(m.pendingShortfall !== 0n);
  expect(m.flaggedPositions === 0n, "no flagged position iff nothing pending").to.equal(m.pendingShortfall === 0n);
  return m.pendingShortfall;
};

describe("Pending shortfall: flag, update, clear, liquidation, fund pricing, pause", function () {
  it("rejects a solvent position (NotShort), a stale price, and an unknown market, changing nothing", async function () {
    const f = await loadFixture(shortfallFixture);
    const rec = recoverableOf([{ amount: E, price: wethPrice("2000"), bonus: BONUS }]);
    await expect(f.core.flagShortfall(f.id, f.carol.address))
      .to.be.revertedWithCustomError(f.core, "NotShort")
      .withArgs(f.id, f.carol.address, 1_500n * U, rec);
    await expect(f.core.flagShortfall(99n, f.carol.address))
      .to.be.revertedWithCustomError(f.core, "MarketNotCreated")
      .withArgs(99n);
    await setPrice(f.weth, "1000");
    const [, , , updatedAt] = await f.weth.feed.latestRoundData();
    await time.increase(4_201);
    await expect(f.core.flagShortfall(f.id, f.carol.address))
      .to.be.revertedWithCustomError(f.weth.adapter, "StalePrice")
      .withArgs(await f.weth.feed.getAddress(), updatedAt, 4_200);
    expect(await pending(f)).to.equal(0n);
    expect(await shortfallOf(f, f.carol.address)).to.equal(0n);
  });

  it("flags, re-flags without double counting, and sums the flags of several positions", async function () {
    const f = await loadFixture(shortfallFixture);
    await setPrice(f.weth, "1000");
    const e1 = estimate(1_500n * U, E, "1000");
    expect(e1).to.equal(547_619_047n); // 1500 - ceil(1000 / 1.05), what a liquidation of it all would repay
    await expect(f.core.flagShortfall(f.id, f.carol.address))
      .to.emit(f.core, "ShortfallFlagged")
      .withArgs(f.id, f.carol.address, e1);
    expect(await pending(f)).to.equal(e1);
    await expect(f.core.flagShortfall(f.id, f.carol.address))
      .to.emit(f.core, "ShortfallFlagged")
      .withArgs(f.id, f.carol.address, e1);
    expect(await pending(f)).to.equal(e1);
    await setPrice(f.weth, "900");
    const e2 = estimate(1_500n * U, E, "900");
    await f.core.flagShortfall(f.id, f.carol.address);
    const d = estimate(3_000n * U, 2n * E, "900");
    await f.core.flagShortfall(f.id, f.dave.address);
    expect(await shortfallOf(f, f.carol.address)).to.equal(e2);
    expect(await shortfallOf(f, f.dave.address)).to.equal(d);
    expect(await pending(f)).to.equal(e2 + d);
  });

  it("clears on recovery with clearShortfall, and refuses while still short or never flagged", async function () {
    const f = await loadFixture(shortfallFixture);
    await expect(f.core.clearShortfall(f.id, f.carol.address))
      .to.be.revertedWithCustomError(f.core, "NotFlagged")
      .withArgs(f.id, f.carol.address);
    // An account without debt cannot be flagged, whatever the prices.
    await expect(f.core.flagShortfall(f.id, f.frank.address))
      .to.be.revertedWithCustomError(f.core, "NoDebt")
      .withArgs(f.id, f.frank.address);
    await setPrice(f.weth, "1000");
    await f.core.flagShortfall(f.id, f.carol.address);
    await setPrice(f.weth, "1200");
    await expect(f.core.clearShortfall(f.id, f.carol.address))
      .to.be.revertedWithCustomError(f.core, "StillShort")
      .withArgs(f.id, f.carol.address, estimate(1_500n * U, E, "1200"));
    await setPrice(f.weth, "1575"); // 1575 / 1.05 = 1500: exactly covered
    await expect(f.core.clearShortfall(f.id, f.carol.address))
      .to.emit(f.core, "ShortfallCleared")
      .withArgs(f.id, f.carol.address);
    expect(await pending(f)).to.equal(0n);
  });

  it("is cleared by a full repay and updated, then cleared, by added collateral", async function () {
    const f = await loadFixture(shortfallFixture);
    await setPrice(f.weth, "1000");
    await f.core.flagShortfall(f.id, f.carol.address);
    const d = await f.core.flagShortfall.staticCall(f.id, f.dave.address);
    await f.core.flagShortfall(f.id, f.dave.address);
    const [, carolShares] = await f.core.position(f.id, f.carol.address);
    await expect(f.core.connect(f.carol).repay(f.id, 0, carolShares, f.carol.address))
      .to.emit(f.core, "ShortfallCleared")
      .withArgs(f.id, f.carol.address);
    expect(await pending(f)).to.equal(d);
    // dave adds 0.5 WETH: still short, the flag follows the new estimate.
    const d2 = estimate(3_000n * U, 2n * E + E / 2n, "1000");
    await expect(f.core.connect(f.dave).supplyCollateral(f.id, 0, E / 2n, f.dave.address))
      .to.emit(f.core, "ShortfallFlagged")
      .withArgs(f.id, f.dave.address, d2);
    expect(await pending(f)).to.equal(d2);
    await expect(f.core.connect(f.dave).supplyCollateral(f.id, 0, E, f.dave.address))
      .to.emit(f.core, "ShortfallCleared")
      .withArgs(f.id, f.dave.address);
    expect(await pending(f)).to.equal(0n);
  });

  for (const [label, usd] of [
    ["less", "1100"],
    ["more", "900"],
  ] as const) {
    it(`replaces the flag by the realized bad debt when a liquidation realizes ${label} than the estimate`, async function () {
      const f = await loadFixture(shortfallFixture);
      await setPrice(f.weth, "1000");
      const est = estimate(1_500n * U, E, "1000");
      await f.core.flagShortfall(f.id, f.carol.address);
      await setPrice(f.weth, usd);
      const bad = 1_500n * U - repaidForAll(E, USDC_PRICE, wethPrice(usd), BONUS);
      if (label === "less") expect(bad).to.be.lt(est);
      else expect(bad).to.be.gt(est);
      const tx = f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x");
      await expect(tx).to.emit(f.core, "ShortfallCleared").withArgs(f.id, f.carol.address);
      await expect(tx).to.emit(f.core, "BadDebtRealized").withArgs(f.id, f.carol.address, bad, 0, 0, bad);
      expect(await pending(f)).to.equal(0n);
      expect((await f.core.market(f.id)).totalSupplyAssets).to.equal(100_000n * U - bad);
    });
  }

  it("lowers the stakers' withdrawal price by the expected draw while a shortfall is pending", async function () {
    const f = await loadFixture(shortfallFixture);
    const { fund, bob } = f;
    await fund.connect(bob).deposit(10_000n * U, bob.address);
    const shares = fundSharesDown(10_000n * U, 0n, 0n);
    const t = await txTime(await fund.connect(bob).cooldown(shares));
    await time.setNextBlockTimestamp(t + 10n * 86_400n);
    await refreshFeeds(f);
    await setPrice(f.weth, "1000");
    const est = estimate(1_500n * U, E, "1000");
    await f.core.flagShortfall(f.id, f.carol.address);
    const expected = min(est, fundMaxDraw(10_000n * U)); // no reserves: the fund is expected to pay it all
    expect(await fund.expectedDraw()).to.equal(expected);
    expect(await fund.totalAssets()).to.equal(10_000n * U - expected);
    expect(await f.core.uncoveredShortfall(f.id)).to.equal(0n);
    // bob leaves half: at the lowered price.
    const half = shares / 2n;
    const out = fundAssetsDown(half, 10_000n * U - expected, shares);
    await expect(fund.connect(bob).redeem(half, bob.address, bob.address)).to.changeTokenBalance(
      f.usdc.token,
      bob,
      out,
    );
    expect(out).to.be.lt(5_000n * U);
  });

  it("a guardian pause delays the liquidation but cannot stop the draw; the fund has no pause", async function () {
    const f = await loadFixture(shortfallFixture);
    const { core, id, fund, bob, frank } = f;
    await fund.connect(bob).deposit(10_000n * U, bob.address);
    await setPrice(f.weth, "1000");
    await core.flagShortfall(id, f.carol.address);
    await core.setPaused(id, 0x77); // everything the guardian may pause
    await expect(core.connect(frank).liquidate(id, f.carol.address, 0, MAX, frank.address, "0x"))
      .to.be.revertedWithCustomError(core, "ActionPaused")
      .withArgs(id, 64);
    // The expected draw stays booked against the fund's price during the pause.
    const est = estimate(1_500n * U, E, "1000");
    expect(await fund.totalAssets()).to.equal(10_000n * U - est);
    const fnNames: string[] = [];
    fund.interface.forEachFunction((fn) => fnNames.push(fn.name));
    expect(fnNames.filter((n) => /pause/i.test(n))).to.deep.equal([]);
    expect(fnNames).to.include("coverLimited");
    // Unpause liquidation and collateral deposits (the cure; supply, borrow, withdraw... stay paused): the grace
    // runs, then the draw happens.
    const t = await txTime(await core.setPaused(id, 0x27));
    await time.setNextBlockTimestamp(t + 3_600n);
    await setPrice(f.weth, "1000");
    const bad = 1_500n * U - repaidForAll(E, USDC_PRICE, wethPrice("1000"), BONUS);
    // Bob's stake is parked in the core (premiumOwed): the whole draw is met there, without a token transfer.
    expect((await core.market(id)).premiumOwed).to.equal(10_000n * U);
    const w = waterfall(bad, 0n, 10_000n * U, fundMaxDraw(10_000n * U));
    expect([w.fromInsurance, w.fromPremium]).to.deep.equal([bad, bad]);
    const tx = core.connect(frank).liquidate(id, f.carol.address, 0, MAX, frank.address, "0x");
    await expect(tx).to.emit(core, "BadDebtRealized").withArgs(id, f.carol.address, bad, 0, bad, 0);
    await expect(tx).to.emit(fund, "Drawn").withArgs(bad, bad, bad);
    await expect(tx).to.changeTokenBalance(f.usdc.token, fund, 0n);
    expect((await core.market(id)).premiumOwed).to.equal(10_000n * U - bad);
    expect(await fund.totalAssets()).to.equal(10_000n * U - bad);
    expect((await core.config(id)).paused).to.equal(0x27);
  });
});
