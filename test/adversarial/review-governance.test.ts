/**
 * Review finding 17 of issue 13 (governance), and two suspicions the reviews could not confirm:
 * - 17: the risk role could lower a liquidation threshold to almost zero and raise the bonus in one call, making
 *   every position liquidatable at once. Now such changes need the admin role (the timelock and its delay).
 * - minBorrow / minLeftover had no bound: raising the minimum leftover forces every liquidation to be full and
 *   blocks partial repays, so it needs the admin too; the rest stays with the risk role.
 * - a loan token that turns on a transfer fee later: repay and liquidation revert in _pull (the market is not attested
 *   exact). The test shows what still works, what governance does, and that nothing is lost once the fee is off.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { FeeOnTransferToken__factory } from "../../typechain-types";
import { wad } from "../../scripts/lib/protocol";
import { RISK_ROLE } from "../helpers/fixtures";
import {
  E18,
  E8,
  U6,
  b32,
  createMarketFrom,
  debtOf,
  deployAdapterFor,
  fundedMarketFixture,
  marketParams,
} from "../helpers/core-helpers";

/** fundedMarketFixture, carol borrows 5,000 USDC against 10 WETH (HF 3.4), eve holds only the risk role. */
async function riskFixture() {
  const f = await fundedMarketFixture();
  await f.core.connect(f.carol).borrow(f.id, 5_000n * U6, 0, f.carol.address, f.carol.address);
  await f.core.grantRole(RISK_ROLE, f.eve.address);
  return f;
}

/** A market lending a fee-switchable token (fee off) against WETH: alice supplies 10,000, carol borrows 1,000. */
async function feeLaterFixture() {
  const f = await fundedMarketFixture();
  const { core, deployer, weth, alice, carol, dave } = f;
  const fot = await new FeeOnTransferToken__factory(deployer).deploy();
  await fot.setFeeBps(0);
  const { feed, adapter } = await deployAdapterFor(deployer, await fot.getAddress(), "1");
  const wethCol = { token: await weth.token.getAddress(), adapter: await weth.adapter.getAddress() };
  const id = await createMarketFrom(core, marketParams(await fot.getAddress(), await adapter.getAddress(), [wethCol]));
  for (const s of [alice, carol, dave]) {
    await fot.mint(s.address, 10n ** 30n);
    await fot.connect(s).approve(await core.getAddress(), ethers.MaxUint256);
  }
  await core.connect(alice).supply(id, 10_000n * E18, 0, alice.address);
  await core.connect(carol).supplyCollateral(id, 0, E18, carol.address); // $2,000
  await core.connect(carol).borrow(id, 1_000n * E18, 0, carol.address, carol.address);
  return { ...f, fot, fotFeed: feed, fotId: id };
}

