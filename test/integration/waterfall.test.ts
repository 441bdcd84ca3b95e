import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  zeroRateFixture,
  accrueOnce,
  Fx,
  U,
  E,
  B,
  YEAR,
  MAX,
  USDC_PRICE,
  adapterPrice,
  feedAnswer,
  setPrice,
  repaidForAll,
  toSharesDown,
  toAssetsDown,
  waterfall,
  fundMaxDraw,
  BorrowBook,
} from "../helpers/liquidation-helpers";
import { lossTotals } from "../../sdk/losses";

const BONUS_WBTC = 7n * 10n ** 16n;
const SUPPLIED = 100_000n * U;

/** Market with one year of 10% interest on 50,000 borrowed by carol (40 WETH), then interest off. */
async function accruedFixture() {
  const f = await zeroRateFixture();
  const acc = await accrueOnce(f, {
    supplier: f.alice.address,
    borrower: f.carol.address,
    supplied: SUPPLIED,
    borrowed: 50_000n * U,
    colWeth: 40n * E,
    elapsed: YEAR,
  });
  // Mirror of the market after the accrual.
  const book = new BorrowBook();
  book.borrow(50_000n * U);
  book.tba += acc.interest;
  const s = {
    tsa: SUPPLIED + acc.toSuppliers,
    tss: SUPPLIED * 10n ** 6n,
    reserves: acc.toReserves,
    premium: acc.toPremium,
  };
  return { ...f, acc, book, s };
}

type AFx = Awaited<ReturnType<typeof accruedFixture>>;

/** dave posts `wbtc` WBTC and borrows `debt`; WBTC then crashes to $30,000. Returns dave's debt shares. */
async function openAndCrash(f: AFx, wbtc: bigint, debt: bigint): Promise<bigint> {
  await f.core.connect(f.dave).supplyCollateral(f.id, 1, wbtc, f.dave.address);
  await f.core.connect(f.dave).borrow(f.id, debt, 0, f.dave.address, f.dave.address);
  const shares = f.book.borrow(debt);
  await setPrice(f.wbtc, "30000");
  return shares;
}

/** Expected bad debt of a full liquidation of dave at $30,000 (all WBTC seized). */
function expectedBad(f: AFx, wbtc: bigint, shares: bigint) {
  const repaid = repaidForAll(wbtc, USDC_PRICE, adapterPrice(feedAnswer("30000"), 8), BONUS_WBTC);
  const burned = f.book.liquidate(repaid, shares);
  return { repaid, bad: f.book.writeOff(shares - burned) };
}

const liquidateDave = (f: Fx) => f.core.connect(f.frank).liquidate(f.id, f.dave.address, 1, MAX, f.frank.address, "0x");

