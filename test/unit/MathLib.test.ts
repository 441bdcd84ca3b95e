import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { PANIC_CODES } from "@nomicfoundation/hardhat-chai-matchers/panic";
import fc from "fast-check";
import { MathHarness__factory } from "../../typechain-types";
import { RAY, WAD, SECONDS_PER_YEAR, mulDivDown, mulDivUp, rpowUp } from "../helpers/core-helpers";
import { MAX_GROWTH_FACTOR } from "../../sdk/math";

async function harnessFixture() {
  const [deployer] = await ethers.getSigners();
  return new MathHarness__factory(deployer!).deploy();
}

/** (RAY + r)^n / RAY^(n-1) at a much higher precision than RAY (exact reference for rpowUp). */
function powHighPrecision(r: bigint, n: bigint): bigint {
  const S = 10n ** 60n;
  let x = ((RAY + r) * S) / RAY;
  let z = S;
  while (n !== 0n) {
    if ((n & 1n) !== 0n) z = (z * x) / S;
    n >>= 1n;
    if (n !== 0n) x = (x * x) / S;
  }
  return z; // scaled by S
}

describe("unit: MathLib", function () {
  it("mulDivDown floors and mulDivUp ceils, equal only when exact", async function () {
    const h = await loadFixture(harnessFixture);
    expect(await h.mulDivDown(7, 3, 2)).to.equal(10n);
    expect(await h.mulDivUp(7, 3, 2)).to.equal(11n);
    expect(await h.mulDivDown(6, 3, 2)).to.equal(9n);
    expect(await h.mulDivUp(6, 3, 2)).to.equal(9n);
    expect(await h.mulDivDown(0, 5, 3)).to.equal(0n);
    expect(await h.mulDivUp(0, 5, 3)).to.equal(0n);
    expect(await h.mulDivUp(1, 1, 3)).to.equal(1n);
    expect(await h.mulDivDown(1, 1, 3)).to.equal(0n);
  });

  it("reverts with a panic on division by zero and on overflow", async function () {
    const h = await loadFixture(harnessFixture);
    await expect(h.mulDivDown(1, 1, 0)).to.be.revertedWithPanic(PANIC_CODES.DIVISION_BY_ZERO);
    await expect(h.mulDivUp(1, 1, 0)).to.be.revertedWithPanic(PANIC_CODES.ARITHMETIC_OVERFLOW); // d - 1 underflows
    await expect(h.mulDivDown(ethers.MaxUint256, 2, 1)).to.be.revertedWithPanic(PANIC_CODES.ARITHMETIC_OVERFLOW);
    await expect(h.wDivDown(1, 0)).to.be.revertedWithPanic(PANIC_CODES.DIVISION_BY_ZERO);
  });

  it("WAD helpers round in their named direction", async function () {
    const h = await loadFixture(harnessFixture);
    expect(await h.wMulDown(3n, WAD / 2n)).to.equal(1n);
    expect(await h.wMulUp(3n, WAD / 2n)).to.equal(2n);
    expect(await h.wMulDown(4n, WAD / 2n)).to.equal(2n);
    expect(await h.wMulUp(4n, WAD / 2n)).to.equal(2n);
    expect(await h.wDivDown(1n, 3n * WAD)).to.equal(0n);
    expect(await h.wDivUp(1n, 3n * WAD)).to.equal(1n);
    expect(await h.wDivDown(2n, 3n)).to.equal((2n * WAD) / 3n);
    expect(await h.wDivUp(2n, 3n)).to.equal((2n * WAD) / 3n + 1n);
  });

  it("zeroFloorSub floors at zero and min picks the smaller", async function () {
    const h = await loadFixture(harnessFixture);
    expect(await h.zeroFloorSub(5, 3)).to.equal(2n);
    expect(await h.zeroFloorSub(3, 5)).to.equal(0n);
    expect(await h.zeroFloorSub(5, 5)).to.equal(0n);
    expect(await h.min(5, 3)).to.equal(3n);
    expect(await h.min(3, 5)).to.equal(3n);
  });

  it("property: mulDivUp - mulDivDown is 1 exactly when the division is inexact (100 runs)", async function () {
    const h = await loadFixture(harnessFixture);
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 0n, max: 2n ** 128n }),
        fc.bigInt({ min: 0n, max: 2n ** 120n }),
        fc.bigInt({ min: 1n, max: 2n ** 128n }),
        async (x, y, d) => {
          const down = await h.mulDivDown(x, y, d);
          const up = await h.mulDivUp(x, y, d);
          expect(down).to.equal(mulDivDown(x, y, d));
          expect(up).to.equal(mulDivUp(x, y, d));
          expect(up - down).to.equal((x * y) % d === 0n ? 0n : 1n);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("rpowUp: n = 0 is 1, n = 1 is 1 + r, r = 0 is 1", async function () {
    const h = await loadFixture(harnessFixture);
    const r = 3170979198376458650n; // 10% a year per second, RAY
    expect(await h.rpowUp(r, 0)).to.equal(RAY);
    expect(await h.rpowUp(r, 1)).to.equal(RAY + r);
    expect(await h.rpowUp(0, SECONDS_PER_YEAR)).to.equal(RAY);
    expect(await h.rpowUp(r, 2)).to.equal(((RAY + r) * (RAY + r) + RAY - 1n) / RAY);
  });

  it("rpowUp over a year is never below the exact power and within 1e-19 of it", async function () {
    const h = await loadFixture(harnessFixture);
    for (const annual of [WAD / 100n, WAD / 10n, WAD, 10n * WAD]) {
      const r = (annual * 10n ** 9n) / SECONDS_PER_YEAR;
      const got = await h.rpowUp(r, SECONDS_PER_YEAR);
      expect(got).to.equal(rpowUp(r, SECONDS_PER_YEAR));
      const exact = powHighPrecision(r, SECONDS_PER_YEAR); // scaled 1e60
      const gotScaled = got * 10n ** 33n;
      expect(gotScaled >= exact).to.equal(true, "rounded up");
      // about 50 products each rounded up by 1e-27, amplified by up to 25 squarings: under 1e-19 relative.
      expect((gotScaled - exact) * 10n ** 19n < exact).to.equal(true);
    }
  });

  it("rpowUp saturates at MAX_GROWTH_FACTOR (1e9-fold) instead of overflowing, exactly like the SDK", async function () {
    const h = await loadFixture(harnessFixture);
    const r = (21n * WAD * 10n ** 9n) / SECONDS_PER_YEAR; // 2,100% a year, the bounds' maximum
    for (const n of [
      SECONDS_PER_YEAR / 2n,
      SECONDS_PER_YEAR,
      3n * SECONDS_PER_YEAR,
      100n * SECONDS_PER_YEAR,
      2n ** 63n,
    ]) {
      const got = await h.rpowUp(r, n);
      expect(got).to.equal(rpowUp(r, n));
      expect(got <= MAX_GROWTH_FACTOR).to.equal(true);
    }
    expect(await h.rpowUp(r, SECONDS_PER_YEAR / 2n)).to.be.lessThan(MAX_GROWTH_FACTOR); // e^10.5: not saturated
    expect(await h.rpowUp(r, 3n * SECONDS_PER_YEAR)).to.equal(MAX_GROWTH_FACTOR); // e^63: saturated
  });
});
