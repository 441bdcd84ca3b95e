import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { MathHarness__factory } from "../../typechain-types";
import { wad } from "../../scripts/lib/protocol";
import {
  RAY,
  WAD,
  SECONDS_PER_YEAR,
  borrowRate,
  compoundedInterest,
  expScaled,
  relErr,
  rpowUp,
} from "../helpers/core-helpers";

async function harnessFixture() {
  const [deployer] = await ethers.getSigners();
  return new MathHarness__factory(deployer!).deploy();
}

const MODEL = { baseRate: wad("0.01"), slope1: wad("0.04"), slope2: wad("3"), targetUtilization: wad("0.8") };

describe("unit: InterestLib", function () {
  it("utilization is borrowed / supplied rounded down, 0 on an empty market, capped at 100%", async function () {
    const h = await loadFixture(harnessFixture);
    expect(await h.utilization(0, 0)).to.equal(0n);
    expect(await h.utilization(5, 0)).to.equal(0n);
    expect(await h.utilization(1, 3)).to.equal(WAD / 3n); // 0.333..3 rounded down
    expect(await h.utilization(3, 3)).to.equal(WAD);
    expect(await h.utilization(4, 3)).to.equal(WAD);
  });

  it("the kinked rate is base + slope1 * u / target below the kink and adds slope2 above it", async function () {
    const h = await loadFixture(harnessFixture);
    expect(await h.borrowRate(MODEL, 0)).to.equal(wad("0.01"));
    expect(await h.borrowRate(MODEL, wad("0.4"))).to.equal(wad("0.03"));
    expect(await h.borrowRate(MODEL, wad("0.8"))).to.equal(wad("0.05"));
    expect(await h.borrowRate(MODEL, wad("0.9"))).to.equal(wad("1.55"));
    expect(await h.borrowRate(MODEL, WAD)).to.equal(wad("3.05"));
    // rounding down of slope1 * u / target
    expect(await h.borrowRate(MODEL, 1n)).to.equal(wad("0.01") + (wad("0.04") * 1n) / wad("0.8"));
  });

  it("property: the rate matches the model and never decreases with utilization (100 runs)", async function () {
    const h = await loadFixture(harnessFixture);
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 0n, max: WAD }), fc.bigInt({ min: 0n, max: WAD }), async (u1, u2) => {
        const [lo, hi] = u1 < u2 ? [u1, u2] : [u2, u1];
        const rLo = await h.borrowRate(MODEL, lo);
        const rHi = await h.borrowRate(MODEL, hi);
        expect(rLo).to.equal(borrowRate(MODEL, lo));
        expect(rHi).to.equal(borrowRate(MODEL, hi));
        expect(rHi >= rLo).to.equal(true);
      }),
      { numRuns: 100 },
    );
  });

  it("compounded interest is zero with no time or no rate, and rounds a tiny accrual down", async function () {
    const h = await loadFixture(harnessFixture);
    expect(await h.compoundedInterest(10n ** 12n, wad("0.1"), 0)).to.equal(0n);
    expect(await h.compoundedInterest(10n ** 12n, 0, SECONDS_PER_YEAR)).to.equal(0n);
    expect(await h.compoundedInterest(1, wad("0.1"), 1)).to.equal(0n); // 3e-9 of a unit, rounded down (issue 13, #14)
  });

  it("a year of per-second compounding matches e^r within 1e-9 at 10% and the exact discrete power at 100%", async function () {
    const h = await loadFixture(harnessFixture);
    const principal = 10n ** 24n;
    const S = 10n ** 40n;
    // 10% a year: (1 + r/N)^N differs from e^r by about r^2 / (2N) = 1.6e-10.
    const i10 = await h.compoundedInterest(principal, wad("0.1"), SECONDS_PER_YEAR);
    expect(i10).to.equal(compoundedInterest(principal, wad("0.1"), SECONDS_PER_YEAR));
    const growth10 = ((principal + i10) * S) / principal;
    expect(relErr(growth10, expScaled(wad("0.1"), S))).to.be.lessThan(1e-9);
    // 100% a year: the per-second product itself is exact to 1e-15 of the discrete power.
    const i100 = await h.compoundedInterest(principal, WAD, SECONDS_PER_YEAR);
    const perSecond = (WAD * 10n ** 9n) / SECONDS_PER_YEAR;
    expect(i100).to.equal((principal * (rpowUp(perSecond, SECONDS_PER_YEAR) - RAY)) / RAY); // rounded down
    const growth100 = ((principal + i100) * S) / principal;
    // and stays within r^2 / (2N) (1.6e-8) of continuous compounding
    expect(relErr(growth100, expScaled(WAD, S))).to.be.lessThan(1.6e-8);
    expect(growth100 < expScaled(WAD, S)).to.equal(true);
  });

  it("compounding is monotonic in time and splitting a period never under-counts by more than rounding", async function () {
    const h = await loadFixture(harnessFixture);
    const p = 10n ** 18n;
    let prev = 0n;
    for (const t of [1n, 60n, 3600n, 86400n, 30n * 86400n, SECONDS_PER_YEAR, 2n * SECONDS_PER_YEAR]) {
      const i = await h.compoundedInterest(p, wad("0.5"), t);
      expect(i > prev).to.equal(true);
      prev = i;
    }
    const whole = await h.compoundedInterest(p, wad("0.5"), 2n * 86400n);
    const first = await h.compoundedInterest(p, wad("0.5"), 86400n);
    const second = await h.compoundedInterest(p + first, wad("0.5"), 86400n);
    expect(relErr(first + second, whole)).to.be.lessThan(1e-15);
  });
});
