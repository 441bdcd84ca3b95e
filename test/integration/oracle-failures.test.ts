import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  E18,
  E8,
  U6,
  accruedMarket,
  deploySettableAdapter,
  fundedMarketFixture,
  mulDivDown,
  mulDivUp,
  nextTs,
  toAssetsUp,
  toSharesDown,
  toSharesUp,
  wMulDown,
} from "../helpers/core-helpers";

/** fundedMarketFixture with WETH priced through settable primary + fallback + sequencer feeds, carol owing
 * 5,000 USDC against 10 WETH, bob supplying 1,000 USDC and dave holding 1 WETH of collateral without debt. */
async function oracleFixture() {
  const f = await fundedMarketFixture();
  const feeds = await deploySettableAdapter(f.deployer, await f.weth.token.getAddress(), "2000");
  await f.core.setAdapter(f.id, 0, await feeds.adapter.getAddress());
  await feeds.adapter.checkpoint(); // reference for the fallback
  await f.core.connect(f.carol).borrow(f.id, 5_000n * U6, 0, f.carol.address, f.carol.address);
  await f.core.connect(f.bob).supply(f.id, 1_000n * U6, 0, f.bob.address);
  await f.core.connect(f.dave).supplyCollateral(f.id, 0, E18, f.dave.address);
  return { ...f, feeds };
}

type F = Awaited<ReturnType<typeof oracleFixture>>;

interface Mode {
  name: string;
  brk: (f: F, now: bigint) => Promise<unknown>;
  /** asserts the revert with the adapter's error and exact args */
  expectErr: (p: Promise<unknown>, f: F, now: bigint) => Promise<void>;
}

const P = 2000n * E8;

const MODES: Mode[] = [
  {
    name: "stale primary (fallback down)",
    brk: async ({ feeds }, now) => {
      await feeds.fallback.setReverts(true);
      await feeds.primary.set(P, now - 5000n);
    },
    expectErr: async (p, { feeds }, now) => {
      await expect(p)
        .to.be.revertedWithCustomError(feeds.adapter, "StalePrice")
        .withArgs(await feeds.primary.getAddress(), now - 5000n, 4200);
    },
  },
  {
    name: "non-positive answer",
    brk: async ({ feeds }, now) => {
      await feeds.fallback.setReverts(true);
      await feeds.primary.set(-5n, now);
    },
    expectErr: async (p, { feeds }) => {
      await expect(p)
        .to.be.revertedWithCustomError(feeds.adapter, "NonPositivePrice")
        .withArgs(await feeds.primary.getAddress(), -5n);
    },
  },
  {
    name: "answer out of governance bounds",
    brk: async ({ feeds }, now) => {
      await feeds.fallback.setReverts(true);
      await feeds.primary.set(10_000_001n * E8, now);
    },
    expectErr: async (p, { feeds }) => {
      // bounds 0.000001 .. 10,000,000 USD in 8-decimal feed units
      await expect(p)
        .to.be.revertedWithCustomError(feeds.adapter, "PriceOutOfBounds")
        .withArgs(await feeds.primary.getAddress(), 10_000_001n * E8, 100n, 10_000_000n * E8);
    },
  },
  {
    name: "reverting (retired) feed",
    brk: async ({ feeds }) => {
      await feeds.fallback.setReverts(true);
      await feeds.primary.setReverts(true);
    },
    expectErr: async (p, { feeds }) => {
      await expect(p)
        .to.be.revertedWithCustomError(feeds.adapter, "FeedReverted")
        .withArgs(await feeds.primary.getAddress());
    },
  },
  {
    name: "round dated in the future",
    brk: async ({ feeds }, now) => {
      await feeds.fallback.setReverts(true);
      await feeds.primary.set(P, now + 1000n);
    },
    expectErr: async (p, { feeds }, now) => {
      await expect(p)
        .to.be.revertedWithCustomError(feeds.adapter, "FuturePrice")
        .withArgs(await feeds.primary.getAddress(), now + 1000n);
    },
  },
  {
    name: "L2 sequencer down",
    brk: async ({ feeds }, now) => feeds.sequencer.set(1, now),
    expectErr: async (p, { feeds }) => {
      await expect(p).to.be.revertedWithCustomError(feeds.adapter, "SequencerDown");
    },
  },
  {
    name: "L2 sequencer back up within its grace period",
    brk: async ({ feeds }, now) => feeds.sequencer.set(0, now),
    expectErr: async (p, { feeds }, now) => {
      await expect(p).to.be.revertedWithCustomError(feeds.adapter, "GracePeriodNotOver").withArgs(now, 3600);
    },
  },
  {
    name: "fallback beyond the max deviation",
    brk: async ({ feeds }, now) => {
      await feeds.primary.setReverts(true);
      await feeds.fallback.set(2100n * E8, now); // +5% from the checkpointed 2000
    },
    expectErr: async (p, { feeds }) => {
      await expect(p)
        .to.be.revertedWithCustomError(feeds.adapter, "FallbackDeviationTooHigh")
        .withArgs(2000n * E18, 2100n * E18);
    },
  },
];

