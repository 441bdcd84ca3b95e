/**
 * Parity of the SDK's seizure math and max-borrow search with the contracts (issue 13, findings 6 and 16):
 * PositionLib.seizedFor / repaidForAll (one full-precision step, one rounding each) and BallastLens._maxBorrow.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { LensMaxBorrowHarness__factory, SeizureHarness__factory } from "../../typechain-types";
import { WAD, maxBorrow, mulDivDown, repaidForAll, seizedFor, toAssetsUp, toSharesUp } from "../../sdk";

const SEED = Number(process.env.SDK_SEED ?? 13);
/** Adapter-scale prices (USD per base unit x 1e36) from $0.0001 to $1,000,000 for 6 to 18-decimal tokens. */
const price = fc
  .tuple(fc.bigInt({ min: 1n, max: 10n ** 10n }), fc.constantFrom(6n, 8n, 18n))
  .map(([usd4, decimals]) => (usd4 * 10n ** 32n) / 10n ** decimals);

async function harnesses() {
  const [deployer] = await ethers.getSigners();
  return {
    seizure: await new SeizureHarness__factory(deployer!).deploy(),
    lens: await new LensMaxBorrowHarness__factory(deployer!).deploy(),
  };
}

describe("SDK seizure and max-borrow math: parity with the contracts", function () {
  it("seizedFor and repaidForAll equal PositionLib's; a whole balance's cost buys at least that balance", async function () {
    const { seizure } = await loadFixture(harnesses);
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        price,
        price,
        fc.bigInt({ min: 0n, max: WAD / 5n }),
        async (amount, loanPrice, colPrice, bonus) => {
          const seized = seizedFor(amount, loanPrice, colPrice, bonus);
          const cost = repaidForAll(amount, colPrice, loanPrice, bonus);
          expect(await seizure.seizedFor(amount, loanPrice, colPrice, bonus)).to.equal(seized);
          expect(await seizure.repaidForAll(amount, colPrice, loanPrice, bonus)).to.equal(cost);
          // One rounding: exactly floor / ceil of the exact quotient.
          expect(seized).to.equal((amount * loanPrice * (WAD + bonus)) / (colPrice * WAD));
          expect(seizedFor(cost, loanPrice, colPrice, bonus)).to.be.gte(amount);
        },
      ),
      { numRuns: 60, seed: SEED },
    );
  });

  it("repaying exactly the price of one C1 at $1,050 with a 5% bonus seizes exactly one C1", async function () {
    const { seizure } = await loadFixture(harnesses);
    const usdc = 10n ** 30n; // $1 per 6-decimal unit
    const c1 = 1_050n * 10n ** 18n; // $1,050 per 18-decimal unit
    expect(await seizure.seizedFor(1_000n * 10n ** 6n, usdc, c1, WAD / 20n)).to.equal(10n ** 18n);
    expect(await seizure.repaidForAll(10n ** 18n, c1, usdc, WAD / 20n)).to.equal(1_000n * 10n ** 6n);
  });

  it("maxBorrow equals the lens's and is accepted by the core's LTV check, even after extreme share growth", async function () {
    const { lens } = await loadFixture(harnesses);
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 10n ** 6n, max: 10n ** 18n }),
        fc.bigInt({ min: 0n, max: 13n }),
        fc.bigInt({ min: 0n, max: 10_000n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        async (tbs, growth, bsBps, headroom) => {
          const tba = (tbs * 10n ** growth) / 10n ** 6n + 1n;
          const bs = (tbs * bsBps) / 10_000n;
          const debt = toAssetsUp(bs, tba, tbs);
          const loanPrice = 10n ** 30n;
          const power = (debt + headroom) * 10n ** 12n;
          const v = { debt, borrowPower: power } as Parameters<typeof maxBorrow>[2];
          const x = maxBorrow(
            { totalBorrowAssets: tba, totalBorrowShares: tbs } as Parameters<typeof maxBorrow>[0],
            { borrowShares: bs, collateral: [] },
            v,
            loanPrice,
          );
          expect(await lens.maxBorrow(tba, tbs, bs, debt, power, loanPrice)).to.equal(x);
          const s = toSharesUp(x, tba, tbs);
          expect(toAssetsUp(bs + s, tba + x, tbs + s)).to.be.lte(mulDivDown(power, WAD, loanPrice));
        },
      ),
      { numRuns: 60, seed: SEED },
    );
  });
});
