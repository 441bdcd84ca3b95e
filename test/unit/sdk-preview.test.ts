import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "../helpers/fixtures";
import { BallastLens__factory } from "../../typechain-types";
import {
  MAX_UINT256,
  SECONDS_PER_YEAR,
  WAD,
  aprToApy,
  compoundedInterest,
  copyMarket,
  decodeError,
  marketRates,
  previewAction,
  type PreviewContext,
  type ProposedAction,
} from "../../sdk";

const U = 10n ** 6n;
const E18 = 10n ** 18n;

async function previewFixture() {
  const f = await deployMarketFixture();
  const lens = await new BallastLens__factory(f.deployer).deploy(await f.core.getAddress());
  await lens.waitForDeployment();
  await f.core.connect(f.alice).supply(f.id, 500_000n * U, 0, f.alice.address);
  return { ...f, lens };
}
type F = Awaited<ReturnType<typeof previewFixture>>;

/** The preview's inputs as a dApp reads them: the lens's views for the next block (where the action lands). */
async function context(f: F, user: string): Promise<PreviewContext> {
  const ts = BigInt(await time.latest()) + 1n;
  await time.setNextBlockTimestamp(ts);
  const [market, mv, p, raw] = await Promise.all([
    f.lens.accruedMarket(f.id, { blockTag: "pending" }),
    f.lens.market(f.id, { blockTag: "pending" }),
    f.lens.position(f.id, user, { blockTag: "pending" }),
    f.core.position(f.id, user),
  ]);
  return {
    market: copyMarket(market),
    position: { supplyShares: p.supplyShares, borrowShares: p.borrowShares, collateral: [raw[3][0]!, raw[3][1]!] },
    risks: mv.collaterals.map((c) => ({
      ltv: c.ltv,
      liquidationThreshold: c.liquidationThreshold,
      liquidationBonus: c.liquidationBonus,
    })),
    prices: { loan: mv.loanOracle.price, collaterals: mv.collaterals.map((c) => c.oracle.price) },
    uncovered: mv.uncoveredShortfall,
    minBorrow: mv.minBorrow,
    minLeftover: mv.minLeftover,
  };
}

async function send(f: F, a: ProposedAction) {
  const c = f.core.connect(f.carol);
  const who = f.carol.address;
  const assets = a.assets ?? 0n;
  const shares = a.shares ?? 0n;
  switch (a.kind) {
    case "supply":
      return c.supply(f.id, assets, shares, who);
    case "withdraw":
      return c.withdraw(f.id, assets, shares, who, who);
    case "borrow":
      return c.borrow(f.id, assets, shares, who, who);
    case "repay":
      return c.repay(f.id, assets, shares, who);
    case "supplyCollateral":
      return c.supplyCollateral(f.id, a.index!, assets, who);
    case "withdrawCollateral":
      return c.withdrawCollateral(f.id, a.index!, assets, who, who);
  }
}