describe("Bad-debt waterfall: reserves, insurance fund, socialization", function () {
  it("covers bad debt smaller than the reserves from the reserves alone", async function () {
    const f = await loadFixture(accruedFixture);
    const wbtc = B / 100n; // $600
    const shares = await openAndCrash(f, wbtc, 449n * U);
    const { bad } = expectedBad(f, wbtc, shares);
    expect(bad).to.be.lt(f.s.reserves);
    await expect(liquidateDave(f)).to.emit(f.core, "BadDebtRealized").withArgs(f.id, f.dave.address, bad, bad, 0, 0);
    const m = await f.core.market(f.id);
    expect(m.reserves).to.equal(f.s.reserves - bad);
    expect(m.totalSupplyAssets).to.equal(f.s.tsa);
    expect(m.premiumOwed).to.equal(f.s.premium);
  });

  it("draws on the fund once reserves are exhausted, met in the core from its premium and parked stake", async function () {
    const f = await loadFixture(accruedFixture);
    await f.fund.connect(f.bob).deposit(10_000n * U, f.bob.address);
    const wbtc = B / 10n; // $6000
    const shares = await openAndCrash(f, wbtc, 4_499n * U);
    const { bad } = expectedBad(f, wbtc, shares);
    // The stake is parked in the core: premiumOwed holds it with the premium, and is the fund's gross.
    const gross = 10_000n * U + f.s.premium;
    expect((await f.core.market(f.id)).premiumOwed).to.equal(gross);
    const w = waterfall(bad, f.s.reserves, gross, fundMaxDraw(gross));
    expect(w.fromReserves).to.equal(f.s.reserves);
    expect(w.fromInsurance).to.be.gt(f.s.premium); // more than the premium: the parked stake pays the rest
    expect(w.fromPremium).to.equal(w.fromInsurance); // all of it met by lowering premiumOwed
    expect(w.socialized).to.equal(0n);
    const tx = liquidateDave(f);
    await expect(tx)
      .to.emit(f.core, "BadDebtRealized")
      .withArgs(f.id, f.dave.address, bad, w.fromReserves, w.fromInsurance, 0);
    await expect(tx).to.emit(f.fund, "Drawn").withArgs(w.fromInsurance, w.fromPremium, w.fromInsurance);
    await expect(tx).to.changeTokenBalance(f.usdc.token, f.fund, 0n); // no tokens move at a draw
    const m = await f.core.market(f.id);
    expect(m.reserves).to.equal(0n);
    expect(m.premiumOwed).to.equal(gross - w.fromInsurance);
    expect(m.totalSupplyAssets).to.equal(f.s.tsa);
    expect(await f.fund.grossAssets()).to.equal(gross - w.fromInsurance);
    expect(await f.fund.totalAssets()).to.equal(gross - w.fromInsurance);
  });

  it("socializes what the fund's 30% per-event cap leaves, pro rata over several suppliers", async function () {
    const f = await loadFixture(accruedFixture);
    await f.fund.connect(f.bob).deposit(1_000n * U, f.bob.address);
    // Two more suppliers join at the accrued share price.
    const sh = { alice: SUPPLIED * 10n ** 6n, eve: 0n, frank: 0n };
    let { tsa, tss } = f.s;
    for (const [who, amt] of [
      ["eve", 30_000n * U],
      ["frank", 7_777n * U + 123_457n],
    ] as const) {
      const signer = who === "eve" ? f.eve : f.frank;
      const shares = toSharesDown(amt, tsa, tss);
      await f.core.connect(signer).supply(f.id, amt, 0, signer.address);
      sh[who] = shares;
      tsa += amt;
      tss += shares;
    }
    const wbtc = B / 10n;
    const shares = await openAndCrash(f, wbtc, 4_499n * U);
    const { bad } = expectedBad(f, wbtc, shares);
    const maxDraw = fundMaxDraw(1_000n * U + f.s.premium);
    const w = waterfall(bad, f.s.reserves, f.s.premium, maxDraw);
    expect(w.fromInsurance).to.equal(maxDraw);
    expect(w.socialized).to.be.gt(0n);
    expect(w.fromReserves + w.fromInsurance + w.socialized).to.equal(bad);

    const before = {
      alice: toAssetsDown(sh.alice, tsa, tss),
      eve: toAssetsDown(sh.eve, tsa, tss),
      frank: toAssetsDown(sh.frank, tsa, tss),
    };
    await expect(liquidateDave(f))
      .to.emit(f.core, "BadDebtRealized")
      .withArgs(f.id, f.dave.address, bad, w.fromReserves, w.fromInsurance, w.socialized);
    const m = await f.core.market(f.id);
    expect(m.totalSupplyAssets).to.equal(tsa - w.socialized);
    const after = {
      alice: toAssetsDown(sh.alice, tsa - w.socialized, tss),
      eve: toAssetsDown(sh.eve, tsa - w.socialized, tss),
      frank: toAssetsDown(sh.frank, tsa - w.socialized, tss),
    };
    let sumLoss = 0n;
    for (const k of ["alice", "eve", "frank"] as const) {
      const loss = before[k] - after[k];
      // Each loss is the supplier's pro-rata part of the socialized amount, within one unit of rounding.
      const proRata = (w.socialized * sh[k]) / (tss + 10n ** 6n);
      expect(loss - proRata)
        .to.be.gte(-1n)
        .and.lte(1n);
      sumLoss += loss;
    }
    // The parts add up: what suppliers lose is the socialized amount (the virtual shares' sliver aside).
    expect(w.socialized - sumLoss)
      .to.be.gte(0n)
      .and.lte(3n);

    // A supplier who withdraws after the loss is recognized bears it.
    const tx = f.core.connect(f.eve).withdraw(f.id, 0, sh.eve, f.eve.address, f.eve.address);
    await expect(tx).to.changeTokenBalance(f.usdc.token, f.eve, after.eve);
    expect(after.eve).to.be.lt(30_000n * U);
  });

  it("loss totals summed from BadDebtRealized stay cumulative over events", async function () {
    const f = await loadFixture(accruedFixture);
    await f.fund.connect(f.bob).deposit(1_000n * U, f.bob.address);
    // Event 1: small, from reserves.
    const s1 = await openAndCrash(f, B / 100n, 449n * U);
    const e1 = expectedBad(f, B / 100n, s1);
    await liquidateDave(f);
    const w1 = waterfall(e1.bad, f.s.reserves, f.s.premium, fundMaxDraw(1_000n * U + f.s.premium));
    // Event 2: dave again, at $60,000 then crashed.
    await setPrice(f.wbtc, "60000");
    const s2 = await openAndCrash(f, B / 10n, 4_499n * U);
    const e2 = expectedBad(f, B / 10n, s2);
    const w2 = waterfall(
      e2.bad,
      f.s.reserves - w1.fromReserves,
      f.s.premium - w1.fromPremium,
      fundMaxDraw(1_000n * U + f.s.premium - w1.fromInsurance, w1.fromInsurance),
    );
    await expect(liquidateDave(f))
      .to.emit(f.core, "BadDebtRealized")
      .withArgs(f.id, f.dave.address, e2.bad, w2.fromReserves, w2.fromInsurance, w2.socialized);
    const l = await lossTotals(f.core, f.id);
    expect(l.badDebtRealized).to.equal(e1.bad + e2.bad);
    expect(l.fromReserves).to.equal(w1.fromReserves + w2.fromReserves);
    expect(l.fromInsurance).to.equal(w1.fromInsurance + w2.fromInsurance);
    expect(l.socialized).to.equal(w1.socialized + w2.socialized);
    expect(l.fromReserves + l.fromInsurance + l.socialized).to.equal(l.badDebtRealized);
    expect(w2.socialized).to.be.gt(0n);
  });
});
