import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  twoSuppliersCrashFixture,
  U,
  E,
  MAX,
  USDC_PRICE,
  adapterPrice,
  feedAnswer,
  setPrice,
  recoverableOf,
  repaidForAll,
  toAssetsDown,
} from "../helpers/liquidation-helpers";

const DEPOSIT = 50_000n * U;
const DEBT = 15_000n * U;
const BONUS = 5n * 10n ** 16n;
const P = adapterPrice(feedAnswer("1000"), 18);

const crashFixture = twoSuppliersCrashFixture;

// Mirror: first supply mints DEPOSIT x 1e6 shares; the second, at an unchanged price, the same.
const SHARES = DEPOSIT * 10n ** 6n;
const TSS = 2n * SHARES;
const TSA = 2n * DEPOSIT;
const ESTIMATE = DEBT - recoverableOf([{ amount: 10n * E, price: P, bonus: BONUS }]);
const BAD = DEBT - repaidForAll(10n * E, USDC_PRICE, P, BONUS);

async function run(flag: boolean) {
  const f = await loadFixture(crashFixture);
  const { core, id, alice, bob, frank, carol } = f;
  if (flag) await core.connect(frank).flagShortfall(id, carol.address);
  const uncovered = flag ? ESTIMATE : 0n;
  expect(await core.uncoveredShortfall(id)).to.equal(uncovered);
  // alice leaves with all her shares, priced net of the uncovered shortfall.
  const aliceOut = toAssetsDown(SHARES, TSA - uncovered, TSS);
  await expect(core.connect(alice).withdraw(id, 0, SHARES, alice.address, alice.address)).to.changeTokenBalance(
    f.usdc.token,
    alice,
    aliceOut,
  );
  // The liquidation realizes the bad debt and socializes it on who is left: bob.
  await expect(core.connect(frank).liquidate(id, carol.address, 0, MAX, frank.address, "0x"))
    .to.emit(core, "BadDebtRealized")
    .withArgs(id, carol.address, BAD, 0, 0, BAD);
  expect((await core.market(id)).pendingShortfall).to.equal(0n);
  const bobValue = toAssetsDown(SHARES, TSA - aliceOut - BAD, SHARES);
  await expect(core.connect(bob).withdraw(id, 0, SHARES, bob.address, bob.address)).to.changeTokenBalance(
    f.usdc.token,
    bob,
    bobValue,
  );
  return { aliceLoss: DEPOSIT - aliceOut, bobLoss: DEPOSIT - bobValue };
}

describe("Exit fairness: a supplier leaving between the crash and the liquidation", function () {
  it("figures of the scenario", function () {
    // 10 WETH at $1000 recovers ceil(10,000 / 1.05) = 9,523.809524 USDC, exactly what the liquidation charges
    // for the whole collateral: the estimate equals the realized bad debt, 5,476.190476 USDC.
    expect(ESTIMATE).to.equal(5_476_190_476n);
    expect(BAD).to.equal(5_476_190_476n);
  });

  it("WITH a flag: leaver and stayer lose the same (within one base unit), half the bad debt each", async function () {
    const { aliceLoss, bobLoss } = await run(true);
    // Both lose half of the 5,476.190476 USDC bad debt: 2,738.095238 USDC each of 50,000 (5.476%).
    expect(aliceLoss + bobLoss).to.equal(BAD);
    const diff = aliceLoss > bobLoss ? aliceLoss - bobLoss : bobLoss - aliceLoss;
    expect(diff, `leaver lost ${aliceLoss}, stayer lost ${bobLoss}`).to.be.lte(1n);
    expect(aliceLoss - BAD / 2n)
      .to.be.gte(-1n)
      .and.lte(1n);
  });

  it("WITHOUT a flag: the leaver loses nothing and the stayer carries the whole loss", async function () {
    const { aliceLoss, bobLoss } = await run(false);
    expect(aliceLoss).to.equal(0n); // alice leaves at par: 50,000 USDC
    expect(bobLoss).to.equal(5_476_190_476n); // bob carries all of it: 10.95% of his deposit
    expect(bobLoss).to.equal(BAD);
  });
});
