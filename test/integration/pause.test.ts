import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  E18,
  PAUSE,
  U6,
  accruedMarket,
  debtOf,
  fundedMarketFixture,
  nextTs,
  toAssetsUp,
} from "../helpers/core-helpers";

async function pausableFixture() {
  const f = await fundedMarketFixture();
  await f.core.connect(f.carol).borrow(f.id, 5_000n * U6, 0, f.carol.address, f.carol.address);
  await f.core.connect(f.bob).supply(f.id, 1_000n * U6, 0, f.bob.address);
  return f;
}

type F = Awaited<ReturnType<typeof pausableFixture>>;

/** Each pausable user action, run by the account that can perform it in pausableFixture. */
const ACTIONS: { name: string; event: string; flag: number; with?: number; run: (f: F) => Promise<unknown> }[] = [
  {
    name: "supply",
    event: "Supply",
    flag: PAUSE.supply,
    run: (f) => f.core.connect(f.bob).supply(f.id, U6, 0, f.bob.address),
  },
  {
    name: "withdraw",
    event: "Withdraw",
    flag: PAUSE.withdraw,
    run: (f) => f.core.connect(f.bob).withdraw(f.id, U6, 0, f.bob.address, f.bob.address),
  },
  {
    name: "borrow",
    event: "Borrow",
    flag: PAUSE.borrow,
    run: (f) => f.core.connect(f.carol).borrow(f.id, 100n * U6, 0, f.carol.address, f.carol.address),
  },
  {
    name: "supplyCollateral",
    event: "SupplyCollateral",
    flag: PAUSE.collateralIn,
    with: PAUSE.liquidate, // collateral deposits pause only with liquidation (LiquidationWithoutCure)
    run: (f) => f.core.connect(f.carol).supplyCollateral(f.id, 0, E18, f.carol.address),
  },
  {
    name: "withdrawCollateral",
    event: "WithdrawCollateral",
    flag: PAUSE.collateralOut,
    run: (f) => f.core.connect(f.carol).withdrawCollateral(f.id, 0, E18, f.carol.address, f.carol.address),
  },
];

describe("integration: pause per action", function () {
  for (const action of ACTIONS) {
    it(`pausing ${action.name} reverts only ${action.name} with ActionPaused(id, ${action.flag})`, async function () {
      const f = await loadFixture(pausableFixture);
      const flags = action.flag | (action.with ?? 0);
      await expect(f.core.setPaused(f.id, flags)).to.emit(f.core, "PausedSet").withArgs(f.id, flags, 0);
      await expect(action.run(f)).to.be.revertedWithCustomError(f.core, "ActionPaused").withArgs(f.id, action.flag);
      for (const other of ACTIONS.filter((a) => a !== action)) {
        await expect(other.run(f)).to.emit(f.core, other.event);
      }
      const unpause = f.core.setPaused(f.id, 0);
      if (action.with === undefined) await expect(unpause).to.emit(f.core, "PausedSet").withArgs(f.id, 0, 0);
      else await expect(unpause).to.emit(f.core, "PausedSet"); // unpausing liquidation starts its grace period
      await expect(action.run(f)).to.emit(f.core, action.event);
      expect((await f.core.config(f.id)).paused).to.equal(0n);
    });
  }

  it("collateral deposits cannot be paused while liquidation stays on: LiquidationWithoutCure", async function () {
    const { core, id } = await loadFixture(pausableFixture);
    for (const flags of [PAUSE.collateralIn, 0x77 & ~PAUSE.liquidate]) {
      await expect(core.setPaused(id, flags))
        .to.be.revertedWithCustomError(core, "LiquidationWithoutCure")
        .withArgs(id, flags);
    }
    expect((await core.config(id)).paused).to.equal(0n);
  });

  it("repay works with every other action paused (repay cannot be paused)", async function () {
    const f = await loadFixture(pausableFixture);
    const { core, usdc, id, carol } = f;
    await core.setPaused(id, 0x77);
    for (const action of ACTIONS) {
      await expect(action.run(f)).to.be.revertedWithCustomError(core, "ActionPaused").withArgs(id, action.flag);
    }
    const shares = (await core.position(id, carol.address)).borrowShares;
    const ts = await nextTs();
    const m = await accruedMarket(core, id, ts);
    const assets = toAssetsUp(shares, m.totalBorrowAssets, m.totalBorrowShares);
    const tx = core.connect(carol).repay(id, 0, shares, carol.address);
    await expect(tx).to.emit(core, "Repay").withArgs(id, carol.address, carol.address, assets, shares);
    await expect(tx).to.changeTokenBalances(usdc.token, [carol, core], [-assets, assets]);
    expect(await debtOf(core, id, carol.address)).to.equal(0n);
  });

  it("pausing liquidation reverts liquidate with ActionPaused; unpausing starts the liquidation grace period", async function () {
    const { core, id, carol, dave } = await loadFixture(pausableFixture);
    await core.setPaused(id, PAUSE.liquidate);
    await expect(core.connect(dave).liquidate(id, carol.address, 0, 1, dave.address, "0x"))
      .to.be.revertedWithCustomError(core, "ActionPaused")
      .withArgs(id, PAUSE.liquidate);
    const unpauseAt = BigInt(await time.latest()) + 10n;
    await time.setNextBlockTimestamp(unpauseAt);
    await expect(core.setPaused(id, 0))
      .to.emit(core, "PausedSet")
      .withArgs(id, 0, unpauseAt + 3600n);
    expect((await core.market(id)).liquidationGraceUntil).to.equal(unpauseAt + 3600n);
    await expect(core.connect(dave).liquidate(id, carol.address, 0, 1, dave.address, "0x"))
      .to.be.revertedWithCustomError(core, "LiquidationGracePeriod")
      .withArgs(id, unpauseAt + 3600n);
    // pausing something else while liquidation is not paused does not restart the grace period
    await expect(core.setPaused(id, PAUSE.supply))
      .to.emit(core, "PausedSet")
      .withArgs(id, PAUSE.supply, unpauseAt + 3600n);
  });
});
