/**
 * Review findings 4 and 12 (issue 13): supply conversions are priced two-sided while a shortfall is pending, so
 * nobody gains from the uncertainty of what the waterfall will socialize. An entry is priced with the least
 * uncovered figure (the most the fund can pay: each flagged position is its own capped event), an exit with the
 * most (the fund's least draw now), and the fund prices stakers' exits with its most draw. No conversion price
 * steps when an earlier draw leaves the fund's rolling window.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import * as h from "../helpers/liquidation-helpers";
import { BallastLens__factory } from "../../typechain-types";
import { WAD, copyMarket, drawBounds, fundLimits } from "../../sdk/math";

const { U, E, MAX } = h;
const DAY = 86_400n;

/** eve's USDC balance change over `fn`. */
async function usdcDelta(f: h.Fx, who: string, fn: () => Promise<unknown>): Promise<bigint> {
  const before = await f.usdc.token.balanceOf(who);
  await fn();
  return (await f.usdc.token.balanceOf(who)) - before;
}

/** alice supplies 100,000; bob stakes 10,000 (caps 30% / 50%); carol and dave each 10 WETH / 15,000; WETH $1000. */
async function twoFlagsFixture() {
  const f = await h.zeroRateFixture();
  await f.core.connect(f.alice).supply(f.id, 100_000n * U, 0, f.alice.address);
  await f.fund.connect(f.bob).deposit(10_000n * U, f.bob.address);
  for (const s of [f.carol, f.dave]) {
    await f.core.connect(s).supplyCollateral(f.id, 0, 10n * E, s.address);
    await f.core.connect(s).borrow(f.id, 15_000n * U, 0, s.address, s.address);
  }
  await h.setPrice(f.weth, "1000");
  await f.core.flagShortfall(f.id, f.carol.address);
  await f.core.flagShortfall(f.id, f.dave.address);
  return f;
}

describe("Review finding 4: one capped event per flagged position", function () {
  it("prices an entry with the least uncovered figure and an exit with the most; the lens and the SDK agree", async function () {
    const f = await loadFixture(twoFlagsFixture);
    const { core, id, eve } = f;
    const lens = await new BallastLens__factory(f.deployer).deploy(await core.getAddress());
    const m = await core.market(id);
    expect(m.flaggedPositions).to.equal(2n);
    const [least, most] = await f.fund.drawBounds();
    // least: one event at the cap now (3,000); most: two events at 30% of 10,000 each (6,000).
    expect([least, most]).to.deep.equal([3_000n * U, 6_000n * U]);
    // The caps are shares of what the core holds for the fund (all of its 10,000: the stake is parked).
    expect(m.premiumOwed).to.equal(await f.fund.grossAssets());
    const limits = fundLimits(
      { balance: 0n, drawnInWindow: 0n, maxDrawPerEvent: 3n * 10n ** 17n, windowShare: WAD / 2n },
      m.premiumOwed,
    );
    expect(drawBounds(copyMarket(m), limits, 3n * 10n ** 17n)).to.deep.equal({ least, most });
    const s = await lens.solvency(id);
    expect(s.uncoveredShortfall).to.equal(m.pendingShortfall - least);
    expect(s.uncoveredShortfallOnEntry).to.equal(m.pendingShortfall - most);
    expect(await core.uncoveredShortfall(id)).to.equal(m.pendingShortfall - least);
    const IN = 100_000n * U;
    const minted = h.toSharesDown(IN, m.totalSupplyAssets - (m.pendingShortfall - most), m.totalSupplyShares);
    await expect(core.connect(eve).supply(id, IN, 0, eve.address))
      .to.emit(core, "Supply")
      .withArgs(id, eve.address, eve.address, IN, minted);
    const m1 = await core.market(id);
    const out = h.toAssetsDown(minted, m1.totalSupplyAssets - (m1.pendingShortfall - least), m1.totalSupplyShares);
    await expect(core.connect(eve).withdraw(id, 0, minted, eve.address, eve.address))
      .to.emit(core, "Withdraw")
      .withArgs(id, eve.address, eve.address, eve.address, out, minted);
    expect(out).to.be.lt(IN); // the spread between the bounds stays with the market
  });

  it("a newcomer entering while two flags are pending and leaving after both realizations gains nothing", async function () {
    const f = await loadFixture(twoFlagsFixture);
    const { core, id, eve, frank } = f;
    const pending = (await core.market(id)).pendingShortfall;
    expect(pending).to.equal(10_952_380_952n);
    expect(await f.fund.maxDraw()).to.equal(3_000n * U);
    const exitUncovered = await core.uncoveredShortfall(id);
    const IN = 1_000_000n * U;
    const m0 = await core.market(id);
    const delta = await usdcDelta(f, eve.address, async () => {
      await core.connect(eve).supply(id, IN, 0, eve.address);
      let socialized = 0n;
      for (const b of [f.carol, f.dave]) {
        const rc = await (await core.connect(frank).liquidate(id, b.address, 0, MAX, frank.address, "0x")).wait();
        const ev = rc!.logs.map((l) => core.interface.parseLog(l)).find((e) => e?.name === "BadDebtRealized");
        socialized += ev!.args[5] as bigint;
      }
      // Each event drew its own cap under the window: 3,000 then 2,000 (the window cap left), 5,952.38 socialized.
      expect(socialized).to.equal(pending - 5_000n * U);
      // E3: the exit estimate before the realizations was never below what was then socialized.
      expect(exitUncovered).to.be.gte(socialized);
      const [shares] = await core.position(id, eve.address);
      await core.connect(eve).withdraw(id, 0, shares, eve.address, eve.address);
    });
    expect(delta, `newcomer's gain ${ethers.formatUnits(delta, 6)} USDC`).to.be.lte(0n);
    // The stayer (alice) bears no more than her pro-rata part of what was socialized.
    const m1 = await core.market(id);
    expect(m1.totalSupplyAssets).to.be.gte(m0.totalSupplyAssets - (pending - 5_000n * U));
  });
});

