/**
 * Review finding 13 (issue 13): realizing bad debt must never revert. A defaulted borrower's unpaid interest
 * includes premium (and reserves) that were never cash; writing the whole loss off supplied assets underflowed.
 * 50% premium factor, an unstaked fund, one borrower at full utilization for 60 days, a 90% drop.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  zeroRateFixture,
  Fx,
  U,
  E,
  MAX,
  WAD,
  setPrice,
  refreshFeeds,
  txTime,
  type RateModel,
} from "../helpers/liquidation-helpers";
import { lossTotals } from "../../sdk/losses";

const MAX_MODEL: RateModel = { baseRate: WAD, slope1: 10n * WAD, slope2: 10n * WAD, targetUtilization: WAD / 2n };
const DAY = 86_400n;

async function fullUtilizationFixture() {
  const f = await zeroRateFixture();
  const { core, id } = f;
  await core.setFactors(id, WAD / 10n, WAD / 2n); // 10% reserves, 50% premium
  await core.setRateModel(id, MAX_MODEL);
  await core.connect(f.alice).supply(id, 10_000n * U, 0, f.alice.address);
  await core.connect(f.carol).supplyCollateral(id, 0, 10n * E, f.carol.address);
  const t = await txTime(await core.connect(f.carol).borrow(id, 10_000n * U, 0, f.carol.address, f.carol.address));
  return { ...f, t };
}

/** Core's loan-token balance against its books: supplied + reserves + premium owed - borrowed. */
async function books(f: Fx) {
  const m = await f.core.market(f.id);
  const bal = await f.usdc.token.balanceOf(await f.core.getAddress());
  return { m, bal, cash: m.totalSupplyAssets + m.reserves + m.premiumOwed - m.totalBorrowAssets };
}

for (const extraDays of [0n, 30n]) {
  it(`Review finding 13: the whole-collateral liquidation after 60${extraDays ? " + 30" : ""} days realizes and closes`, async function () {
    const f = await loadFixture(fullUtilizationFixture);
    const { core, id, carol, frank } = f;
    await time.setNextBlockTimestamp(f.t + (60n + extraDays) * DAY);
    await core.accrueInterest(id);
    await refreshFeeds(f);
    await setPrice(f.weth, "200"); // 90% drop from $2,000
    const before = await books(f);
    expect(before.m.premiumOwed).to.be.gt(before.m.totalSupplyAssets / 2n); // premium never paid in cash
    const tx = await core.connect(frank).liquidate(id, carol.address, 0, MAX, frank.address, "0x");
    const rc = await tx.wait();
    const ev = rc!.logs
      .map((l) => {
        try {
          return core.interface.parseLog(l);
        } catch {
          return null;
        }
      })
      .find((e) => e?.name === "BadDebtRealized");
    expect(ev, "BadDebtRealized emitted").to.not.equal(undefined);
    const [, , amount, fromReserves, fromInsurance, socialized] = ev!.args;
    expect(fromReserves + fromInsurance + socialized).to.equal(amount);
    const [, borrowShares, flag] = await core.position(id, carol.address);
    expect(borrowShares).to.equal(0n);
    expect(flag).to.equal(0n);
    const after = await books(f);
    // Nothing is borrowed any more (a few units of the debt shares' rounding remainder stay in the total, as
    // after any full repay); the books still balance against the core's cash.
    expect(after.m.totalBorrowShares).to.equal(0n);
    expect(after.m.totalBorrowAssets).to.be.lte(1_000n);
    expect(after.cash).to.equal(after.bal);
    expect(after.m.totalSupplyAssets).to.be.gt(0n);
    const l = await lossTotals(core, id);
    expect(l.fromReserves + l.fromInsurance + l.socialized).to.equal(l.badDebtRealized);
  });
}

it("Review (issue 13, suspicions): uncovered beyond the supplied assets only when nobody can withdraw; never below what is socialized", async function () {
  const f = await loadFixture(fullUtilizationFixture);
  const { core, id, alice, carol, frank } = f;
  await time.setNextBlockTimestamp(f.t + 60n * DAY);
  await core.accrueInterest(id);
  await refreshFeeds(f);
  await setPrice(f.weth, "200");
  await core.flagShortfall(id, carol.address);
  const m = await core.market(id);
  // Borrowed exceeds supplied (premium owed beyond cash): the flag alone exceeds the supplied assets.
  expect(m.totalBorrowAssets).to.be.gt(m.totalSupplyAssets);
  expect(m.pendingShortfall).to.be.gt(m.totalSupplyAssets);
  const uncovered = await core.uncoveredShortfall(id);
  expect(uncovered).to.be.gt(m.totalSupplyAssets);
  // ... and then no supplier can withdraw anything: the exit price floored at zero is never paid out.
  const [aliceShares] = await core.position(id, alice.address);
  await expect(core.connect(alice).withdraw(id, 0, aliceShares, alice.address, alice.address))
    .to.be.revertedWithCustomError(core, "InsufficientLiquidity")
    .withArgs(id, 0n, 0n);
  const rc = await (await core.connect(frank).liquidate(id, carol.address, 0, MAX, frank.address, "0x")).wait();
  const ev = rc!.logs.map((l) => core.interface.parseLog(l)).find((e) => e?.name === "BadDebtRealized");
  const socialized = ev!.args[5] as bigint;
  expect(uncovered, "E3: the exit estimate is never below what is socialized").to.be.gte(socialized);
  // One more second of interest accrued to suppliers before the write-off: they lost exactly what was socialized.
  expect((await core.market(id)).totalSupplyAssets + socialized).to.be.gte(m.totalSupplyAssets);
});
