import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import {
  E18,
  U6,
  VIRTUAL_SHARES,
  accruedMarket,
  borrowedMarketFixture,
  createMarketFrom,
  expectedCash,
  marketParams,
  nextTs,
  toAssetsDown,
  toAssetsUp,
  toSharesDown,
  toSharesUp,
} from "../helpers/core-helpers";
import { deployMarketFixture } from "../helpers/fixtures";

/** borrowedMarketFixture (a share price moved by 30 days of interest) plus dave with 100 WETH of collateral. */
async function roundingFixture() {
  const f = await borrowedMarketFixture();
  await f.core.connect(f.dave).supplyCollateral(f.id, 0, 100n * E18, f.dave.address);
  return f;
}

/** A second market (same loan asset, no insurance fund) that nobody has supplied to yet. */
async function emptyMarketFixture() {
  const f = await deployMarketFixture();
  const id = await createMarketFrom(
    f.core,
    marketParams(await f.usdc.token.getAddress(), await f.usdc.adapter.getAddress(), [
      { token: await f.weth.token.getAddress(), adapter: await f.weth.adapter.getAddress() },
    ]),
  );
  return { ...f, id };
}

type RF = Awaited<ReturnType<typeof roundingFixture>>;

/** Supplies `a` and withdraws every minted share in one transaction (no interest in between). */
async function supplyWithdrawRoundTrip(f: RF, a: bigint) {
  const { core, usdc, id, bob } = f;
  const ts = await nextTs();
  const m = await accruedMarket(core, id, ts);
  const shares = toSharesDown(a, m.totalSupplyAssets, m.totalSupplyShares);
  const out = toAssetsDown(shares, m.totalSupplyAssets + a, m.totalSupplyShares + shares);
  const before = await usdc.token.balanceOf(bob.address);
  await core
    .connect(bob)
    .multicall([
      core.interface.encodeFunctionData("supply", [id, a, 0, bob.address]),
      core.interface.encodeFunctionData("withdraw", [id, 0, shares, bob.address, bob.address]),
    ]);
  const received = (await usdc.token.balanceOf(bob.address)) - before + a;
  return { shares, out, received };
}

/** Borrows `b` (by assets or, if byShares, the shares worth about b) and repays every debt share in one transaction. */
async function borrowRepayRoundTrip(f: RF, b: bigint, byShares: boolean) {
  const { core, usdc, id, dave } = f;
  const ts = await nextTs();
  const m = await accruedMarket(core, id, ts);
  const shares = byShares
    ? toSharesDown(b, m.totalBorrowAssets, m.totalBorrowShares)
    : toSharesUp(b, m.totalBorrowAssets, m.totalBorrowShares);
  const borrowed = byShares ? toAssetsDown(shares, m.totalBorrowAssets, m.totalBorrowShares) : b;
  const repaid = toAssetsUp(shares, m.totalBorrowAssets + borrowed, m.totalBorrowShares + shares);
  const before = await usdc.token.balanceOf(dave.address);
  await core
    .connect(dave)
    .multicall([
      core.interface.encodeFunctionData("borrow", [
        id,
        byShares ? 0n : b,
        byShares ? shares : 0n,
        dave.address,
        dave.address,
      ]),
      core.interface.encodeFunctionData("repay", [id, 0, shares, dave.address]),
    ]);
  const net = (await usdc.token.balanceOf(dave.address)) - before; // borrowed - repaid
  return { borrowed, repaid, net };
}

