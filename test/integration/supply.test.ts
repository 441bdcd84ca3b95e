import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "../helpers/fixtures";
import {
  U6,
  VIRTUAL_SHARES,
  accruedMarket,
  borrowedMarketFixture,
  expectedCash,
  nextTs,
  toAssetsUp,
  toSharesDown,
} from "../helpers/core-helpers";

describe("integration: supply", function () {
  it("the first supply mints assets x 1e6 shares, pulls the assets and emits Supply", async function () {
    const { core, usdc, id, alice } = await loadFixture(deployMarketFixture);
    const assets = 1_000n * U6;
    const tx = core.connect(alice).supply(id, assets, 0, alice.address);
    await expect(tx)
      .to.emit(core, "Supply")
      .withArgs(id, alice.address, alice.address, assets, assets * VIRTUAL_SHARES);
    await expect(tx).to.changeTokenBalances(usdc.token, [alice, core], [-assets, assets]);
    const m = await core.market(id);
    expect(m.totalSupplyAssets).to.equal(assets);
    expect(m.totalSupplyShares).to.equal(assets * VIRTUAL_SHARES);
    expect((await core.position(id, alice.address)).supplyShares).to.equal(assets * VIRTUAL_SHARES);
  });

  it("supplies on behalf of another account without authorization: the payer pays, onBehalf gets the shares", async function () {
    const { core, usdc, id, alice, bob } = await loadFixture(deployMarketFixture);
    const assets = 250n * U6;
    const tx = core.connect(alice).supply(id, assets, 0, bob.address);
    await expect(tx)
      .to.emit(core, "Supply")
      .withArgs(id, alice.address, bob.address, assets, assets * VIRTUAL_SHARES);
    await expect(tx).to.changeTokenBalances(usdc.token, [alice, bob, core], [-assets, 0n, assets]);
    expect((await core.position(id, bob.address)).supplyShares).to.equal(assets * VIRTUAL_SHARES);
    expect((await core.position(id, alice.address)).supplyShares).to.equal(0n);
  });

  it("after interest, supply by assets mints shares rounded down at the accrued share price", async function () {
    const { core, usdc, id, bob } = await loadFixture(borrowedMarketFixture);
    const assets = 12_345n * U6 + 6789n;
    const ts = await nextTs(3600n);
    const m = await accruedMarket(core, id, ts);
    const shares = toSharesDown(assets, m.totalSupplyAssets, m.totalSupplyShares);
    expect(shares < assets * VIRTUAL_SHARES).to.equal(true); // shares now cost more than at launch
    const tx = core.connect(bob).supply(id, assets, 0, bob.address);
    await expect(tx).to.emit(core, "Supply").withArgs(id, bob.address, bob.address, assets, shares);
    await expect(tx).to.emit(core, "AccrueInterest").withArgs(id, m.rate, m.interest, m.toReserves, m.toInsurance);
    await expect(tx).to.changeTokenBalances(usdc.token, [bob, core], [-assets, assets]);
    const after = await core.market(id);
    expect(after.totalSupplyAssets).to.equal(m.totalSupplyAssets + assets);
    expect(after.totalSupplyShares).to.equal(m.totalSupplyShares + shares);
    expect(await usdc.token.balanceOf(await core.getAddress())).to.equal(await expectedCash(core, id));
  });

  it("supply by shares pulls the assets rounded up", async function () {
    const { core, usdc, id, bob } = await loadFixture(borrowedMarketFixture);
    const shares = 7_777_777_777_777n;
    const ts = await nextTs();
    const m = await accruedMarket(core, id, ts);
    const assets = toAssetsUp(shares, m.totalSupplyAssets, m.totalSupplyShares);
    const tx = core.connect(bob).supply(id, 0, shares, bob.address);
    await expect(tx).to.emit(core, "Supply").withArgs(id, bob.address, bob.address, assets, shares);
    await expect(tx).to.changeTokenBalances(usdc.token, [bob, core], [-assets, assets]);
    expect((await core.position(id, bob.address)).supplyShares).to.equal(shares);
  });

  it("rejects bad input with custom errors and changes nothing", async function () {
    const { core, id, alice } = await loadFixture(deployMarketFixture);
    await expect(core.connect(alice).supply(99, 1, 0, alice.address))
      .to.be.revertedWithCustomError(core, "MarketNotCreated")
      .withArgs(99);
    await expect(core.connect(alice).supply(id, 0, 0, alice.address)).to.be.revertedWithCustomError(
      core,
      "InconsistentInput",
    );
    await expect(core.connect(alice).supply(id, 1, 1, alice.address)).to.be.revertedWithCustomError(
      core,
      "InconsistentInput",
    );
    await expect(
      core.connect(alice).supply(id, 1, 0, "0x0000000000000000000000000000000000000000"),
    ).to.be.revertedWithCustomError(core, "ZeroAddress");
    const m = await core.market(id);
    expect(m.totalSupplyAssets).to.equal(0n);
    expect(m.totalSupplyShares).to.equal(0n);
  });
});
