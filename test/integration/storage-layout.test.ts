import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "../helpers/fixtures";
import { E18, U6, refreshFeeds } from "../helpers/core-helpers";
import { storageCounts } from "../../scripts/lib/trace-counts";
import { MAX_SUPPLY_ASSETS, MAX_TOTAL } from "../../sdk/math/constants";

/** Writes from zero (20,000 gas each) that transaction `hash` made in the core's own storage. */
async function coreZeroWrites(hash: string, core: string): Promise<number> {
  return (await storageCounts(hash, core, core)).sstoresFromZero;
}

describe("integration: the core's storage layout (issue 15)", function () {
  it("a market's first supply, first borrow and first accrual with interest write no market slot from zero", async function () {
    const f = await loadFixture(deployMarketFixture);
    const { core, id, alice, carol } = f;
    const addr = await core.getAddress();
    const send = async (tx: Promise<{ wait(): Promise<{ hash: string } | null> }>) => (await (await tx).wait())!.hash;

    // The market's first supply: only alice's position (her supply shares) is written from zero.
    const supply = await send(core.connect(alice).supply(id, 100_000n * U6, 0, alice.address));
    expect(await coreZeroWrites(supply, addr)).to.equal(1);
    expect((await core.position(id, alice.address)).supplyShares).to.be.greaterThan(0n);
    // carol's first deposit of collateral 0: only her debt|collateral-0 slot (the collateral's total shares its
    // slot with the supply cap).
    const deposit = await send(core.connect(carol).supplyCollateral(id, 0, 10n * E18, carol.address));
    expect(await coreZeroWrites(deposit, addr)).to.equal(1);
    // The market's first borrow rewrites slots that are non-zero already: the borrow totals' slot holds lastUpdate
    // since createMarket, carol's debt shares share a slot with her collateral.
    const borrow = await send(core.connect(carol).borrow(id, 5_000n * U6, 0, carol.address, carol.address));
    expect(await coreZeroWrites(borrow, addr)).to.equal(0);
    expect((await core.market(id)).totalBorrowAssets).to.equal(5_000n * U6);

    // A day later the first accrual that books reserve and premium cuts writes their slot (the cuts keep it
    // non-zero), not from zero; it reads four of the core's slots cold: the market's three and the rate model (the
    // cuts sit beside reserves and premium, the market check is lastUpdate), not the config's slot 0.
    await time.increase(86_400);
    await refreshFeeds(f);
    const before = await core.market(id);
    expect([before.reserves, before.premiumOwed]).to.deep.equal([0n, 0n]);
    const accrue = await send(core.accrueInterest(id));
    expect(await storageCounts(accrue, addr, addr)).to.deep.equal({ coldSloads: 4, sstoresFromZero: 0 });
    const after = await core.market(id);
    expect(after.reserves).to.be.greaterThan(0n);
    expect(after.premiumOwed).to.be.greaterThan(0n);
    expect(after.createdBlock).to.equal(before.createdBlock);
    // Without the config read, accrueInterest still refuses a market that does not exist.
    await expect(core.accrueInterest(99)).to.be.revertedWithCustomError(core, "MarketNotCreated").withArgs(99);
  });

  it("supplies stop at a quarter of the uint96 asset totals, whatever the cap: SupplyCapExceeded, nothing changes", async function () {
    const { core, usdc, id, alice, bob } = await loadFixture(deployMarketFixture);
    await core.connect(alice).supply(id, 1_000n * U6, 0, alice.address);
    expect((await core.config(id)).supplyCap).to.equal((1n << 128n) - 1n); // governance set no cap
    const before = await core.market(id);
    const balance = await usdc.token.balanceOf(bob.address);
    const tooMuch = MAX_SUPPLY_ASSETS - 1_000n * U6 + 1n;
    await expect(core.connect(bob).supply(id, tooMuch, 0, bob.address))
      .to.be.revertedWithCustomError(core, "SupplyCapExceeded")
      .withArgs(id, MAX_SUPPLY_ASSETS + 1n, MAX_SUPPLY_ASSETS);
    expect(await core.market(id)).to.deep.equal(before);
    expect(await usdc.token.balanceOf(bob.address)).to.equal(balance);
    // Up to that bound is accepted; interest still has room (it saturates only at 2^96 - 1).
    await expect(core.connect(bob).supply(id, tooMuch - 1n, 0, bob.address)).to.emit(core, "Supply");
    expect((await core.market(id)).totalSupplyAssets).to.equal(MAX_SUPPLY_ASSETS);
    expect(MAX_SUPPLY_ASSETS).to.equal(((1n << 96n) - 1n) / 4n);
    expect(MAX_TOTAL).to.equal((1n << 96n) - 1n);
  });
});