describe("adversarial: review findings on governance (17) and parameter bounds", function () {
  describe("finding 17: risk-increasing collateral changes need the timelock", function () {
    it("the risk role alone cannot drop the threshold and raise the bonus to liquidate everyone at once", async function () {
      const { core, id, carol, dave, eve } = await loadFixture(riskFixture);
      const before = await core.position(id, carol.address);
      // LT 85% -> 10%, bonus 5% -> 20%: carol's HF would fall from 3.4 to 0.4.
      await expect(core.connect(eve).setCollateralRisk(id, 0, wad("0.05"), wad("0.1"), wad("0.2"), 10n ** 30n))
        .to.be.revertedWithCustomError(core, "AdminOnlyChange")
        .withArgs(b32("liquidationThreshold"));
      await expect(core.connect(eve).setCollateralRisk(id, 0, wad("0.8"), wad("0.85"), wad("0.1"), 10n ** 30n))
        .to.be.revertedWithCustomError(core, "AdminOnlyChange")
        .withArgs(b32("liquidationBonus"));
      const c = await core.collateral(id, 0);
      expect([c.ltv, c.liquidationThreshold, c.liquidationBonus]).to.deep.equal([wad("0.8"), wad("0.85"), wad("0.05")]);
      await expect(
        core.connect(dave).liquidate(id, carol.address, 0, ethers.MaxUint256, dave.address, "0x"),
      ).to.be.revertedWithCustomError(core, "HealthyPosition");
      const after = await core.position(id, carol.address);
      expect([after.borrowShares, after.collaterals[0]]).to.deep.equal([before.borrowShares, before.collaterals[0]]);
    });

    it("the risk role keeps every risk-reducing lever: LTV to 0, threshold up, bonus down, cap", async function () {
      const { core, id, carol, eve } = await loadFixture(riskFixture);
      await core.connect(eve).setCollateralRisk(id, 0, 0n, wad("0.9"), wad("0.04"), 0n);
      const c = await core.collateral(id, 0);
      expect([c.ltv, c.liquidationThreshold, c.liquidationBonus, c.supplyCap]).to.deep.equal([
        0n,
        wad("0.9"),
        wad("0.04"),
        0n,
      ]);
      // LTV 0 freezes new borrowing against WETH at once
      await expect(
        core.connect(carol).borrow(id, 100n * U6, 0, carol.address, carol.address),
      ).to.be.revertedWithCustomError(core, "BorrowAboveLtv");
    });

    it("the admin (the timelock in production, which also holds the risk role) may lower the threshold", async function () {
      const { core, id, deployer, carol, dave } = await loadFixture(riskFixture);
      await core.connect(deployer).setCollateralRisk(id, 0, wad("0.2"), wad("0.3"), wad("0.1"), 10n ** 30n);
      const c = await core.collateral(id, 0);
      expect([c.liquidationThreshold, c.liquidationBonus]).to.deep.equal([wad("0.3"), wad("0.1")]);
      // HF = 20,000 x 0.3 / 5,000 = 1.2: carol is still healthy.
      await expect(
        core.connect(dave).liquidate(id, carol.address, 0, 1n, dave.address, "0x"),
      ).to.be.revertedWithCustomError(core, "HealthyPosition");
    });
  });

  describe("minimum amounts", function () {
    it("raising minLeftover needs the admin; the risk role may lower it and set minBorrow either way", async function () {
      const { core, id, eve, deployer, carol } = await loadFixture(riskFixture);
      await expect(core.connect(eve).setMinAmounts(id, 10n * U6, 10n * U6 + 1n))
        .to.be.revertedWithCustomError(core, "AdminOnlyChange")
        .withArgs(b32("minLeftover"));
      await core.connect(eve).setMinAmounts(id, 2n ** 128n - 1n, 5n * U6); // minBorrow max: no new borrow
      await expect(
        core.connect(carol).borrow(id, 100n * U6, 0, carol.address, carol.address),
      ).to.be.revertedWithCustomError(core, "DebtBelowMinimum");
      // Even the largest minLeftover (set by the admin) never traps a borrower: a full repay always works.
      await core.connect(deployer).setMinAmounts(id, 0n, 2n ** 128n - 1n);
      await expect(core.connect(carol).repay(id, 100n * U6, 0, carol.address)).to.be.revertedWithCustomError(
        core,
        "DebtBelowMinimum",
      );
      const [, shares] = await core.position(id, carol.address);
      await core.connect(carol).repay(id, 0, shares, carol.address);
      expect(await debtOf(core, id, carol.address)).to.equal(0n);
    });
  });

  describe("a loan token that turns on a transfer fee later", function () {
    it("repay and liquidation revert and change nothing; suppliers still withdraw; all resumes once the fee is off", async function () {
      const f = await loadFixture(feeLaterFixture);
      const { core, fot, fotId: id, deployer, weth, alice, carol, dave } = f;
      await fot.setFeeBps(100); // the issuer turns on a 1% fee
      const m0 = await core.market(id);
      const [, shares0] = await core.position(id, carol.address);

      // Accepting 99% while booking 100% would make every repayment a loss for suppliers: the pull is exact.
      await expect(core.connect(carol).repay(id, 100n * E18, 0, carol.address))
        .to.be.revertedWithCustomError(core, "FeeOnTransferNotSupported")
        .withArgs(await fot.getAddress(), 100n * E18, 99n * E18);
      await weth.feed.updateAnswer(1_100n * E8); // carol's HF: 1,100 x 0.85 / 1,000 < 1
      await f.fotFeed.updateAnswer(E8);
      await expect(
        core.connect(dave).liquidate(id, carol.address, 0, 100n * E18, dave.address, "0x"),
      ).to.be.revertedWithCustomError(core, "FeeOnTransferNotSupported");
      expect((await core.position(id, carol.address)).borrowShares).to.equal(shares0);

      // Suppliers can still leave with the free cash (they bear the token's fee; the core's books stay exact).
      const coreBal = await fot.balanceOf(await core.getAddress());
      await core.connect(alice).withdraw(id, 5_000n * E18, 0, alice.address, alice.address);
      expect(coreBal - (await fot.balanceOf(await core.getAddress()))).to.equal(5_000n * E18);

      // Governance stops new exposure and stops charging borrowers who cannot repay: pause supply and borrow, rate 0.
      await core.connect(deployer).setPaused(id, 1 | 4);
      await core
        .connect(deployer)
        .setRateModel(id, { baseRate: 0n, slope1: 0n, slope2: 0n, targetUtilization: wad("0.8") });
      const debtFrozen = await debtOf(core, id, carol.address);
      await time.increase(30 * 86400);
      await core.accrueInterest(id);
      expect(await debtOf(core, id, carol.address)).to.equal(debtFrozen);
      expect((await core.market(id)).totalBorrowAssets).to.be.greaterThanOrEqual(m0.totalBorrowAssets);

      // The fee goes off: carol repays everything exactly and takes her WETH back.
      await fot.setFeeBps(0);
      await core.connect(carol).repay(id, 0, shares0, carol.address);
      expect(await debtOf(core, id, carol.address)).to.equal(0n);
      await core.connect(carol).withdrawCollateral(id, 0, E18, carol.address, carol.address);
      expect((await core.position(id, carol.address)).collaterals[0]).to.equal(0n);
    });
  });
});