/**
 * Fund of 100,000 (caps 50% / 50% / 24 h, unstake window 5 days, bob's cooldown started at once); alice supplies
 * 400,000. dave (40 WETH / 46,095.238096) is liquidated at $100 and draws 42,285.71 from the fund; carol (40 WETH
 * / 60,000) is flagged. Returns the second at which that draw leaves the rolling window.
 */
async function boundaryFixture() {
  const f = await h.zeroRateFixture();
  const { core, id, fund } = f;
  await fund.setDrawLimits(5n * 10n ** 17n, 5n * 10n ** 17n, DAY);
  await fund.setCooldownParams(10n * DAY, 5n * DAY);
  await fund.connect(f.bob).deposit(100_000n * U, f.bob.address);
  await fund.connect(f.bob).cooldown(await fund.balanceOf(f.bob.address));
  await core.connect(f.alice).supply(id, 400_000n * U, 0, f.alice.address);
  await core.connect(f.dave).supplyCollateral(id, 0, 40n * E, f.dave.address);
  await core.connect(f.dave).borrow(id, 46_095_238_096n, 0, f.dave.address, f.dave.address);
  await core.connect(f.carol).supplyCollateral(id, 0, 40n * E, f.carol.address);
  await core.connect(f.carol).borrow(id, 60_000n * U, 0, f.carol.address, f.carol.address);
  await time.increase(10n * DAY);
  const t = await h.alignToDay(f, 10n);
  await h.setPrice(f.weth, "100");
  await core.connect(f.frank).liquidate(id, f.dave.address, 0, MAX, f.frank.address, "0x");
  await core.flagShortfall(id, f.carol.address);
  return { ...f, boundary: (t / DAY + 2n) * DAY };
}

describe("Review finding 12: no price step at the fund's bucket boundary", function () {
  it("supplying one second before the boundary and withdrawing one second after gains nothing", async function () {
    const f = await loadFixture(boundaryFixture);
    const { core, id, eve, fund } = f;
    expect(await fund.drawnInWindow()).to.be.closeTo(42_285_714_286n, 1_000_000n);
    const exitBefore = await core.uncoveredShortfall(id);
    const IN = 1_000_000n * U;
    const delta = await usdcDelta(f, eve.address, async () => {
      await time.setNextBlockTimestamp(f.boundary - 1n);
      await core.connect(eve).supply(id, IN, 0, eve.address);
      await time.setNextBlockTimestamp(f.boundary + 1n);
      const [shares] = await core.position(id, eve.address);
      await core.connect(eve).withdraw(id, 0, shares, eve.address, eve.address);
    });
    expect(await fund.drawnInWindow()).to.equal(0n);
    expect(await core.uncoveredShortfall(id)).to.be.lt(exitBefore); // the window freed: less is left uncovered
    expect(delta, `round trip across the boundary: ${ethers.formatUnits(delta, 6)} USDC`).to.be.lte(0n);
  });

  it("the fund's price does not step at the boundary: a staker cannot dodge the draw by leaving before it", async function () {
    const f = await loadFixture(boundaryFixture);
    const { fund } = f;
    await time.increaseTo(f.boundary - 3n);
    const before = await fund.totalAssets();
    const gross = await fund.grossAssets();
    await time.increaseTo(f.boundary + 1n);
    const after = await fund.totalAssets();
    expect(before, "fund price before vs after the boundary").to.equal(after);
    // Exits are priced at the most the pending shortfall can draw: one event at 50% of gross.
    expect(gross - after).to.equal((gross * 5n * 10n ** 17n + 10n ** 18n - 1n) / 10n ** 18n);
    // After the boundary the window no longer binds: the least and the most draw meet.
    const [least, most] = await fund.drawBounds();
    expect([least, most]).to.deep.equal([gross - after, gross - after]);
  });
});
