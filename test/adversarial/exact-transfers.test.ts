/**
 * Issue 15: the fee-on-transfer check (two `balanceOf` calls per pull) is replaced by a per-market attestation,
 * safe by default. A market checks every pull until the admin (the timelock, after vetting the tokens) attests that
 * its tokens transfer exactly the amount asked (`setExactTransfers(id, true)`); the guardian or the admin turns the
 * check back on at once (a token switches a fee on); `addCollateral` withdraws the attestation (a new token is not
 * vetted). The flag shares `MarketConfig.flags` (config slot 0) with the liquidation grace bit.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { FeeOnTransferToken__factory } from "../../typechain-types";
import { GUARDIAN_ROLE } from "../helpers/fixtures";
import {
  E18,
  E8,
  U6,
  createMarketFrom,
  deployAdapterFor,
  fundedMarketFixture,
  marketParams,
} from "../helpers/core-helpers";

const FLAG_GRACE_SET = 1n;
const FLAG_EXACT_TRANSFERS = 2n;
const PAUSE_LIQUIDATE = 1 << 6;

/**
 * fundedMarketFixture plus a market lending a 1%-fee token against WETH (`fotId`) and a market lending USDC against
 * the fee token (`fotColId`). Eve holds only the guardian role (the deployer holds every role).
 */
async function exactFixture() {
  const f = await fundedMarketFixture();
  const { core, deployer, weth, usdc, alice, carol, dave, eve } = f;
  const fot = await new FeeOnTransferToken__factory(deployer).deploy();
  const { feed: fotFeed, adapter: fotAdapter } = await deployAdapterFor(deployer, await fot.getAddress(), "1");
  const fotCol = { token: await fot.getAddress(), adapter: await fotAdapter.getAddress() };
  const wethCol = { token: await weth.token.getAddress(), adapter: await weth.adapter.getAddress() };
  const fotId = await createMarketFrom(core, marketParams(fotCol.token, fotCol.adapter, [wethCol]));
  const fotColId = await createMarketFrom(
    core,
    marketParams(await usdc.token.getAddress(), await usdc.adapter.getAddress(), [fotCol]),
  );
  for (const s of [alice, carol, dave]) {
    await fot.mint(s.address, 10n ** 30n);
    await fot.connect(s).approve(await core.getAddress(), ethers.MaxUint256);
  }
  await core.grantRole(GUARDIAN_ROLE, eve.address);
  return { ...f, fot, fotFeed, fotCol, wethCol, fotId, fotColId, guardian: eve };
}

