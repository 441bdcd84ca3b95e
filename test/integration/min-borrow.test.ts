import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  U6,
  VIRTUAL_SHARES,
  accruedMarket,
  debtOf,
  fundedMarketFixture,
  nextTs,
  toAssetsUp,
  toSharesDown,
  toSharesUp,
} from "../helpers/core-helpers";

// fixture: minBorrow = minLeftover = 10 USDC (loan-asset units)
const MIN = 10n * U6;

describe("integration: minimum borrow and minimum leftover debt", function () {
  it("a borrow leaving less than minBorrow reverts DebtBelowMinimum; exactly minBorrow works", async function () {
    const { core, id, carol } = await loadFixture(fundedMarketFixture);
    expect((await core.config(id)).minBorrow).to.equal(MIN);
    await expect(core.connect(carol).borrow(id, MIN - 1n, 0, carol.address, carol.address))
      .to.be.revertedWithCustomError(core, "DebtBelowMinimum")
      .withArgs(id, MIN - 1n, MIN);
    await expect(core.connect(carol).borrow(id, MIN, 0, carol.address, carol.address))
      .to.emit(core, "Borrow")
      .withArgs(id, carol.address, carol.address, carol.address, MIN, MIN * VIRTUAL_SHARES);
    // once the position is above the minimum, a small top-up borrow is fine (the position's total counts)
    await expect(core.connect(carol).borrow(id, 1n, 0, carol.address, carol.address)).to.emit(core, "Borrow");
    expect((await debtOf(core, id, carol.address)) >= MIN + 1n).to.equal(true);
  });

  it("a partial repay leaving less than minLeftover reverts; leaving exactly it or repaying all works", async function () {
    const { core, usdc, id, carol } = await loadFixture(fundedMarketFixture);
    await core.connect(carol).borrow(id, 100n * U6, 0, carol.address, carol.address);
    // repay by shares so the debt left is exact: leave shares worth just under, then exactly, minLeftover
    let ts = await nextTs();
    let m = await accruedMarket(core, id, ts);
    let shares = (await core.position(id, carol.address)).borrowShares;
    const keepShares = MIN * VIRTUAL_SHARES - 2n * VIRTUAL_SHARES; // about 8 USDC of debt
    const leftAfter = (burn: bigint, mm: typeof m) =>
      toAssetsUp(
        shares - burn,
        mm.totalBorrowAssets - toAssetsUp(burn, mm.totalBorrowAssets, mm.totalBorrowShares),
        mm.totalBorrowShares - burn,
      );
    const left = leftAfter(shares - keepShares, m);
    expect(left < MIN).to.equal(true);
    await expect(core.connect(carol).repay(id, 0, shares - keepShares, carol.address))
      .to.be.revertedWithCustomError(core, "DebtBelowMinimum")
      .withArgs(id, left, MIN);
    // repay by assets leaving exactly minLeftover
    ts = await nextTs();
    m = await accruedMarket(core, id, ts);
    shares = (await core.position(id, carol.address)).borrowShares;
    const debt = toAssetsUp(shares, m.totalBorrowAssets, m.totalBorrowShares);
    const pay = debt - MIN;
    const burned = toSharesDown(pay, m.totalBorrowAssets, m.totalBorrowShares);
    const leftExact = toAssetsUp(shares - burned, m.totalBorrowAssets - pay, m.totalBorrowShares - burned);
    expect(leftExact >= MIN).to.equal(true);
    await expect(core.connect(carol).repay(id, pay, 0, carol.address))
      .to.emit(core, "Repay")
      .withArgs(id, carol.address, carol.address, pay, burned);
    // full repay by shares is always allowed
    const rest = (await core.position(id, carol.address)).borrowShares;
    ts = await nextTs();
    m = await accruedMarket(core, id, ts);
    const owed = toAssetsUp(rest, m.totalBorrowAssets, m.totalBorrowShares);
    await expect(core.connect(carol).repay(id, 0, rest, carol.address)).to.changeTokenBalance(usdc.token, carol, -owed);
    expect((await core.position(id, carol.address)).borrowShares).to.equal(0n);
  });

  it("minimums of zero allow any size; setMinAmounts applies immediately", async function () {
    const { core, id, carol } = await loadFixture(fundedMarketFixture);
    await core.setMinAmounts(id, 0, 0);
    await expect(core.connect(carol).borrow(id, 1n, 0, carol.address, carol.address))
      .to.emit(core, "Borrow")
      .withArgs(id, carol.address, carol.address, carol.address, 1n, VIRTUAL_SHARES);
    await core.setMinAmounts(id, 50n * U6, 50n * U6);
    const ts = await nextTs();
    const m = await accruedMarket(core, id, ts);
    const minted = toSharesUp(40n * U6, m.totalBorrowAssets, m.totalBorrowShares);
    const shares = (await core.position(id, carol.address)).borrowShares + minted;
    const debt = toAssetsUp(shares, m.totalBorrowAssets + 40n * U6, m.totalBorrowShares + minted);
    await expect(core.connect(carol).borrow(id, 40n * U6, 0, carol.address, carol.address))
      .to.be.revertedWithCustomError(core, "DebtBelowMinimum")
      .withArgs(id, debt, 50n * U6);
  });
});