describe("SDK previewAction and APY", function () {
  it("previews every action's health factor, borrow power and liquidation prices exactly as the chain ends up", async function () {
    const f = await loadFixture(previewFixture);
    const steps: ProposedAction[] = [
      { kind: "supply", assets: 1_000n * U },
      { kind: "supplyCollateral", index: 0, assets: 5n * E18 },
      { kind: "supplyCollateral", index: 1, assets: 10_000_000n },
      { kind: "borrow", assets: 6_000n * U },
      { kind: "borrow", shares: 10n ** 9n * 100n },
      { kind: "repay", assets: 1_500n * U },
      { kind: "withdrawCollateral", index: 1, assets: 4_000_000n },
      { kind: "withdraw", assets: 400n * U },
    ];
    for (const a of steps) {
      const ctx = await context(f, f.carol.address);
      const pv = previewAction(ctx, a);
      expect(pv.revert, `${a.kind} predicted a revert`).to.equal(null);
      await send(f, a);
      const lp = await f.lens.position(f.id, f.carol.address);
      expect(lp.healthFactor, `${a.kind}: health factor`).to.equal(pv.after.healthFactor);
      expect(lp.borrowPower, `${a.kind}: borrow power`).to.equal(pv.after.borrowPower);
      expect(lp.debt, `${a.kind}: debt`).to.equal(pv.after.debt);
      expect(lp.borrowShares).to.equal(pv.after.borrowShares);
      expect(lp.supplyShares).to.equal(pv.after.supplyShares);
      expect(lp.collaterals.map((c) => c.liquidationPrice)).to.deep.equal(pv.after.liquidationPrices);
      expect(lp.borrowPowerLeft, `${a.kind}: borrow power left`).to.equal(pv.after.borrowPowerLeft);
    }
    // Repay everything by shares: no debt is left and the health factor is unbounded.
    const ctx = await context(f, f.carol.address);
    const all = previewAction(ctx, { kind: "repay", shares: ctx.position.borrowShares });
    expect(all.after.debt).to.equal(0n);
    expect(all.after.healthFactor).to.equal(MAX_UINT256);
    expect(all.after.liquidationPrices).to.deep.equal([0n, 0n]);
    await send(f, { kind: "repay", shares: ctx.position.borrowShares });
    expect((await f.lens.position(f.id, f.carol.address)).debt).to.equal(0n);
  });

  it("predicts the core's revert for a borrow above LTV, a withdrawal of too much collateral and a dust repay", async function () {
    const f = await loadFixture(previewFixture);
    await f.core.connect(f.carol).supplyCollateral(f.id, 0, E18, f.carol.address); // 2,000 USD, LTV 80%
    let ctx = await context(f, f.carol.address);
    const tooMuch = previewAction(ctx, { kind: "borrow", assets: 1_700n * U });
    expect(tooMuch.revert?.name).to.equal("BorrowAboveLtv");
    expect(tooMuch.after.healthFactor).to.be.lessThan(WAD * 2n);
    const e = await send(f, { kind: "borrow", assets: 1_700n * U }).then(
      () => undefined,
      (x: unknown) => decodeError(x),
    );
    expect(e?.errorName).to.equal("BorrowAboveLtv");

    await send(f, { kind: "borrow", assets: 1_000n * U });
    ctx = await context(f, f.carol.address);
    const out = previewAction(ctx, { kind: "withdrawCollateral", index: 0, assets: E18 / 2n });
    expect(out.revert?.name).to.equal("BorrowAboveLtv");
    const over = previewAction(ctx, { kind: "withdrawCollateral", index: 0, assets: 2n * E18 });
    expect(over.revert).to.deep.equal({ name: "InsufficientBalance", args: [E18, 2n * E18] });
    const dust = previewAction(ctx, { kind: "repay", assets: 995n * U });
    expect(dust.revert?.name).to.equal("DebtBelowMinimum");
    const both = previewAction(ctx, { kind: "repay", assets: 1n, shares: 1n });
    expect(both.revert?.name).to.equal("InconsistentInput");
  });

  it("APY compounds the APR per second exactly as the core's interest over one year", function () {
    expect(aprToApy(0n)).to.equal(0n);
    for (const apr of [WAD / 100n, WAD / 20n, (WAD * 3n) / 10n, WAD]) {
      const apy = aprToApy(apr);
      // The core's interest on 1 WAD of debt over a year (rounded up) is the APY to within one wei.
      const interest = compoundedInterest(WAD, apr, SECONDS_PER_YEAR);
      expect(interest - apy).to.be.oneOf([0n, 1n]);
      expect(apy).to.be.greaterThan(apr);
      // (1 + r / N)^N - 1 with N seconds a year, in floating point, to 1e-12
      const n = Number(SECONDS_PER_YEAR);
      const cont = Math.expm1(n * Math.log1p(Number(apr) / 1e18 / n));
      expect(Math.abs(Number(apy) / 1e18 - cont)).to.be.lessThan(1e-12);
    }
    // Monthly compounding of 10%: (1 + 0.1/12)^12 - 1 = 10.4713067...%
    expect(Math.abs(Number(aprToApy(WAD / 10n, 12n)) / 1e18 - 0.10471306744129683)).to.be.lessThan(1e-15);
    const r = marketRates(WAD / 10n, WAD / 20n);
    expect(r.borrowApy).to.equal(aprToApy(WAD / 10n));
    expect(r.supplyApy).to.equal(aprToApy(WAD / 20n));
    expect(() => aprToApy(-1n)).to.throw(RangeError);
  });
});
