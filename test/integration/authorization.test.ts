import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import type { BallastCore } from "../../typechain-types";
import { U6, VIRTUAL_SHARES, fundedMarketFixture } from "../helpers/core-helpers";
import { AUTHORIZATION_TYPES } from "../../sdk/authorization";

const TYPES = AUTHORIZATION_TYPES;

interface Auth {
  authorizer: string;
  authorized: string;
  isAuthorized: boolean;
  nonce: bigint;
  deadline: bigint;
}

async function domain(core: BallastCore) {
  return {
    name: "Ballast",
    version: "1",
    chainId: (await ethers.provider.getNetwork()).chainId,
    verifyingContract: await core.getAddress(),
  };
}

async function sign(core: BallastCore, signer: Signer, a: Auth) {
  const sig = ethers.Signature.from(await signer.signTypedData(await domain(core), TYPES, a));
  return { v: sig.v, r: sig.r, s: sig.s };
}

describe("integration: authorization", function () {
  it("setAuthorization grants and revokes; the flag gates withdraw on behalf", async function () {
    const { core, id, alice, bob } = await loadFixture(fundedMarketFixture);
    await expect(core.connect(alice).setAuthorization(bob.address, true))
      .to.emit(core, "AuthorizationSet")
      .withArgs(alice.address, alice.address, bob.address, true);
    expect(await core.isAuthorized(alice.address, bob.address)).to.equal(true);
    expect(await core.isAuthorized(bob.address, alice.address)).to.equal(false);
    await core.connect(bob).withdraw(id, U6, 0, alice.address, bob.address);
    await expect(core.connect(alice).setAuthorization(bob.address, false))
      .to.emit(core, "AuthorizationSet")
      .withArgs(alice.address, alice.address, bob.address, false);
    await expect(core.connect(bob).withdraw(id, U6, 0, alice.address, bob.address))
      .to.be.revertedWithCustomError(core, "Unauthorized")
      .withArgs(alice.address, bob.address);
    expect((await core.position(id, alice.address)).supplyShares).to.equal((100_000n - 1n) * U6 * VIRTUAL_SHARES);
  });

  it("issue 13 #11: a direct setAuthorization uses the nonce, so an unsubmitted signature cannot undo it", async function () {
    const { core, id, alice, bob } = await loadFixture(fundedMarketFixture);
    const deadline = BigInt(await time.latest()) + 3600n;
    // alice signs an authorization of bob (nonce 0) and hands it to a relayer, then changes her mind and revokes
    // bob directly.
    const a: Auth = { authorizer: alice.address, authorized: bob.address, isAuthorized: true, nonce: 0n, deadline };
    const { v, r, s } = await sign(core, alice, a);
    await expect(core.connect(alice).setAuthorization(bob.address, false))
      .to.emit(core, "NonceUsed")
      .withArgs(alice.address, 0n);
    expect(await core.nonce(alice.address)).to.equal(1n);
    // The old signature no longer re-authorizes bob, and bob still cannot act for alice.
    await expect(core.connect(bob).setAuthorizationWithSig(a, v, r, s))
      .to.be.revertedWithCustomError(core, "InvalidNonce")
      .withArgs(1n, 0n);
    expect(await core.isAuthorized(alice.address, bob.address)).to.equal(false);
    await expect(core.connect(bob).withdraw(id, U6, 0, alice.address, bob.address))
      .to.be.revertedWithCustomError(core, "Unauthorized")
      .withArgs(alice.address, bob.address);
    // A signature over the new nonce works as before.
    const b: Auth = { ...a, nonce: 1n };
    const sig = await sign(core, alice, b);
    await core.connect(bob).setAuthorizationWithSig(b, sig.v, sig.r, sig.s);
    expect(await core.isAuthorized(alice.address, bob.address)).to.equal(true);
  });

  it("the domain separator is EIP-712 ('Ballast', '1', chain id, core address)", async function () {
    const { core } = await loadFixture(fundedMarketFixture);
    expect(await core.domainSeparator()).to.equal(ethers.TypedDataEncoder.hashDomain(await domain(core)));
  });

  it("a valid signature, relayed by anyone, authorizes and consumes the nonce", async function () {
    const { core, id, alice, bob, frank } = await loadFixture(fundedMarketFixture);
    const a: Auth = {
      authorizer: alice.address,
      authorized: bob.address,
      isAuthorized: true,
      nonce: 0n,
      deadline: BigInt(await time.latest()) + 3600n,
    };
    const { v, r, s } = await sign(core, alice, a);
    const tx = core.connect(frank).setAuthorizationWithSig(a, v, r, s);
    await expect(tx).to.emit(core, "NonceUsed").withArgs(alice.address, 0);
    await expect(tx).to.emit(core, "AuthorizationSet").withArgs(frank.address, alice.address, bob.address, true);
    expect(await core.isAuthorized(alice.address, bob.address)).to.equal(true);
    expect(await core.nonce(alice.address)).to.equal(1n);
    await expect(core.connect(bob).withdraw(id, U6, 0, alice.address, bob.address))
      .to.emit(core, "Withdraw")
      .withArgs(id, bob.address, alice.address, bob.address, U6, U6 * VIRTUAL_SHARES);
    // a second signature with the next nonce revokes
    const b: Auth = { ...a, isAuthorized: false, nonce: 1n };
    const sb = await sign(core, alice, b);
    await expect(core.connect(frank).setAuthorizationWithSig(b, sb.v, sb.r, sb.s))
      .to.emit(core, "AuthorizationSet")
      .withArgs(frank.address, alice.address, bob.address, false);
    expect(await core.isAuthorized(alice.address, bob.address)).to.equal(false);
    expect(await core.nonce(alice.address)).to.equal(2n);
  });

  it("a replayed signature reverts InvalidNonce(expected, given)", async function () {
    const { core, alice, bob, frank } = await loadFixture(fundedMarketFixture);
    const a: Auth = {
      authorizer: alice.address,
      authorized: bob.address,
      isAuthorized: true,
      nonce: 0n,
      deadline: BigInt(await time.latest()) + 3600n,
    };
    const { v, r, s } = await sign(core, alice, a);
    await core.connect(frank).setAuthorizationWithSig(a, v, r, s);
    await core.connect(alice).setAuthorization(bob.address, false); // the owner revokes on chain (uses nonce 1)
    await expect(core.connect(frank).setAuthorizationWithSig(a, v, r, s))
      .to.be.revertedWithCustomError(core, "InvalidNonce")
      .withArgs(2, 0);
    expect(await core.isAuthorized(alice.address, bob.address)).to.equal(false);
    // a signature for a future nonce is rejected too
    const future: Auth = { ...a, nonce: 5n };
    const sf = await sign(core, alice, future);
    await expect(core.connect(frank).setAuthorizationWithSig(future, sf.v, sf.r, sf.s))
      .to.be.revertedWithCustomError(core, "InvalidNonce")
      .withArgs(2, 5);
  });

  it("an expired signature reverts SignatureExpired; the deadline second itself is still valid", async function () {
    const { core, alice, bob, frank } = await loadFixture(fundedMarketFixture);
    const deadline = BigInt(await time.latest()) + 100n;
    const a: Auth = { authorizer: alice.address, authorized: bob.address, isAuthorized: true, nonce: 0n, deadline };
    const { v, r, s } = await sign(core, alice, a);
    await time.setNextBlockTimestamp(deadline + 1n);
    await expect(core.connect(frank).setAuthorizationWithSig(a, v, r, s))
      .to.be.revertedWithCustomError(core, "SignatureExpired")
      .withArgs(deadline);
    expect(await core.nonce(alice.address)).to.equal(0n);
    const deadline2 = BigInt(await time.latest()) + 100n;
    const a2: Auth = { ...a, deadline: deadline2 };
    const s2 = await sign(core, alice, a2);
    await time.setNextBlockTimestamp(deadline2);
    await expect(core.connect(frank).setAuthorizationWithSig(a2, s2.v, s2.r, s2.s))
      .to.emit(core, "NonceUsed")
      .withArgs(alice.address, 0);
  });

  it("a signature by the wrong signer, or over different fields, reverts InvalidSignature", async function () {
    const { core, alice, bob, eve, frank } = await loadFixture(fundedMarketFixture);
    const a: Auth = {
      authorizer: alice.address,
      authorized: eve.address,
      isAuthorized: true,
      nonce: 0n,
      deadline: BigInt(await time.latest()) + 3600n,
    };
    const byEve = await sign(core, eve, a);
    await expect(core.connect(eve).setAuthorizationWithSig(a, byEve.v, byEve.r, byEve.s)).to.be.revertedWithCustomError(
      core,
      "InvalidSignature",
    );
    const byAlice = await sign(core, alice, { ...a, authorized: bob.address });
    await expect(
      core.connect(frank).setAuthorizationWithSig(a, byAlice.v, byAlice.r, byAlice.s),
    ).to.be.revertedWithCustomError(core, "InvalidSignature");
    // malformed signature (v = 0): recovery error, not a revert from ECDSA
    await expect(core.connect(frank).setAuthorizationWithSig(a, 0, byAlice.r, byAlice.s)).to.be.revertedWithCustomError(
      core,
      "InvalidSignature",
    );
    expect(await core.isAuthorized(alice.address, eve.address)).to.equal(false);
    expect(await core.nonce(alice.address)).to.equal(0n);
  });
});
