import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { MathHarness__factory } from "../../typechain-types";
import { VIRTUAL_SHARES, toAssetsDown, toAssetsUp, toSharesDown, toSharesUp } from "../helpers/core-helpers";

async function harnessFixture() {
  const [deployer] = await ethers.getSigners();
  return new MathHarness__factory(deployer!).deploy();
}

describe("unit: SharesMathLib", function () {
  it("an empty market prices one asset at 1e6 shares (virtual shares 1e6, virtual assets 1)", async function () {
    const h = await loadFixture(harnessFixture);
    expect(await h.toSharesDown(1, 0, 0)).to.equal(VIRTUAL_SHARES);
    expect(await h.toSharesUp(1, 0, 0)).to.equal(VIRTUAL_SHARES);
    expect(await h.toAssetsDown(VIRTUAL_SHARES, 0, 0)).to.equal(1n);
    expect(await h.toAssetsDown(VIRTUAL_SHARES - 1n, 0, 0)).to.equal(0n);
    expect(await h.toAssetsUp(1, 0, 0)).to.equal(1n);
  });

  it("converts with the virtual amounts added to both totals and rounds in the named direction", async function () {
    const h = await loadFixture(harnessFixture);
    // totals: 1000 assets, 999e6 shares -> ratio (999e6 + 1e6) / 1001
    expect(await h.toSharesDown(10, 1000, 999_000_000)).to.equal((10n * 1_000_000_000n) / 1001n);
    expect(await h.toSharesUp(10, 1000, 999_000_000)).to.equal((10n * 1_000_000_000n) / 1001n + 1n);
    expect(await h.toAssetsDown(1_000_000, 1000, 999_000_000)).to.equal(1n); // 1e6 * 1001 / 1e9 = 1.001
    expect(await h.toAssetsUp(1_000_000, 1000, 999_000_000)).to.equal(2n);
  });

  it("property: the model matches, up - down is 0 or 1, and a round trip never creates value (100 runs)", async function () {
    const h = await loadFixture(harnessFixture);
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.bigInt({ min: 0n, max: 10n ** 36n }),
        async (a, ta, ts) => {
          const sd = await h.toSharesDown(a, ta, ts);
          const su = await h.toSharesUp(a, ta, ts);
          expect(sd).to.equal(toSharesDown(a, ta, ts));
          expect(su).to.equal(toSharesUp(a, ta, ts));
          expect(su - sd <= 1n).to.equal(true);
          const ad = await h.toAssetsDown(sd, ta, ts);
          const au = await h.toAssetsUp(su, ta, ts);
          expect(ad).to.equal(toAssetsDown(sd, ta, ts));
          expect(au).to.equal(toAssetsUp(su, ta, ts));
          // supply then withdraw (mint down, redeem down) never pays out more than paid in
          expect(ad <= a).to.equal(true);
          // borrow then repay by shares (mint up, repay up) never costs less than borrowed
          expect(au >= a).to.equal(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});
