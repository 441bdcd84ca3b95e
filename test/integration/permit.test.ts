/**
 * PermitRouter (periphery): a wallet supplies or repays in one transaction with an EIP-2612 permit of an
 * OpenZeppelin ERC20Permit token, without a prior approve; the router keeps nothing, refunds what a repay did not
 * use, survives a front-run permit, and refuses a bad signature with PermitFailed.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import { MockPermitERC20__factory, MockV3Aggregator__factory, PermitRouter__factory } from "../../typechain-types";
import type { MockPermitERC20 } from "../../typechain-types";
import {
  deployCore,
  deployPricedToken,
  deployAdapter,
  createMarket,
  wad,
  type PricedToken,
} from "../../scripts/lib/protocol";

const U = 10n ** 6n;

async function permitFixture() {
  const [deployer, alice, bob, mallory] = await ethers.getSigners();
  const { core } = await deployCore(deployer!);
  const token = await new MockPermitERC20__factory(deployer!).deploy("Permit USD", "PUSD", 6);
  const feed = await new MockV3Aggregator__factory(deployer!).deploy(8, 10n ** 8n);
  const adapter = await deployAdapter(deployer!, {
    token: await token.getAddress(),
    owner: deployer!.address,
    primary: await feed.getAddress(),
    maxAge: 90_000,
    minPrice: wad("0.5"),
    maxPrice: wad("2"),
  });
  const loan = { token, feed, adapter, spec: { symbol: "PUSD", decimals: 6, price: "1" } } as unknown as PricedToken;
  const weth = await deployPricedToken(deployer!, { symbol: "WETH", decimals: 18, price: "2000" });
  const id = await createMarket(core, {
    loan,
    collaterals: [{ asset: weth, ltv: wad("0.8"), liquidationThreshold: wad("0.85"), liquidationBonus: wad("0.05") }],
  });
  const router = await new PermitRouter__factory(deployer!).deploy(await core.getAddress());
  for (const s of [alice!, bob!, mallory!]) await token.mint(s.address, 1_000_000n * U);
  return { core, token, weth, id, router, alice: alice!, bob: bob!, mallory: mallory! };
}

/** An EIP-2612 permit of `owner` for `spender`. */
async function signPermit(token: MockPermitERC20, owner: Signer, spender: string, value: bigint) {
  const deadline = BigInt(await time.latest()) + 3600n;
  const domain = {
    name: await token.name(),
    version: "1",
    chainId: (await ethers.provider.getNetwork()).chainId,
    verifyingContract: await token.getAddress(),
  };
  const types = {
    Permit: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
      { name: "value", type: "uint256" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  };
  const ownerAddr = await owner.getAddress();
  const message = { owner: ownerAddr, spender, value, nonce: await token.nonces(ownerAddr), deadline };
  const sig = ethers.Signature.from(await owner.signTypedData(domain, types, message));
  return { value, deadline, v: sig.v, r: sig.r, s: sig.s };
}

describe("integration: supply and repay with an EIP-2612 permit (PermitRouter)", function () {
  it("supplies in one transaction without an approval; the router keeps nothing", async function () {
    const { core, token, id, router, alice } = await loadFixture(permitFixture);
    const r = await router.getAddress();
    expect(await token.allowance(alice.address, await core.getAddress())).to.equal(0n);
    const permit = await signPermit(token, alice, r, 1_000n * U);
    const before = await token.balanceOf(alice.address);
    await expect(router.connect(alice).supplyWithPermit(id, 1_000n * U, alice.address, permit))
      .to.emit(core, "Supply")
      .withArgs(id, r, alice.address, 1_000n * U, 1_000n * U * 10n ** 6n);
    expect(await token.balanceOf(alice.address)).to.equal(before - 1_000n * U);
    expect((await core.position(id, alice.address)).supplyShares).to.equal(1_000n * U * 10n ** 6n);
    expect(await token.balanceOf(r)).to.equal(0n);
    expect(await token.allowance(alice.address, r)).to.equal(0n);
  });

  it("repays a whole debt by shares with a permit, sends back what it did not use", async function () {
    const { core, token, weth, id, router, alice, bob } = await loadFixture(permitFixture);
    const r = await router.getAddress();
    await router
      .connect(alice)
      .supplyWithPermit(id, 100_000n * U, alice.address, await signPermit(token, alice, r, 100_000n * U));
    await weth.token.mint(bob.address, wad("1"));
    await weth.token.connect(bob).approve(await core.getAddress(), wad("1"));
    await core.connect(bob).supplyCollateral(id, 0, wad("1"), bob.address);
    await core.connect(bob).borrow(id, 1_000n * U, 0, bob.address, bob.address);
    await time.increase(30 * 86_400);
    const shares = (await core.position(id, bob.address)).borrowShares;
    const maxAssets = 1_100n * U; // debt plus a margin for interest until the block
    const before = await token.balanceOf(bob.address);
    const tx = await router
      .connect(bob)
      .repayWithPermit(id, 0, shares, bob.address, maxAssets, await signPermit(token, bob, r, maxAssets));
    const repay = (await core.queryFilter(core.filters.Repay(id), tx.blockNumber!, tx.blockNumber!))[0]!;
    const paid = repay.args.assets;
    expect(paid).to.be.greaterThan(1_000n * U); // interest accrued
    expect((await core.position(id, bob.address)).borrowShares).to.equal(0n);
    expect(await token.balanceOf(bob.address)).to.equal(before - paid);
    expect(await token.balanceOf(r)).to.equal(0n);
    expect(await token.allowance(r, await core.getAddress())).to.equal(0n);
  });

  it("a permit front-run on the token still works; a bad signature reverts PermitFailed and moves nothing", async function () {
    const { core, token, id, router, alice, mallory } = await loadFixture(permitFixture);
    const r = await router.getAddress();
    const permit = await signPermit(token, alice, r, 500n * U);
    // Mallory submits alice's permit to the token first: the allowance is set, the router call goes on.
    await token.connect(mallory).permit(alice.address, r, permit.value, permit.deadline, permit.v, permit.r, permit.s);
    await router.connect(alice).supplyWithPermit(id, 500n * U, alice.address, permit);
    expect((await core.position(id, alice.address)).supplyShares).to.equal(500n * U * 10n ** 6n);
    // Mallory cannot use alice's permit for herself: assets are only pulled from the caller.
    const other = await signPermit(token, alice, r, 500n * U);
    const before = await token.balanceOf(mallory.address);
    await expect(router.connect(mallory).supplyWithPermit(id, 500n * U, mallory.address, other))
      .to.be.revertedWithCustomError(router, "PermitFailed")
      .withArgs(await token.getAddress(), mallory.address, 0n, 500n * U);
    expect(await token.balanceOf(mallory.address)).to.equal(before);
  });
});