describe("integration: rounding favours the protocol", function () {
  it("supply then withdraw of all shares returns at most what was supplied (exact values)", async function () {
    const f = await loadFixture(roundingFixture);
    for (const a of [1n, 2n, 999_999n, 12_345_678_901n]) {
      const r = await supplyWithdrawRoundTrip(f, a);
      expect(r.received).to.equal(r.out);
      expect(r.received <= a).to.equal(true);
      expect(a - r.received <= 1n).to.equal(true); // loses at most one unit of dust
      expect((await f.core.position(f.id, f.bob.address)).supplyShares).to.equal(0n);
    }
    expect(await f.usdc.token.balanceOf(await f.core.getAddress())).to.equal(await expectedCash(f.core, f.id));
  });

  it("borrow then repay of all debt shares costs at least what was borrowed (exact values)", async function () {
    const f = await loadFixture(roundingFixture);
    for (const [b, byShares] of [
      [10n * U6, false],
      [10n * U6 + 1n, true],
      [33_333_333_333n, false],
      [77_777_777_777n, true],
    ] as const) {
      const r = await borrowRepayRoundTrip(f, b, byShares);
      expect(r.net).to.equal(r.borrowed - r.repaid);
      expect(r.repaid >= r.borrowed).to.equal(true);
      expect((await f.core.position(f.id, f.dave.address)).borrowShares).to.equal(0n);
    }
  });

  it("property: supply-then-withdraw never returns more than supplied (100 runs)", async function () {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 1n, max: 10n ** 13n }), async (a) => {
        const f = await loadFixture(roundingFixture);
        const r = await supplyWithdrawRoundTrip(f, a);
        expect(r.received).to.equal(r.out);
        expect(r.received <= a && a - r.received <= 1n).to.equal(true);
      }),
      { numRuns: 100 },
    );
  });

  it("property: borrow-then-repay never costs less than borrowed (100 runs)", async function () {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 10n * U6 + 1n, max: 90_000n * U6 }), fc.boolean(), async (b, byShares) => {
        const f = await loadFixture(roundingFixture);
        const r = await borrowRepayRoundTrip(f, b, byShares);
        expect(r.net).to.equal(r.borrowed - r.repaid);
        expect(r.net <= 0n).to.equal(true);
      }),
      { numRuns: 100 },
    );
  });

  describe("empty-market donation", function () {
    it("a first depositor's 1-unit supply plus a large donation cannot make the next depositor lose more than dust", async function () {
      const { core, usdc, id, alice: attacker, bob: victim } = await loadFixture(emptyMarketFixture);
      await core.connect(attacker).supply(id, 1, 0, attacker.address);
      const donation = 1_000_000n * U6;
      await usdc.token.connect(attacker).transfer(await core.getAddress(), donation);
      const deposit = 1_000n * U6;
      // the donation does not enter the accounting: the share price is unchanged
      const shares = toSharesDown(deposit, 1n, VIRTUAL_SHARES);
      await expect(core.connect(victim).supply(id, deposit, 0, victim.address))
        .to.emit(core, "Supply")
        .withArgs(id, victim.address, victim.address, deposit, shares);
      const m = await core.market(id);
      const out = toAssetsDown(shares, m.totalSupplyAssets, m.totalSupplyShares);
      await expect(core.connect(victim).withdraw(id, 0, shares, victim.address, victim.address)).to.changeTokenBalance(
        usdc.token,
        victim,
        out,
      );
      expect(deposit - out <= 1n).to.equal(true);
      // the attacker's share is worth at most what it paid; the donation is lost to it
      const aShares = (await core.position(id, attacker.address)).supplyShares;
      const m2 = await core.market(id);
      expect(toAssetsDown(aShares, m2.totalSupplyAssets, m2.totalSupplyShares) <= 1n).to.equal(true);
    });

    it("property: any donation to an empty market costs the next depositor at most 1 unit (50 runs)", async function () {
      await fc.assert(
        fc.asyncProperty(
          fc.bigInt({ min: 0n, max: 10n ** 15n }),
          fc.bigInt({ min: 0n, max: 10n ** 6n }),
          fc.bigInt({ min: 1n, max: 10n ** 12n }),
          async (donation, attackerSupply, deposit) => {
            const { core, usdc, id, alice: attacker, bob: victim } = await loadFixture(emptyMarketFixture);
            if (attackerSupply > 0n) await core.connect(attacker).supply(id, attackerSupply, 0, attacker.address);
            if (donation > 0n) await usdc.token.connect(attacker).transfer(await core.getAddress(), donation);
            const before = await usdc.token.balanceOf(victim.address);
            await core.connect(victim).supply(id, deposit, 0, victim.address);
            const shares = (await core.position(id, victim.address)).supplyShares;
            await core.connect(victim).withdraw(id, 0, shares, victim.address, victim.address);
            const loss = before - (await usdc.token.balanceOf(victim.address));
            expect(loss >= 0n && loss <= 1n).to.equal(true);
          },
        ),
        { numRuns: 50 },
      );
    });
  });
});