describe("integration: oracle failure modes through the core", function () {
  for (const mode of MODES) {
    it(`${mode.name}: borrow and withdrawCollateral revert with the adapter's error; repay, supply, supplyCollateral, withdraw succeed`, async function () {
      const f = await loadFixture(oracleFixture);
      const { core, usdc, weth, id, bob, carol, dave } = f;
      const now = BigInt(await time.latest());
      await mode.brk(f, now);

      await mode.expectErr(core.connect(carol).borrow(id, 100n * U6, 0, carol.address, carol.address), f, now);
      await mode.expectErr(core.connect(carol).withdrawCollateral(id, 0, E18, carol.address, carol.address), f, now);

      // repay (by assets): exact shares burned
      let ts = await nextTs();
      let m = await accruedMarket(core, id, ts);
      const repaid = 1_000n * U6;
      await expect(core.connect(carol).repay(id, repaid, 0, carol.address))
        .to.emit(core, "Repay")
        .withArgs(
          id,
          carol.address,
          carol.address,
          repaid,
          toSharesDown(repaid, m.totalBorrowAssets, m.totalBorrowShares),
        );
      // supply
      ts = await nextTs();
      m = await accruedMarket(core, id, ts);
      await expect(core.connect(bob).supply(id, 500n * U6, 0, bob.address))
        .to.emit(core, "Supply")
        .withArgs(
          id,
          bob.address,
          bob.address,
          500n * U6,
          toSharesDown(500n * U6, m.totalSupplyAssets, m.totalSupplyShares),
        );
      // supply collateral
      await expect(core.connect(carol).supplyCollateral(id, 0, E18, carol.address)).to.changeTokenBalances(
        weth.token,
        [carol, core],
        [-E18, E18],
      );
      // withdraw of supplied assets
      ts = await nextTs();
      m = await accruedMarket(core, id, ts);
      await expect(core.connect(bob).withdraw(id, 700n * U6, 0, bob.address, bob.address))
        .to.emit(core, "Withdraw")
        .withArgs(
          id,
          bob.address,
          bob.address,
          bob.address,
          700n * U6,
          toSharesUp(700n * U6, m.totalSupplyAssets, m.totalSupplyShares),
        );
      // a position without debt needs no price to take its collateral back
      await expect(core.connect(dave).withdrawCollateral(id, 0, E18, dave.address, dave.address)).to.changeTokenBalance(
        weth.token,
        dave,
        E18,
      );
      // full repay by shares clears the debt, still without a price
      const shares = (await core.position(id, carol.address)).borrowShares;
      ts = await nextTs();
      m = await accruedMarket(core, id, ts);
      const owed = toAssetsUp(shares, m.totalBorrowAssets, m.totalBorrowShares);
      await expect(core.connect(carol).repay(id, 0, shares, carol.address)).to.changeTokenBalance(
        usdc.token,
        carol,
        -owed,
      );
      // with no debt left, carol's collateral is free again
      await expect(core.connect(carol).withdrawCollateral(id, 0, 11n * E18, carol.address, carol.address))
        .to.emit(core, "WithdrawCollateral")
        .withArgs(id, carol.address, carol.address, carol.address, 0, 11n * E18);
    });
  }

  it("fallback within the max deviation is used: borrowing power follows the fallback price", async function () {
    const { core, usdc, id, carol, feeds } = await loadFixture(oracleFixture);
    const now = BigInt(await time.latest());
    await feeds.primary.setReverts(true);
    await feeds.fallback.set(2020n * E8, now); // +1%
    expect(await feeds.adapter.priceWad()).to.equal(2020n * E18);
    // 10 WETH x $2,020 x 80% = $16,160 of borrowing power (16,000 at the primary's price)
    const power = wMulDown(mulDivDown(10n * E18, await feeds.adapter.price(), E18), (await core.collateral(id, 0)).ltv);
    expect(power).to.equal(16_160n * E18);
    const loanPrice = await usdc.adapter.price();
    // 5,000 owed: borrow 11,100 more (16,100 > 16,000 but < 16,160)
    const ts = await nextTs();
    const m = await accruedMarket(core, id, ts);
    const more = 11_100n * U6;
    const shares = toSharesUp(more, m.totalBorrowAssets, m.totalBorrowShares);
    await expect(core.connect(carol).borrow(id, more, 0, carol.address, carol.address))
      .to.emit(core, "Borrow")
      .withArgs(id, carol.address, carol.address, carol.address, more, shares);
    // and the limit is exact at the fallback price
    const ts2 = await nextTs();
    const m2 = await accruedMarket(core, id, ts2);
    const extra = 100n * U6;
    const minted = toSharesUp(extra, m2.totalBorrowAssets, m2.totalBorrowShares);
    const posShares = (await core.position(id, carol.address)).borrowShares + minted;
    const debt = toAssetsUp(posShares, m2.totalBorrowAssets + extra, m2.totalBorrowShares + minted);
    await expect(core.connect(carol).borrow(id, extra, 0, carol.address, carol.address))
      .to.be.revertedWithCustomError(core, "BorrowAboveLtv")
      .withArgs(id, carol.address, mulDivUp(debt, loanPrice, E18), power);
  });

  it("an invalid loan-asset price blocks borrow and collateral withdrawal but not repay", async function () {
    const { core, usdc, id, carol } = await loadFixture(oracleFixture);
    const now = BigInt(await time.latest());
    await usdc.feed.updateRoundData(2, 0, now, now);
    await expect(core.connect(carol).borrow(id, 100n * U6, 0, carol.address, carol.address))
      .to.be.revertedWithCustomError(usdc.adapter, "NonPositivePrice")
      .withArgs(await usdc.feed.getAddress(), 0);
    await expect(core.connect(carol).withdrawCollateral(id, 0, E18, carol.address, carol.address))
      .to.be.revertedWithCustomError(usdc.adapter, "NonPositivePrice")
      .withArgs(await usdc.feed.getAddress(), 0);
    const ts = await nextTs();
    const m = await accruedMarket(core, id, ts);
    await expect(core.connect(carol).repay(id, 100n * U6, 0, carol.address))
      .to.emit(core, "Repay")
      .withArgs(
        id,
        carol.address,
        carol.address,
        100n * U6,
        toSharesDown(100n * U6, m.totalBorrowAssets, m.totalBorrowShares),
      );
  });

  it("a price that recovers restores borrowing", async function () {
    const { core, id, carol, feeds } = await loadFixture(oracleFixture);
    const now = BigInt(await time.latest());
    await feeds.sequencer.set(1, now);
    await expect(
      core.connect(carol).borrow(id, 100n * U6, 0, carol.address, carol.address),
    ).to.be.revertedWithCustomError(feeds.adapter, "SequencerDown");
    await feeds.sequencer.set(0, now - 3601n);
    const ts = await nextTs();
    const m = await accruedMarket(core, id, ts);
    await expect(core.connect(carol).borrow(id, 100n * U6, 0, carol.address, carol.address))
      .to.emit(core, "Borrow")
      .withArgs(
        id,
        carol.address,
        carol.address,
        carol.address,
        100n * U6,
        toSharesUp(100n * U6, m.totalBorrowAssets, m.totalBorrowShares),
      );
  });
});