describe("adversarial: exact-transfer attestation replaces the always-on fee-on-transfer check (issue 15)", function () {
  it("by default a new market checks every pull: a fee-on-transfer supply reverts and changes nothing", async function () {
    const { core, fot, fotId, fotColId, alice, carol } = await loadFixture(exactFixture);
    expect((await core.config(fotId)).flags & FLAG_EXACT_TRANSFERS).to.equal(0n);
    const amount = 1_000n * E18;
    await expect(core.connect(alice).supply(fotId, amount, 0, alice.address))
      .to.be.revertedWithCustomError(core, "FeeOnTransferNotSupported")
      .withArgs(await fot.getAddress(), amount, amount - amount / 100n);
    await expect(core.connect(carol).supplyCollateral(fotColId, 0, amount, carol.address))
      .to.be.revertedWithCustomError(core, "FeeOnTransferNotSupported")
      .withArgs(await fot.getAddress(), amount, amount - amount / 100n);
    expect((await core.market(fotId)).totalSupplyAssets).to.equal(0n);
    expect((await core.collateral(fotColId, 0)).totalSupplied).to.equal(0n);
    expect(await fot.balanceOf(await core.getAddress())).to.equal(0n);
  });

  it("attested by the admin, a pull is no longer checked: the books take the amount asked, the token delivers less", async function () {
    // What the attestation means: governance vouches for the tokens. Attesting a fee token (as here, on purpose)
    // books 1,000 while the core receives 990: the market's cash falls short of its books by the fee.
    const { core, fot, fotId, deployer, alice } = await loadFixture(exactFixture);
    await expect(core.connect(deployer).setExactTransfers(fotId, true))
      .to.emit(core, "ExactTransfersSet")
      .withArgs(fotId, true);
    expect((await core.config(fotId)).flags & FLAG_EXACT_TRANSFERS).to.equal(FLAG_EXACT_TRANSFERS);
    const amount = 1_000n * E18;
    await expect(core.connect(alice).supply(fotId, amount, 0, alice.address)).to.changeTokenBalances(
      fot,
      [alice, core],
      [-amount, amount - amount / 100n],
    );
    expect((await core.market(fotId)).totalSupplyAssets).to.equal(amount);
  });

  it("the guardian turns the check back on at once: the fee token's supply, repay and liquidation revert again", async function () {
    const { core, fot, fotFeed, fotId, deployer, weth, alice, carol, dave, guardian } = await loadFixture(exactFixture);
    // A vetted market (fee off) with a borrower; then the issuer switches a 1% fee on.
    await fot.setFeeBps(0);
    await core.connect(deployer).setExactTransfers(fotId, true);
    await core.connect(alice).supply(fotId, 10_000n * E18, 0, alice.address);
    await core.connect(carol).supplyCollateral(fotId, 0, E18, carol.address); // $2,000
    await core.connect(carol).borrow(fotId, 1_000n * E18, 0, carol.address, carol.address);
    await fot.setFeeBps(100);

    await expect(core.connect(guardian).setExactTransfers(fotId, false))
      .to.emit(core, "ExactTransfersSet")
      .withArgs(fotId, false);
    expect((await core.config(fotId)).flags & FLAG_EXACT_TRANSFERS).to.equal(0n);

    const m0 = await core.market(fotId);
    const p0 = await core.position(fotId, carol.address);
    await expect(core.connect(alice).supply(fotId, 100n * E18, 0, alice.address))
      .to.be.revertedWithCustomError(core, "FeeOnTransferNotSupported")
      .withArgs(await fot.getAddress(), 100n * E18, 99n * E18);
    await expect(core.connect(carol).repay(fotId, 100n * E18, 0, carol.address))
      .to.be.revertedWithCustomError(core, "FeeOnTransferNotSupported")
      .withArgs(await fot.getAddress(), 100n * E18, 99n * E18);
    await weth.feed.updateAnswer(1_100n * E8); // carol's HF: 1,100 x 0.85 / 1,000 < 1
    await fotFeed.updateAnswer(E8);
    await expect(
      core.connect(dave).liquidate(fotId, carol.address, 0, 100n * E18, dave.address, "0x"),
    ).to.be.revertedWithCustomError(core, "FeeOnTransferNotSupported");
    const m1 = await core.market(fotId);
    expect(m1.totalSupplyAssets).to.equal(m0.totalSupplyAssets);
    expect(m1.totalBorrowShares).to.equal(m0.totalBorrowShares);
    expect((await core.position(fotId, carol.address)).borrowShares).to.equal(p0.borrowShares);
  });

  it("attested, the liquidation's pull is not checked either (it reads the flag as supply and repay do)", async function () {
    const { core, fot, fotFeed, fotId, deployer, weth, alice, carol, dave } = await loadFixture(exactFixture);
    await fot.setFeeBps(0);
    await core.connect(deployer).setExactTransfers(fotId, true);
    await core.connect(alice).supply(fotId, 10_000n * E18, 0, alice.address);
    await core.connect(carol).supplyCollateral(fotId, 0, E18, carol.address);
    await core.connect(carol).borrow(fotId, 1_000n * E18, 0, carol.address, carol.address);
    await fot.setFeeBps(100);
    await weth.feed.updateAnswer(1_100n * E8);
    await fotFeed.updateAnswer(E8);
    const repay = 100n * E18;
    await expect(
      core.connect(dave).liquidate(fotId, carol.address, 0, repay, dave.address, "0x"),
    ).to.changeTokenBalances(fot, [dave, core], [-repay, repay - repay / 100n]);
  });

  it("the guardian cannot attest, nor can an account without a role change it either way", async function () {
    const { core, fotId, deployer, guardian, frank } = await loadFixture(exactFixture);
    await expect(core.connect(guardian).setExactTransfers(fotId, true))
      .to.be.revertedWithCustomError(core, "ExactTransfersUnauthorized")
      .withArgs(guardian.address, true);
    expect((await core.config(fotId)).flags & FLAG_EXACT_TRANSFERS).to.equal(0n);

    await core.connect(deployer).setExactTransfers(fotId, true);
    for (const exact of [false, true]) {
      await expect(core.connect(frank).setExactTransfers(fotId, exact))
        .to.be.revertedWithCustomError(core, "ExactTransfersUnauthorized")
        .withArgs(frank.address, exact);
    }
    expect((await core.config(fotId)).flags & FLAG_EXACT_TRANSFERS).to.equal(FLAG_EXACT_TRANSFERS);
    await expect(core.connect(deployer).setExactTransfers(99n, true))
      .to.be.revertedWithCustomError(core, "MarketNotCreated")
      .withArgs(99n);
  });

  it("addCollateral withdraws the attestation (event) until the admin attests the new token too", async function () {
    const { core, fot, fotCol, deployer, usdc, wethCol, carol } = await loadFixture(exactFixture);
    const id = await createMarketFrom(
      core,
      marketParams(await usdc.token.getAddress(), await usdc.adapter.getAddress(), [wethCol]),
    );
    await core.connect(deployer).setExactTransfers(id, true);
    const params = marketParams(wethCol.token, wethCol.adapter, [fotCol]).collaterals[0]!;
    await expect(core.connect(deployer).addCollateral(id, params))
      .to.emit(core, "ExactTransfersSet")
      .withArgs(id, false);
    expect((await core.config(id)).flags & FLAG_EXACT_TRANSFERS).to.equal(0n);
    await expect(core.connect(carol).supplyCollateral(id, 1, 100n * E18, carol.address))
      .to.be.revertedWithCustomError(core, "FeeOnTransferNotSupported")
      .withArgs(await fot.getAddress(), 100n * E18, 99n * E18);
    expect((await core.collateral(id, 1)).totalSupplied).to.equal(0n);

    // A market that was not attested: adding a collateral emits no ExactTransfersSet.
    const other = await createMarketFrom(
      core,
      marketParams(await usdc.token.getAddress(), await usdc.adapter.getAddress(), [wethCol]),
    );
    await expect(core.connect(deployer).addCollateral(other, params)).not.to.emit(core, "ExactTransfersSet");
  });

  it("the attestation and the liquidation grace bit share the flags and leave each other alone", async function () {
    const { core, id, deployer, usdc, alice } = await loadFixture(exactFixture);
    await core.connect(deployer).setPaused(id, PAUSE_LIQUIDATE);
    await core.connect(deployer).setPaused(id, 0); // unpausing liquidation starts the grace period
    expect((await core.config(id)).flags).to.equal(FLAG_GRACE_SET);
    await core.connect(deployer).setExactTransfers(id, true);
    expect((await core.config(id)).flags).to.equal(FLAG_GRACE_SET | FLAG_EXACT_TRANSFERS);
    // A plain token under the attestation: the pull moves exactly what is booked.
    await expect(core.connect(alice).supply(id, 1_000n * U6, 0, alice.address)).to.changeTokenBalances(
      usdc.token,
      [alice, core],
      [-1_000n * U6, 1_000n * U6],
    );
    await core.connect(deployer).setExactTransfers(id, false);
    expect((await core.config(id)).flags).to.equal(FLAG_GRACE_SET);
  });
});
